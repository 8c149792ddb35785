import Testing

@testable import Files

/// Reserved address space reads as zeros and keeps what is written anywhere in it; a reservation
/// the system will not make is refused.
struct ReservedMemoryTests {
  @Test func aLargeReservationKeepsWhatIsWrittenAtItsEndsAndReadsZerosElsewhere() throws {
    let bytes = 8 << 30
    let reserved = try #require(ReservedMemory(bytes: bytes))
    #expect(reserved.bytes == bytes)
    let words = reserved.base.bindMemory(to: UInt64.self, capacity: bytes / 8)
    words[0] = 0xDEAD_BEEF
    words[bytes / 8 - 1] = 42
    words[(bytes / 8) / 2] = 7
    #expect(words[0] == 0xDEAD_BEEF)
    #expect(words[bytes / 8 - 1] == 42)
    #expect(words[(bytes / 8) / 2] == 7)
    #expect(words[1] == 0)
    #expect(words[(bytes / 8) / 2 + 1] == 0)
    #expect(words[bytes / 8 - 2] == 0)
  }

  /// More than the process can address is refused, not crashed on: the caller names the limit.
  @Test func moreThanTheAddressSpaceIsRefused() {
    #expect(ReservedMemory(bytes: 1 << 62) == nil)
  }
}
