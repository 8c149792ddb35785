public import Hummingbird

/// The request context: Hummingbird's core storage plus the client's address, which keys the
/// failure counts (nil in-process, where every request counts as one client).
public struct PreviewRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer's IP address, as text.
  public let remoteAddress: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress?.ipAddress
  }

  /// The request id Hummingbird puts in each request's logger, returned as `X-Request-ID`.
  var requestID: String {
    logger[metadataKey: "hb.request.id"]?.description ?? "-"
  }

  /// Who the failure counts count: the address, or one shared key when it is not known.
  var clientKey: String { remoteAddress ?? "unknown" }
}
