// Wrappers for the parts of libcurl, libxml2 and zlib that Swift cannot call as they are.
// Every function is static inline and prefixed settle_; only the Rates module imports this.
#pragma once
#include "settle_curl.h"
#include "settle_xml.h"
#include "settle_zlib.h"
