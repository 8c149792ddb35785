// The curl and zlib wrappers are static inline in include/; libxml2 is wrapped in settle_xml.c.
#include "CRatesShims.h"
