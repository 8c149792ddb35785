#pragma once
// libxml2's SAX2 push parser behind an opaque handle.
//
// Unlike the curl and zlib wrappers, these are implemented in settle_xml.c and this header
// includes no libxml2 header: Debian's libxml2 headers pull in the system ICU (unicode/ucnv.h),
// whose types clash with Foundation's own ICU in any Swift module that sees both. So Swift only
// ever sees these plain C declarations.

// A start tag: its local name (NUL-terminated) and its attributes, five pointers each as in
// SAX2 (local name, prefix, URI, value start, value end).
typedef void (*settle_xml_start_element_fn)(void *state, const unsigned char *local_name, int attribute_count,
                                            const unsigned char **attributes);
typedef void (*settle_xml_end_element_fn)(void *state);
// A DOCTYPE, an external subset or an entity declaration: the document is refused.
typedef void (*settle_xml_document_type_fn)(void *state);

typedef struct settle_xml_parser settle_xml_parser;

// A push parser with network access off, no entity substitution, no DTD loading and no error
// printing. Returns NULL when libxml2 cannot allocate one. libxml2 is given no file name: errors
// name the input on the Swift side, and nothing is resolved against a base.
settle_xml_parser *settle_xml_parser_create(void *state, settle_xml_start_element_fn start,
                                            settle_xml_end_element_fn end, settle_xml_document_type_fn document_type);
// Feeds bytes (xmlParseChunk); `terminate` ends the document. Returns 0 or libxml2's error code.
int settle_xml_parser_feed(settle_xml_parser *parser, const char *bytes, int count, int terminate);
// Stops the parser from inside a callback (xmlStopParser).
void settle_xml_parser_stop(settle_xml_parser *parser);
// The line the parser is on.
int settle_xml_parser_line(settle_xml_parser *parser);
// The last error's message (owned by the parser) and line.
const char *settle_xml_parser_error_message(settle_xml_parser *parser);
int settle_xml_parser_error_line(settle_xml_parser *parser);
// Frees the parser (xmlFreeParserCtxt) and the handle.
void settle_xml_parser_free(settle_xml_parser *parser);
