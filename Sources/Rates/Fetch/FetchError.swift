/// A feed that could not be fetched, naming the URL, how many attempts were made, and why the last one failed.
///
/// `description` is one line: `fetching http://127.0.0.1:8080/x failed after 4 attempts: HTTP status 500`.
public struct FetchError: Error, CustomStringConvertible, Equatable {
  public enum Kind: Equatable, Sendable {
    /// The URL (or a redirect) is not http or https; refused before any request.
    case unsupportedScheme
    /// The final response's status is neither 200 nor 304.
    case httpStatus(Int)
    /// The connect timeout or the total timeout passed.
    case timedOut
    /// The connection closed before the whole body announced by Content-Length arrived.
    case truncatedBody
    /// The body (after content decoding) is longer than `bytesMax`.
    case bodyTooLarge(bytesMax: Int)
    /// The server redirected more than `redirectsMax` times.
    case tooManyRedirects(redirectsMax: Int)
    /// Any other libcurl failure: its `CURLcode` and message (cannot connect, TLS verification failed, ...).
    case transport(code: Int, message: String)
  }

  public let kind: Kind
  /// The URL as given to `FeedFetcher.fetch`.
  public let url: String
  /// Requests started, retries included; 0 when the URL was refused before any request.
  public let attempts: Int

  public init(_ kind: Kind, url: String, attempts: Int) {
    precondition(attempts >= 0, "attempts must not be negative, got \(attempts)")
    self.kind = kind
    self.url = url
    self.attempts = attempts
  }

  public var description: String {
    guard attempts > 0 else {
      return "fetching \(url) refused: \(reason)"
    }
    return "fetching \(url) failed after \(attempts) \(attempts == 1 ? "attempt" : "attempts"): \(reason)"
  }

  private var reason: String {
    switch kind {
    case .unsupportedScheme:
      "only http and https URLs are fetched"
    case .httpStatus(let status):
      "HTTP status \(status)"
    case .timedOut:
      "timed out"
    case .truncatedBody:
      "the connection closed before the whole body arrived"
    case .bodyTooLarge(let bytesMax):
      "the body is larger than \(bytesMax) bytes"
    case .tooManyRedirects(let redirectsMax):
      "more than \(redirectsMax) redirects"
    case .transport(let code, let message):
      "curl error \(code): \(message)"
    }
  }
}
