#pragma once
#include <zlib.h>

// inflateInit2 is a macro over inflateInit2_ (it passes the zlib version and struct size).
// 16 + MAX_WBITS accepts a gzip header and trailer.
static inline int settle_zlib_inflate_init_gzip(z_streamp stream) {
  return inflateInit2(stream, 16 + MAX_WBITS);
}
