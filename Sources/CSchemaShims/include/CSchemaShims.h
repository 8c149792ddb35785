// libxml2's XML Schema (XSD) validator behind an opaque handle; only the XMLSchema module imports this.
//
// Like settle_xml.h this header includes no libxml2 header (Debian's pull in the system ICU, which
// clashes with Foundation's), so Swift sees plain C declarations only. Every function is prefixed
// settle_schema_ and implemented in settle_schema.c.
#pragma once

// What a report is about; the Swift side words the message.
typedef enum settle_schema_problem {
  // The bytes are not well-formed XML; the message is libxml2's.
  SETTLE_SCHEMA_NOT_WELL_FORMED = 1,
  // The document declares a DOCTYPE: refused before any of it is processed; no message.
  SETTLE_SCHEMA_DOCUMENT_TYPE = 2,
  // The schema is not a valid XSD, or the document does not conform to it; the message is libxml2's.
  SETTLE_SCHEMA_INVALID = 3,
  // The XSD includes, imports or redefines another document by schemaLocation; the message is the element name.
  SETTLE_SCHEMA_LOADS_DOCUMENT = 4,
  // libxml2 could not allocate or failed internally; the message says where.
  SETTLE_SCHEMA_INTERNAL = 5,
} settle_schema_problem;

// Receives each problem in the order libxml2 finds it. `message` is NULL or a NUL-terminated string that
// lives only during the call (it may end with a line feed).
typedef void (*settle_schema_report_fn)(void *state, settle_schema_problem problem, int line, const char *message);

typedef struct settle_schema settle_schema;

// Parses an XSD from memory and compiles it (xmlCtxtReadMemory with XML_PARSE_NONET, no entity substitution,
// no DTD loading, a DOCTYPE refused; then xmlSchemaNewDocParserCtxt and xmlSchemaParse). Returns NULL after
// reporting at least one problem. `name` names the schema in libxml2's messages.
settle_schema *settle_schema_parse(const char *bytes, int count, const char *name, void *state,
                                   settle_schema_report_fn report);

// Parses a document the same way and validates it with a validation context of its own
// (xmlSchemaNewValidCtxt, xmlSchemaSetValidStructuredErrors, xmlSchemaValidateDoc). Reports every error;
// returns the number of problems reported (0 when the document is valid).
int settle_schema_validate(const settle_schema *schema, const char *bytes, int count, const char *name,
                           void *state, settle_schema_report_fn report);

// Frees the compiled schema (xmlSchemaFree) and the XSD document it was built from (xmlFreeDoc).
void settle_schema_free(settle_schema *schema);
