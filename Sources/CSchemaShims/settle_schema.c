#include "CSchemaShims.h"

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>

// libxml2 2.12 made the structured error callback take a const error.
#if LIBXML_VERSION >= 21200
typedef const xmlError *settle_schema_error_ptr;
#else
typedef xmlError *settle_schema_error_ptr;
#endif

// Network off and line numbers past 65535 kept. XML_PARSE_NOENT (entity substitution) and
// XML_PARSE_DTDLOAD are deliberately absent; a DOCTYPE never gets that far anyway.
static const int settle_schema_parse_options = XML_PARSE_NONET | XML_PARSE_BIG_LINES;

static const char settle_schema_xsd_namespace[] = "http://www.w3.org/2001/XMLSchema";

struct settle_schema {
  // The XSD's tree: the compiled schema keeps pointers into it, so it is freed after the schema.
  xmlDocPtr document;
  xmlSchemaPtr schema;
};

// One call of the shim: where problems go, and what the parser has seen so far.
typedef struct settle_schema_call {
  void *state;
  settle_schema_report_fn report;
  int reported;
  // The line of a refused DOCTYPE, 0 while none was seen.
  int document_type_line;
  // 1 while the XML itself is parsed: only its first error is reported, the rest follow from it.
  int parsing;
} settle_schema_call;

static void settle_schema_emit(settle_schema_call *call, settle_schema_problem problem, int line,
                               const char *message) {
  call->report(call->state, problem, line, message);
  call->reported += 1;
}

// Every libxml2 error raised on this thread during a call lands here: the thread's structured handler
// and the schema contexts' handlers all point at it. Warnings are not violations.
static void settle_schema_on_error(void *user, settle_schema_error_ptr error) {
  settle_schema_call *call = user;
  if (error == NULL || error->level < XML_ERR_ERROR) return;
  if (call->parsing) {
    if (call->document_type_line > 0 || call->reported > 0) return;
    settle_schema_emit(call, SETTLE_SCHEMA_NOT_WELL_FORMED, error->line, error->message);
  } else {
    settle_schema_emit(call, SETTLE_SCHEMA_INVALID, error->line, error->message);
  }
}

// Takes libxml2's unstructured messages (xmlGenericError) so nothing reaches stderr.
static void settle_schema_ignore(void *user, const char *format, ...) {
  (void)user;
  (void)format;
}

// The handlers a call replaces. libxml2 keeps them per thread, so a call never affects another thread,
// and they are put back before the call returns, so other libxml2 users on this thread keep theirs.
typedef struct settle_schema_handlers {
  xmlStructuredErrorFunc structured;
  void *structured_context;
  xmlGenericErrorFunc generic;
  void *generic_context;
} settle_schema_handlers;

static settle_schema_handlers settle_schema_capture_errors(settle_schema_call *call) {
  settle_schema_handlers saved = {xmlStructuredError, xmlStructuredErrorContext, xmlGenericError,
                                  xmlGenericErrorContext};
  xmlSetStructuredErrorFunc(call, (xmlStructuredErrorFunc)settle_schema_on_error);
  xmlSetGenericErrorFunc(call, settle_schema_ignore);
  return saved;
}

static void settle_schema_restore_errors(settle_schema_handlers saved) {
  xmlSetStructuredErrorFunc(saved.structured_context, saved.structured);
  xmlSetGenericErrorFunc(saved.generic_context, saved.generic);
}

// A DOCTYPE is where entity bombs and external entities live: the parser stops as soon as one starts.
static void settle_schema_on_document_type(void *user, const xmlChar *name, const xmlChar *external_id,
                                           const xmlChar *system_id) {
  (void)name;
  (void)external_id;
  (void)system_id;
  xmlParserCtxtPtr context = user;
  settle_schema_call *call = context->_private;
  if (call->document_type_line == 0) {
    int line = context->input != NULL ? context->input->line : 0;
    call->document_type_line = line > 0 ? line : 1;
    settle_schema_emit(call, SETTLE_SCHEMA_DOCUMENT_TYPE, call->document_type_line, NULL);
  }
  xmlStopParser(context);
}

static xmlParserInputPtr settle_schema_no_resolution(void *user, const xmlChar *public_id, const xmlChar *system_id) {
  (void)user;
  (void)public_id;
  (void)system_id;
  return NULL;
}

// Parses bytes into a tree, or reports why not and returns NULL.
static xmlDocPtr settle_schema_read(settle_schema_call *call, const char *bytes, int count, const char *name) {
  xmlParserCtxtPtr context = xmlNewParserCtxt();
  if (context == NULL) {
    settle_schema_emit(call, SETTLE_SCHEMA_INTERNAL, 0, "xmlNewParserCtxt");
    return NULL;
  }
  context->_private = call;
  context->sax->internalSubset = settle_schema_on_document_type;
  context->sax->externalSubset = settle_schema_on_document_type;
  context->sax->resolveEntity = settle_schema_no_resolution;
  call->parsing = 1;
  xmlDocPtr document = xmlCtxtReadMemory(context, bytes, count, name, NULL, settle_schema_parse_options);
  call->parsing = 0;
  if (document != NULL && call->document_type_line > 0) {
    xmlFreeDoc(document);
    document = NULL;
  }
  if (document == NULL && call->reported == 0) {
    const xmlError *error = xmlCtxtGetLastError(context);
    int line = error != NULL ? error->line : 0;
    const char *message = (error != NULL && error->message != NULL) ? error->message : "no document";
    settle_schema_emit(call, SETTLE_SCHEMA_NOT_WELL_FORMED, line, message);
  }
  xmlFreeParserCtxt(context);
  return document;
}

// The schema parser would read an xs:include, xs:import or xs:redefine target itself, with entity
// substitution on and network access allowed: such schemas are refused, only self-contained ones compile.
static int settle_schema_refuse_loading(settle_schema_call *call, xmlDocPtr document) {
  xmlNodePtr root = xmlDocGetRootElement(document);
  int refused = 0;
  for (xmlNodePtr node = root != NULL ? root->children : NULL; node != NULL; node = node->next) {
    if (node->type != XML_ELEMENT_NODE || node->ns == NULL) continue;
    if (!xmlStrEqual(node->ns->href, (const xmlChar *)settle_schema_xsd_namespace)) continue;
    int loads = xmlStrEqual(node->name, (const xmlChar *)"include") ||
                xmlStrEqual(node->name, (const xmlChar *)"import") ||
                xmlStrEqual(node->name, (const xmlChar *)"redefine") ||
                xmlStrEqual(node->name, (const xmlChar *)"override");
    if (loads && xmlHasProp(node, (const xmlChar *)"schemaLocation") != NULL) {
      settle_schema_emit(call, SETTLE_SCHEMA_LOADS_DOCUMENT, (int)xmlGetLineNo(node), (const char *)node->name);
      refused = 1;
    }
  }
  return refused;
}

// Compiles a parsed XSD; NULL after reporting why not.
static xmlSchemaPtr settle_schema_compile(settle_schema_call *call, xmlDocPtr document) {
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewDocParserCtxt(document);
  if (parser == NULL) {
    settle_schema_emit(call, SETTLE_SCHEMA_INTERNAL, 0, "xmlSchemaNewDocParserCtxt");
    return NULL;
  }
  xmlSchemaSetParserStructuredErrors(parser, (xmlStructuredErrorFunc)settle_schema_on_error, call);
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (schema != NULL && call->reported == 0) return schema;
  if (schema != NULL) xmlSchemaFree(schema);
  if (call->reported == 0) settle_schema_emit(call, SETTLE_SCHEMA_INVALID, 0, "the schema does not compile");
  return NULL;
}

settle_schema *settle_schema_parse(const char *bytes, int count, const char *name, void *state,
                                   settle_schema_report_fn report) {
  xmlInitParser();
  settle_schema_call call = {state, report, 0, 0, 0};
  settle_schema_handlers saved = settle_schema_capture_errors(&call);
  settle_schema *result = NULL;
  xmlDocPtr document = settle_schema_read(&call, bytes, count, name);
  if (document != NULL && !settle_schema_refuse_loading(&call, document)) {
    xmlSchemaPtr schema = settle_schema_compile(&call, document);
    if (schema != NULL) {
      result = calloc(1, sizeof(settle_schema));
      if (result == NULL) {
        xmlSchemaFree(schema);
        settle_schema_emit(&call, SETTLE_SCHEMA_INTERNAL, 0, "calloc");
      } else {
        result->document = document;
        result->schema = schema;
      }
    }
  }
  if (result == NULL && document != NULL) xmlFreeDoc(document);
  settle_schema_restore_errors(saved);
  return result;
}

int settle_schema_validate(const settle_schema *schema, const char *bytes, int count, const char *name,
                           void *state, settle_schema_report_fn report) {
  xmlInitParser();
  settle_schema_call call = {state, report, 0, 0, 0};
  settle_schema_handlers saved = settle_schema_capture_errors(&call);
  xmlDocPtr document = settle_schema_read(&call, bytes, count, name);
  if (document != NULL) {
    xmlSchemaValidCtxtPtr validation = xmlSchemaNewValidCtxt(schema->schema);
    if (validation == NULL) {
      settle_schema_emit(&call, SETTLE_SCHEMA_INTERNAL, 0, "xmlSchemaNewValidCtxt");
    } else {
      xmlSchemaSetValidStructuredErrors(validation, (xmlStructuredErrorFunc)settle_schema_on_error, &call);
      int status = xmlSchemaValidateDoc(validation, document);
      if (status < 0) {
        settle_schema_emit(&call, SETTLE_SCHEMA_INTERNAL, 0, "xmlSchemaValidateDoc");
      } else if (status > 0 && call.reported == 0) {
        settle_schema_emit(&call, SETTLE_SCHEMA_INVALID, 0, "the document is not valid");
      }
      xmlSchemaFreeValidCtxt(validation);
    }
    xmlFreeDoc(document);
  }
  settle_schema_restore_errors(saved);
  return call.reported;
}

void settle_schema_free(settle_schema *schema) {
  if (schema == NULL) return;
  xmlSchemaFree(schema->schema);
  xmlFreeDoc(schema->document);
  free(schema);
}
