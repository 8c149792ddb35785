import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 for tests, on a port the kernel picks.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///   request.path == "/feed.xml" ? .init(status: 200, body: Array("<x/>".utf8)) : .init(status: 404)
/// }
/// defer { server.stop() }
/// let url = server.url(path: "/feed.xml")   // http://127.0.0.1:PORT/feed.xml
/// #expect(server.requestCount == 1)
/// ```
///
/// One background thread accepts connections; each connection gets its own thread, reads one
/// request, asks `handler` for the response, writes it with `Connection: close`, and closes. So a
/// delayed response never holds up the next request (a client that timed out and retried is
/// answered). `stop()` (also run by `deinit`) wakes every thread, waits for all of them to end, and
/// closes the listening socket; it is idempotent.
final class LoopbackHTTPServer: Sendable {
  /// A request as received.
  struct Request: Sendable {
    /// 1 for the first request this server received, 2 for the second, ... (to script "fail, then succeed").
    let number: Int
    /// `GET`, `HEAD`, `POST`, ...
    let method: String
    /// The request target as sent: path and query (`/feed.xml?x=1`).
    let path: String
    /// Header lines in arrival order, names as sent.
    let headers: [(name: String, value: String)]
    /// The body, read by Content-Length (empty without one).
    let body: [UInt8]

    /// The first header with this name, compared case-insensitively.
    func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
  }

  /// A scripted response.
  struct Response: Sendable {
    /// How the end of the body is signalled.
    enum Framing: Sendable {
      /// `Content-Length` is the body's length (the normal case).
      case contentLength
      /// `Content-Length` says this many bytes; the body is sent and the connection closed,
      /// so a larger number makes a truncated response.
      case declaredContentLength(Int)
      /// No `Content-Length`: the body ends when the connection closes.
      case closeDelimited
    }

    var status: Int
    /// Extra header lines; `Content-Length` and `Connection: close` are added by the server.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Time to wait after reading the request and before writing anything (to force a stall).
    var delayMilliseconds: Int
    var framing: Framing

    init(
      status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
      delayMilliseconds: Int = 0, framing: Framing = .contentLength
    ) {
      self.status = status
      self.headers = headers
      self.body = body
      self.delayMilliseconds = delayMilliseconds
      self.framing = framing
    }

    /// A response whose body is `text` in UTF-8.
    init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String) {
      self.init(status: status, headers: headers, body: Array(text.utf8))
    }
  }

  /// A socket call that failed while starting the server.
  struct SetupError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    var description: String { "LoopbackHTTPServer: \(call) failed: \(String(cString: strerror(code)))" }
  }

  /// The port the kernel chose.
  let port: UInt16
  private let core: Core

  /// Binds 127.0.0.1 on a free port, listens, and starts accepting on a background thread.
  /// - Throws: `SetupError` naming the socket call that failed.
  init(handler: @escaping @Sendable (Request) -> Response) throws {
    let (listener, port) = try Self.bindLoopback()
    var wakePipe: [Int32] = [-1, -1]
    guard pipe(&wakePipe) == 0 else {
      let code = errno
      close(listener)
      throw SetupError(call: "pipe", code: code)
    }
    for descriptor in wakePipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    self.port = port
    core = Core(listener: listener, wakeReader: wakePipe[0], wakeWriter: wakePipe[1], handler: handler)
    core.startAccepting()
  }

  deinit {
    core.stop()
  }

  /// `http://127.0.0.1:PORT` followed by `path`, which starts with `/`.
  func url(path: String) -> String {
    precondition(path.hasPrefix("/"), "path must start with /, got \(path)")
    return "http://127.0.0.1:\(port)\(path)"
  }

  /// Requests read completely so far (counted before the handler runs).
  var requestCount: Int { core.requestCount }

  /// Stops accepting, wakes delayed responses, waits for every thread to end, closes the sockets.
  /// Call it from the test, never from the handler (it waits for the handler's own thread).
  func stop() {
    core.stop()
  }

  private static func bindLoopback() throws -> (listener: Int32, port: UInt16) {
    #if canImport(Glibc)
      let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
      let listener = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard listener >= 0 else { throw SetupError(call: "socket", code: errno) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(listener, socketAddress, length) == 0 && getsockname(listener, socketAddress, &length) == 0
      }
    }
    guard bound, listen(listener, 64) == 0, fcntl(listener, F_SETFL, O_NONBLOCK) == 0 else {
      let code = errno
      close(listener)
      throw SetupError(call: "bind/listen", code: code)
    }
    return (listener, UInt16(bigEndian: address.sin_port))
  }
}

/// The state the server's threads share; the threads hold this, not the server, so that dropping
/// the server runs `deinit` and stops them.
private final class Core: Sendable {
  private struct State {
    var requestCount = 0
    var stopped = false
    var wakeWriter: Int32
  }

  /// Bounds on what a client can make the server hold.
  static let requestHeadBytesMax = 64 << 10
  static let requestBodyBytesMax = 1 << 20
  static let connectionsMax = 64
  /// How long a connection may take to send its request before it is dropped.
  static let readTimeoutMilliseconds: Int32 = 5_000

  private let listener: Int32
  private let wakeReader: Int32
  private let handler: @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response
  private let state: Mutex<State>
  private let connectionsInFlight = Atomic<Int>(0)
  /// Entered by every thread while it runs; `stop()` waits on it.
  private let threads = DispatchGroup()

  init(
    listener: Int32, wakeReader: Int32, wakeWriter: Int32,
    handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response
  ) {
    self.listener = listener
    self.wakeReader = wakeReader
    self.handler = handler
    state = Mutex(State(wakeWriter: wakeWriter))
  }

  var requestCount: Int { state.withLock { $0.requestCount } }

  func startAccepting() {
    threads.enter()
    Thread { [self] in
      acceptUntilStopped()
      threads.leave()
    }.start()
  }

  func stop() {
    let wakeWriter: Int32? = state.withLock { state in
      guard !state.stopped else { return nil }
      state.stopped = true
      return state.wakeWriter
    }
    guard let wakeWriter else { return }
    // Closing the pipe's write end makes its read end readable in every thread's poll.
    close(wakeWriter)
    threads.wait()
    close(listener)
    close(wakeReader)
  }

  private func acceptUntilStopped() {
    while waitReadable(listener, timeoutMilliseconds: -1) {
      let client = accept(listener, nil, nil)
      guard client >= 0 else { continue }  // EAGAIN after a client gave up, EINTR, ...
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      _ = fcntl(client, F_SETFL, 0)  // Darwin hands out the listener's O_NONBLOCK
      guard connectionsInFlight.add(1, ordering: .relaxed).newValue <= Core.connectionsMax else {
        connectionsInFlight.subtract(1, ordering: .relaxed)
        close(client)
        continue
      }
      threads.enter()
      Thread { [self] in
        serve(client)
        connectionsInFlight.subtract(1, ordering: .relaxed)
        threads.leave()
      }.start()
    }
  }

  /// Reads one request, answers it, closes the connection.
  private func serve(_ client: Int32) {
    defer {
      // shutdown ends the connection even if a forked child inherited the descriptor.
      shutdown(client, Int32(SHUT_RDWR))
      close(client)
    }
    var sendTimeout = timeval(tv_sec: 5, tv_usec: 0)
    _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
    guard let received = readRequest(client) else { return }
    let number = state.withLock { state in
      state.requestCount += 1
      return state.requestCount
    }
    let request = LoopbackHTTPServer.Request(
      number: number, method: received.method, path: received.path, headers: received.headers, body: received.body)
    let response = handler(request)
    guard sleepUnlessStopped(milliseconds: response.delayMilliseconds) else { return }
    _ = sendAll(client, Core.encode(response, method: request.method))
  }

  /// Polls `descriptor` and the wake pipe: true when `descriptor` is readable, false on timeout
  /// (-1 waits forever) or once stop() was called.
  private func waitReadable(_ descriptor: Int32, timeoutMilliseconds: Int32) -> Bool {
    var descriptors = [
      pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0, descriptors[1].revents == 0 else { return false }
      return descriptors[0].revents != 0
    }
  }

  /// Waits on the wake pipe alone: true after the whole pause, false as soon as stop() is called.
  private func sleepUnlessStopped(milliseconds: Int) -> Bool {
    guard milliseconds > 0 else { return true }
    var wake = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
    let deadline = ContinuousClock.now + .milliseconds(milliseconds)
    while true {
      let left = ContinuousClock.now.duration(to: deadline)
      guard left > .zero else { return true }
      let ready = poll(&wake, 1, Int32(clamping: Int((left / .milliseconds(1)).rounded(.up))))
      if ready < 0 && errno == EINTR { continue }
      if ready > 0 { return false }
    }
  }

  private typealias ReceivedRequest = (
    method: String, path: String, headers: [(name: String, value: String)], body: [UInt8]
  )

  private func readRequest(_ client: Int32) -> ReceivedRequest? {
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    let terminator: [UInt8] = Array("\r\n\r\n".utf8)
    var headEnd: Int?
    var request: (method: String, path: String, headers: [(name: String, value: String)], bodyBytes: Int)?
    while true {
      if headEnd == nil, let end = received.firstRange(of: terminator)?.upperBound {
        headEnd = end
        request = Core.parseHead(received[..<end])
        guard request != nil else { return nil }
      }
      if let headEnd, let head = request, received.count - headEnd >= head.bodyBytes {
        let body = Array(received[headEnd..<(headEnd + head.bodyBytes)])
        return (head.method, head.path, head.headers, body)
      }
      guard received.count <= Core.requestHeadBytesMax + Core.requestBodyBytesMax,
        waitReadable(client, timeoutMilliseconds: Core.readTimeoutMilliseconds)
      else { return nil }
      let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return nil }
      received.append(contentsOf: chunk[..<count])
      if headEnd == nil && received.count > Core.requestHeadBytesMax { return nil }
    }
  }

  private static func parseHead(
    _ head: ArraySlice<UInt8>
  ) -> (method: String, path: String, headers: [(name: String, value: String)], bodyBytes: Int)? {
    let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n")
    guard let requestLine = lines.first else { return nil }
    let parts = requestLine.split(separator: " ")
    guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
    var headers: [(name: String, value: String)] = []
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers.append((name: String(line[..<colon]), value: value))
    }
    let lengthText = headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0"
    guard let bodyBytes = Int(lengthText), (0...requestBodyBytesMax).contains(bodyBytes) else { return nil }
    return (String(parts[0]), String(parts[1]), headers, bodyBytes)
  }

  private static func encode(_ response: LoopbackHTTPServer.Response, method: String) -> [UInt8] {
    let status = response.status
    let bodyAllowed = !((100...199).contains(status) || status == 204 || status == 304)
    var head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
    for header in response.headers {
      head += "\(header.name): \(header.value)\r\n"
    }
    if bodyAllowed {
      switch response.framing {
      case .contentLength: head += "Content-Length: \(response.body.count)\r\n"
      case .declaredContentLength(let declared): head += "Content-Length: \(declared)\r\n"
      case .closeDelimited: break
      }
    }
    head += "Connection: close\r\n\r\n"
    let sendsBody = bodyAllowed && method != "HEAD"
    return Array(head.utf8) + (sendsBody ? response.body : [])
  }

  private static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 400: "Bad Request"
    case 404: "Not Found"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    default: "Status \(status)"
    }
  }

  /// Writes everything, or stops at the first error (the client went away).
  private func sendAll(_ client: Int32, _ bytes: [UInt8]) -> Bool {
    #if canImport(Glibc)
      let flags = Int32(MSG_NOSIGNAL)
    #else
      let flags: Int32 = 0
      var noSignal: Int32 = 1
      _ = setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
    #endif
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return false }
      offset += written
    }
    return true
  }
}
