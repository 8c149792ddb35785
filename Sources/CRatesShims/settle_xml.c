#include "settle_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>

struct settle_xml_parser {
  xmlParserCtxtPtr context;
  void *state;
  settle_xml_start_element_fn start;
  settle_xml_end_element_fn end;
  settle_xml_document_type_fn document_type;
};

static void settle_xml_on_start(void *user, const xmlChar *local_name, const xmlChar *prefix, const xmlChar *uri,
                                int namespace_count, const xmlChar **namespaces, int attribute_count,
                                int defaulted_count, const xmlChar **attributes) {
  (void)prefix; (void)uri; (void)namespace_count; (void)namespaces; (void)defaulted_count;
  settle_xml_parser *parser = user;
  parser->start(parser->state, local_name, attribute_count, (const unsigned char **)attributes);
}

static void settle_xml_on_end(void *user, const xmlChar *local_name, const xmlChar *prefix, const xmlChar *uri) {
  (void)local_name; (void)prefix; (void)uri;
  settle_xml_parser *parser = user;
  parser->end(parser->state);
}

static void settle_xml_on_subset(void *user, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id) {
  (void)name; (void)external_id; (void)system_id;
  settle_xml_parser *parser = user;
  parser->document_type(parser->state);
  xmlStopParser(parser->context);
}

static void settle_xml_on_entity_declaration(void *user, const xmlChar *name, int type, const xmlChar *public_id,
                                             const xmlChar *system_id, xmlChar *content) {
  (void)name; (void)type; (void)public_id; (void)system_id; (void)content;
  settle_xml_parser *parser = user;
  parser->document_type(parser->state);
  xmlStopParser(parser->context);
}

static xmlEntityPtr settle_xml_no_entity(void *user, const xmlChar *name) {
  (void)user; (void)name;
  return NULL;
}

static xmlParserInputPtr settle_xml_no_resolution(void *user, const xmlChar *public_id, const xmlChar *system_id) {
  (void)user; (void)public_id; (void)system_id;
  return NULL;
}

settle_xml_parser *settle_xml_parser_create(void *state, settle_xml_start_element_fn start,
                                            settle_xml_end_element_fn end, settle_xml_document_type_fn document_type) {
  xmlInitParser();
  settle_xml_parser *parser = calloc(1, sizeof(settle_xml_parser));
  if (parser == NULL) return NULL;
  parser->state = state;
  parser->start = start;
  parser->end = end;
  parser->document_type = document_type;
  xmlSAXHandler handler = {0};
  handler.initialized = XML_SAX2_MAGIC;
  handler.startElementNs = settle_xml_on_start;
  handler.endElementNs = settle_xml_on_end;
  handler.internalSubset = settle_xml_on_subset;
  handler.externalSubset = settle_xml_on_subset;
  handler.entityDecl = settle_xml_on_entity_declaration;
  handler.getEntity = settle_xml_no_entity;
  handler.getParameterEntity = settle_xml_no_entity;
  handler.resolveEntity = settle_xml_no_resolution;
  parser->context = xmlCreatePushParserCtxt(&handler, parser, NULL, 0, NULL);
  if (parser->context == NULL) {
    free(parser);
    return NULL;
  }
  xmlCtxtUseOptions(parser->context, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  return parser;
}

int settle_xml_parser_feed(settle_xml_parser *parser, const char *bytes, int count, int terminate) {
  return xmlParseChunk(parser->context, bytes, count, terminate);
}

void settle_xml_parser_stop(settle_xml_parser *parser) { xmlStopParser(parser->context); }

int settle_xml_parser_line(settle_xml_parser *parser) {
  if (parser->context->input == NULL) return 0;
  return parser->context->input->line;
}

const char *settle_xml_parser_error_message(settle_xml_parser *parser) {
  const xmlError *error = xmlCtxtGetLastError(parser->context);
  return (error != NULL && error->message != NULL) ? error->message : "malformed XML";
}

int settle_xml_parser_error_line(settle_xml_parser *parser) {
  const xmlError *error = xmlCtxtGetLastError(parser->context);
  return error != NULL ? error->line : 0;
}

void settle_xml_parser_free(settle_xml_parser *parser) {
  if (parser == NULL) return;
  xmlFreeParserCtxt(parser->context);
  free(parser);
}
