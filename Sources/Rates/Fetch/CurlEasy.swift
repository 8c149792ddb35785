import CCurl
import CRatesShims

/// A libcurl easy handle for one transfer. Every libcurl call of the Rates module is in this file.
///
/// Owns the `CURL*` (`curl_easy_cleanup` in `deinit`), the error buffer curl writes into, and the
/// request header list (`curl_slist_free_all` in `deinit`, after the handle that points at it).
/// Not thread-safe: one handle belongs to one call of `FeedFetcher.fetch`.
final class CurlEasy {
  /// A libcurl failure: its `CURLcode` and the most specific message curl gave for it.
  struct Failure: Error {
    let code: CURLcode
    let message: String
  }

  /// `curl_global_init` is not safe to race with other libcurl calls, so it runs exactly once,
  /// before the first handle is made; `static let` gives the once-only, thread-safe initialization.
  private static let globalInitCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

  private let handle: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var requestHeaders: UnsafeMutablePointer<curl_slist>?

  /// Makes a handle with `curl_easy_init`, with `CURLOPT_ERRORBUFFER` set.
  /// - Throws: `Failure` when libcurl cannot be initialized.
  init() throws(Failure) {
    let globalCode = CurlEasy.globalInitCode
    guard globalCode == CURLE_OK else {
      throw Failure(code: globalCode, message: "curl_global_init failed: \(CurlEasy.text(of: globalCode))")
    }
    guard let handle = curl_easy_init() else {
      throw Failure(code: CURLE_FAILED_INIT, message: "curl_easy_init returned no handle")
    }
    self.handle = handle
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    // A handle that cannot take an error buffer still works; messages fall back to curl_easy_strerror.
    _ = settle_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
  }

  deinit {
    curl_easy_cleanup(handle)
    curl_slist_free_all(requestHeaders)
    errorBuffer.deallocate()
  }

  /// Sets a `long` option (`settle_curl_setopt_long`).
  func set(_ option: CURLoption, _ value: Int) throws(Failure) {
    try check(settle_curl_setopt_long(handle, option, value), option: option)
  }

  /// Sets a string option (`settle_curl_setopt_string`); libcurl keeps its own copy of the string.
  func set(_ option: CURLoption, _ value: String) throws(Failure) {
    let code = value.withCString { settle_curl_setopt_string(handle, option, $0) }
    try check(code, option: option)
  }

  /// Sets a `curl_off_t` option (`settle_curl_setopt_off_t`).
  func set(_ option: CURLoption, large value: Int64) throws(Failure) {
    try check(settle_curl_setopt_off_t(handle, option, curl_off_t(value)), option: option)
  }

  /// Replaces the extra request header lines (`Name: value`, without CR LF) sent as `CURLOPT_HTTPHEADER`.
  func setRequestHeaders(_ lines: [String]) throws(Failure) {
    var list: UnsafeMutablePointer<curl_slist>?
    for line in lines {
      guard let extended = curl_slist_append(list, line) else {
        curl_slist_free_all(list)
        throw Failure(code: CURLE_OUT_OF_MEMORY, message: "curl_slist_append failed")
      }
      list = extended
    }
    let code = settle_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
    guard code == CURLE_OK else {
      curl_slist_free_all(list)
      try check(code, option: CURLOPT_HTTPHEADER)
      return
    }
    // The handle now points at the new list; the old one can go.
    curl_slist_free_all(requestHeaders)
    requestHeaders = list
  }

  /// Runs the transfer with `curl_easy_perform`, feeding body bytes and header lines to `transfer`
  /// through `CURLOPT_WRITEFUNCTION` and `CURLOPT_HEADERFUNCTION`.
  /// - Throws: `Failure` with the `CURLcode` and curl's message when the transfer does not complete.
  func perform(_ transfer: CurlTransfer) throws(Failure) {
    let userdata = Unmanaged.passUnretained(transfer).toOpaque()
    try set(CURLOPT_WRITEFUNCTION, callback: curlWriteBody)
    try set(CURLOPT_WRITEDATA, pointer: userdata)
    try set(CURLOPT_HEADERFUNCTION, callback: curlWriteHeader)
    try set(CURLOPT_HEADERDATA, pointer: userdata)
    errorBuffer[0] = 0
    let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
    // Never leave the handle pointing at an object it does not keep alive.
    _ = settle_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
    _ = settle_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
    guard code == CURLE_OK else {
      throw Failure(code: code, message: message(for: code))
    }
  }

  /// The last response's HTTP status (`CURLINFO_RESPONSE_CODE`), 0 when none was received.
  func responseCode() throws(Failure) -> Int {
    var status = 0
    let code = settle_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    guard code == CURLE_OK else {
      throw Failure(code: code, message: "CURLINFO_RESPONSE_CODE: \(CurlEasy.text(of: code))")
    }
    return status
  }

  private func set(_ option: CURLoption, callback: curl_write_callback) throws(Failure) {
    try check(settle_curl_setopt_write_callback(handle, option, callback), option: option)
  }

  private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(Failure) {
    try check(settle_curl_setopt_pointer(handle, option, pointer), option: option)
  }

  private func check(_ code: CURLcode, option: CURLoption) throws(Failure) {
    guard code == CURLE_OK else {
      throw Failure(code: code, message: "setting curl option \(option.rawValue): \(CurlEasy.text(of: code))")
    }
  }

  /// The error buffer's message when curl wrote one (it names the host, the timeout, ...), else the generic text.
  private func message(for code: CURLcode) -> String {
    let specific = String(cString: errorBuffer)
    return specific.isEmpty ? CurlEasy.text(of: code) : specific
  }

  /// `curl_easy_strerror`: curl's generic text for a code.
  private static func text(of code: CURLcode) -> String {
    String(cString: curl_easy_strerror(code))
  }
}

/// What the callbacks of one transfer collect: the body, up to a bound, and chosen headers of the
/// final response. libcurl reaches it through the callbacks' userdata pointer.
final class CurlTransfer {
  let bodyBytesMax: Int
  /// Lowercased names of the headers to keep.
  let headerNames: Set<String>
  private(set) var body: [UInt8] = []
  /// Set when the body passed `bodyBytesMax` and the write callback stopped the transfer.
  private(set) var bodyExceededMax = false
  /// The kept headers of the latest response, by lowercased name; cleared at each status line,
  /// so that after redirects only the final response's headers remain.
  private(set) var headers: [String: String] = [:]

  init(bodyBytesMax: Int, headerNames: Set<String>) {
    precondition(bodyBytesMax >= 0, "bodyBytesMax must not be negative, got \(bodyBytesMax)")
    self.bodyBytesMax = bodyBytesMax
    self.headerNames = Set(headerNames.map { $0.lowercased() })
  }

  /// Appends body bytes; returns false (stopping the transfer) when they would pass `bodyBytesMax`.
  fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count <= bodyBytesMax - body.count else {
      bodyExceededMax = true
      return false
    }
    body.append(contentsOf: bytes)
    return true
  }

  /// Takes one raw header line as curl delivers it (status line, `Name: value` with CR LF, or the blank line).
  fileprivate func takeHeaderLine(_ bytes: UnsafeRawBufferPointer) {
    if bytes.starts(with: "HTTP/".utf8) {
      headers = [:]
      return
    }
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
    let name = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
    guard headerNames.contains(name) else { return }
    let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
    var start = colon + 1
    var end = bytes.count
    while start < end && isBlank(bytes[start]) { start += 1 }
    while end > start && isBlank(bytes[end - 1]) { end -= 1 }
    headers[name] = String(decoding: bytes[start..<end], as: UTF8.self)
  }
}

/// `CURLOPT_WRITEFUNCTION`: returning fewer bytes than given makes curl stop with `CURLE_WRITE_ERROR`.
private let curlWriteBody: curl_write_callback = { buffer, itemBytes, itemCount, userdata in
  guard let userdata else { return 0 }
  let (byteCount, overflow) = itemBytes.multipliedReportingOverflow(by: itemCount)
  guard !overflow else { return 0 }
  guard let buffer, byteCount > 0 else { return byteCount }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
  return transfer.appendBody(UnsafeRawBufferPointer(start: buffer, count: byteCount)) ? byteCount : 0
}

/// `CURLOPT_HEADERFUNCTION`: called once per header line, for every response including redirects.
private let curlWriteHeader: curl_write_callback = { buffer, itemBytes, itemCount, userdata in
  guard let userdata else { return 0 }
  let (byteCount, overflow) = itemBytes.multipliedReportingOverflow(by: itemCount)
  guard !overflow else { return 0 }
  guard let buffer, byteCount > 0 else { return byteCount }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
  transfer.takeHeaderLine(UnsafeRawBufferPointer(start: buffer, count: byteCount))
  return byteCount
}
