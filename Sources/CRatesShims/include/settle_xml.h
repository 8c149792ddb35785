#pragma once
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

// libxml2's SAX2 magic number is a macro Swift may not import as a typed constant.
static inline unsigned int settle_xml_sax2_magic(void) { return XML_SAX2_MAGIC; }

// The line the push parser is at, for error messages (0 when unknown).
static inline int settle_xml_current_line(xmlParserCtxtPtr context) {
  if (context == NULL || context->input == NULL) return 0;
  return context->input->line;
}

// The last error's message and line, copied out of the context (the context owns the strings).
static inline const char *settle_xml_last_error_message(xmlParserCtxtPtr context) {
  const xmlError *error = xmlCtxtGetLastError(context);
  return (error != NULL && error->message != NULL) ? error->message : "malformed XML";
}
static inline int settle_xml_last_error_line(xmlParserCtxtPtr context) {
  const xmlError *error = xmlCtxtGetLastError(context);
  return error != NULL ? error->line : 0;
}
