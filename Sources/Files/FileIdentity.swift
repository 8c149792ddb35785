#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What tells one version of a file from another without reading it: its device and inode, its
/// size, and when its contents and its inode last changed, to the nanosecond.
///
/// Every write changes the change time (`st_ctime`), which no tool can set back, and a file
/// replaced by a rename has a new inode. The exception is a write in the same tick of the file
/// system's clock as the change already recorded: `isSettled(secondsMin:)` tells a file that has
/// been left alone long enough for that not to matter.
public struct FileIdentity: Equatable, Sendable {
  public var device: UInt64
  public var inode: UInt64
  public var bytes: Int64
  public var modifiedNanoseconds: Int64
  public var changedNanoseconds: Int64

  public init(device: UInt64, inode: UInt64, bytes: Int64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
    self.device = device
    self.inode = inode
    self.bytes = bytes
    self.modifiedNanoseconds = modifiedNanoseconds
    self.changedNanoseconds = changedNanoseconds
  }

  /// The identity of the regular file at `path`, or nil when there is none (missing, not a regular file).
  public init?(path: String) {
    var status = stat()
    guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
    bytes = Int64(status.st_size)
    modifiedNanoseconds = FileIdentity.nanoseconds(status.st_mtim)
    changedNanoseconds = FileIdentity.nanoseconds(status.st_ctim)
  }

  private static func nanoseconds(_ time: timespec) -> Int64 {
    Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  /// Whether the file's contents and inode last changed at least `secondsMin` ago by the system
  /// clock (and not in its future): a later write cannot then share the tick of the one recorded.
  public func isSettled(secondsMin: Int64) -> Bool {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let latest = max(modifiedNanoseconds, changedNanoseconds)
    return FileIdentity.nanoseconds(now) - latest >= secondsMin * 1_000_000_000
  }
}
