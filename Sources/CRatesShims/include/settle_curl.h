#pragma once
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// One wrapper per argument type; the option's own type decides which one to use.

// CURLOPTTYPE_LONG options (CURLOPT_NOSIGNAL, CURLOPT_TIMEOUT_MS, ...).
static inline CURLcode settle_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

// CURLOPTTYPE_STRINGPOINT options (CURLOPT_URL, ...); curl copies the string.
static inline CURLcode settle_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

// CURLOPTTYPE_OBJECTPOINT and CURLOPTTYPE_CBPOINT options (CURLOPT_WRITEDATA, CURLOPT_ERRORBUFFER, ...).
static inline CURLcode settle_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

// CURLOPTTYPE_OFF_T options (CURLOPT_MAXFILESIZE_LARGE, ...).
static inline CURLcode settle_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share curl_write_callback's signature.
static inline CURLcode settle_curl_setopt_write_callback(CURL *handle, CURLoption option,
                                                         curl_write_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

// CURLOPTTYPE_SLISTPOINT options (CURLOPT_HTTPHEADER, ...); the list must outlive the transfer.
static inline CURLcode settle_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
  return curl_easy_setopt(handle, option, list);
}

// CURLINFO_LONG values (CURLINFO_RESPONSE_CODE, ...).
static inline CURLcode settle_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

// CURLINFO_STRING values (CURLINFO_EFFECTIVE_URL, ...); the string belongs to the handle.
static inline CURLcode settle_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
  return curl_easy_getinfo(handle, info, value);
}

// CURLINFO_OFF_T values (CURLINFO_SIZE_DOWNLOAD_T, ...).
static inline CURLcode settle_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
  return curl_easy_getinfo(handle, info, value);
}
