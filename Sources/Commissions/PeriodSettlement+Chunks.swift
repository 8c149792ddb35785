import CSV
import Dispatch
import Files
import Synchronization

extension PeriodSettlement {
  /// How a parallel read ended.
  enum ParallelOutcome {
    case read(AtomicFileWriter, RunState)
    /// A chunk boundary fell inside a quoted field: read the file whole.
    case splitInsideRecord
    /// Two orders' id hashes are equal: read the file again comparing these exactly.
    case repeatedHashes(Set<UInt64>)
  }

  /// Reads the file on two threads, a chunk at a time: each thread takes the next chunk when it
  /// is done with one, and each chunk's audit lines are appended to the audit in file order. So the
  /// audit is written once, front to back, while the run goes on (and synced to disk as it grows),
  /// rather than as two halves joined at the end; and each thread holds at most a few chunks' lines.
  ///
  /// Chunk `k` is the lines that start in the `chunkBytes` from `dataStart + k × chunkBytes`: a
  /// thread finds where they start and end by itself, reading its chunk with the line feed before
  /// it and the rest of its last line. So the threads read at the same time, neither waiting on
  /// the other's read; each learns its chunk's first line number from the line feeds of the chunks
  /// before it, which their threads count first thing (see `ChunkedRun`).
  ///
  /// The caller reads the whole file on one thread instead when a boundary fell inside a quoted
  /// field (a chunk's last record ran past its end) or two order id hashes are equal, so the
  /// outputs are always those of a single-threaded run, byte for byte.
  func readInChunks(
    _ options: RunOptions, auditTarget: String, fileBytes: Int,
    progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  ) throws -> ParallelOutcome {
    let headerReader = try CSVReader(
      path: options.ordersPath, byteRange: 0..<1, firstLine: 1, fileBytesMax: options.ordersFileBytesMax)
    var header: OrdersColumns?
    try headerReader.forEachRecord { record in
      if case .record(let row) = record { header = try OrdersColumns(header: row, path: options.ordersPath) }
    }
    let headerBytes = headerReader.bytesRead
    guard let columns = header, headerBytes < fileBytes else { return .splitInsideRecord }
    let audit = try PeriodSettlement.auditFile(auditTarget)
    try audit.write(PeriodSettlement.auditHeader)
    let run = ChunkedRun(
      file: try LineStretchReader(path: options.ordersPath), dataStart: headerBytes, fileBytes: fileBytes,
      chunkBytes: options.chunkBytes, audit: audit, progress: progress)
    let totals = try AffiliateMarketTotals(
      tierCount: levels.tierCount, groupsMax: OrderIDHashes.rowCountMax(forBytes: fileBytes))
    DispatchQueue.concurrentPerform(iterations: ChunkedRun.threads) { thread in
      run.store(thread) {
        let hashes = try OrderIDHashes(
          scratchDirectory: options.outputDirectory, bytes: fileBytes, bytesMax: options.ordersFileBytesMax)
        var state = RunState(
          path: options.ordersPath, audit: nil, settlementCurrency: program.settlementCurrency, totals: totals,
          period: period, currencyCount: codes.currencies.count, orderIDs: .collect(hashes))
        state.columns = columns
        let stretch = LineStretch(capacity: options.chunkBytes + ChunkedRun.stretchSlackBytes)
        var spare: AuditLines?
        while let plan = try run.next(thread: thread, into: stretch) {
          let reader = CSVReader(
            bytes: plan.bytes, path: options.ordersPath, firstLine: plan.firstLine, endsInsideFile: plan.endsInsideFile)
          let rowsBefore = state.counts.inputRows
          state.firstRejection = nil
          try reader.forEachRecord { record in try handle(record, state: &state) }
          run.noteRejection(state.firstRejection, chunk: plan.chunk)
          guard reader.bytesRead == plan.bytes.count else {
            run.splitInsideRecord(chunk: plan.chunk)
            return state
          }
          let lines = state.audit.handOverLines(goingOnIn: spare)
          spare = try run.deliver(
            lines, chunk: plan.chunk, thread: thread, rows: state.counts.inputRows - rowsBefore,
            bytes: plan.bytes.count)
          guard spare != nil else { return state }
        }
        return state
      }
    }
    guard let states = try run.states() else {
      audit.abandon()
      return .splitInsideRecord
    }
    let repeated = try OrderIDCheck.repeatedHashes(states.compactMap { $0.orderIDs.hashes })
    guard repeated.isEmpty else {
      audit.abandon()
      return .repeatedHashes(repeated)
    }
    var merged = states[0]
    merged.orderIDs.release()
    for later in states.dropFirst() { try merged.absorb(later) }
    merged.firstRejection = run.firstRejection
    return .read(audit, merged)
  }
}

/// What the threads of a chunked read share: the next chunk to take; each chunk's line feeds,
/// from which a chunk's first line number follows; the chunks' audit lines waiting for their turn
/// to be appended, and spare memory for more; the first rejection in file order; each thread's
/// result.
///
/// A thread done with a chunk leaves its lines to be appended in file order and goes on with a
/// spare buffer, rather than waiting for the chunk before its own: whichever thread finds the next
/// chunk's lines ready appends them, and every ready one after. Only when `spareBuffers` are all
/// holding lines does a thread wait. (Each thread waiting its turn to append, and reading its
/// chunk under a lock the other thread waited on, left the threads idle 30 to 150 ms of 10 M orders.)
///
/// Unchecked: the shared state is behind one lock; `rowsAppended`, `bytesAppended` and the audit
/// are touched only by the thread that holds the turn to append (`Shared.appending`), passed
/// under the lock; each thread writes only its own element of `results` and `chunks` (raw
/// memory, so two threads never modify one array), read after `concurrentPerform` has returned.
private final class ChunkedRun: @unchecked Sendable {
  static let threads = 2
  /// Room past a chunk's least length for the rest of its last line; a longer line grows the stretch.
  static let stretchSlackBytes = 256 << 10
  /// Buffers of audit lines beyond one per thread.
  static let spareBuffers = 2

  struct Plan {
    /// The chunk's number, in file order.
    let chunk: Int
    /// The line number of the chunk's first line.
    let firstLine: Int
    /// The chunk's lines, in the thread's stretch.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Whether the file goes on past them.
    let endsInsideFile: Bool
  }

  private struct Delivery {
    let lines: AuditLines
    let rows: Int
    let bytes: Int
  }

  private struct Shared {
    var stopped = false
    /// The earliest chunk whose last record ran past its end.
    var splitChunk: Int?
    /// The first rejection of the earliest chunk that had one.
    var firstRejection: (chunk: Int, text: String)?
    /// Per chunk, its line feeds once its thread has counted them.
    var lineFeeds: [Int?]
    /// The first line of each chunk whose chunks before it have all counted their line feeds.
    var firstLines: [Int]
    /// Chunks whose lines wait to be appended, by chunk.
    var waiting: [Int: Delivery] = [:]
    /// The next chunk to append, and whether a thread is appending.
    var nextToAppend = 0
    var appending = false
    /// Buffers of appended lines, to be written into again; and how many more may be made.
    var spares: [AuditLines] = []
    var sparesToMake = ChunkedRun.spareBuffers
    /// Per thread, what it sleeps for, if it sleeps: the first line of a chunk, or a spare.
    var sleeping: [Sleep?]
  }

  private enum Sleep {
    case firstLine(chunk: Int)
    case spare
  }

  let file: LineStretchReader
  let dataStart: Int
  let fileBytes: Int
  let chunkBytes: Int
  let chunkCount: Int
  let audit: AtomicFileWriter
  let progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  private let taken = Atomic<Int>(0)
  private let shared: Mutex<Shared>
  /// One per thread: signalled when what it sleeps for is there, or the run stops.
  private let wakeUps: [DispatchSemaphore]
  private let results: UnsafeMutablePointer<Result<RunState, any Error>?>
  /// The chunk each thread is reading, or was when it failed.
  private let chunks: UnsafeMutablePointer<Int>
  private var rowsAppended = 0
  private var bytesAppended = 0

  init(
    file: LineStretchReader, dataStart: Int, fileBytes: Int, chunkBytes: Int, audit: AtomicFileWriter,
    progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  ) {
    precondition(dataStart < fileBytes && chunkBytes > 0, "a chunk of bytes after the header")
    self.file = file
    self.dataStart = dataStart
    self.fileBytes = fileBytes
    self.chunkBytes = chunkBytes
    chunkCount = (fileBytes - dataStart + chunkBytes - 1) / chunkBytes
    self.audit = audit
    self.progress = progress
    shared = Mutex(
      Shared(
        lineFeeds: Array(repeating: nil, count: chunkCount), firstLines: [2],
        sleeping: Array(repeating: nil, count: ChunkedRun.threads)))
    // Made at 0: libdispatch refuses to free a semaphore whose count is below the one it was made with.
    wakeUps = (0..<ChunkedRun.threads).map { _ in DispatchSemaphore(value: 0) }
    results = UnsafeMutablePointer.allocate(capacity: ChunkedRun.threads)
    results.initialize(repeating: nil, count: ChunkedRun.threads)
    chunks = UnsafeMutablePointer.allocate(capacity: ChunkedRun.threads)
    chunks.initialize(repeating: 0, count: ChunkedRun.threads)
  }

  deinit {
    results.deinitialize(count: ChunkedRun.threads)
    results.deallocate()
    chunks.deallocate()
  }

  var firstRejection: String? { shared.withLock { $0.firstRejection?.text } }

  /// The next chunk for thread `thread`, read into `stretch`; nil past the end of the file or once
  /// the run has stopped.
  ///
  /// Chunk `k` starts at the first line that starts at or after `dataStart + k × chunkBytes`: the
  /// stretch is read from the byte before that offset, and the chunk starts after its first line
  /// feed (no line starting in the chunk's bytes leaves it empty). It ends where the next chunk
  /// starts: the stretch is read through the first line feed at or after the last of its bytes.
  func next(thread: Int, into stretch: LineStretch) throws(FileError) -> Plan? {
    guard !shared.withLock({ $0.stopped }) else { return nil }
    let chunk = taken.add(1, ordering: .relaxed).oldValue
    guard chunk < chunkCount else { return nil }
    chunks[thread] = chunk
    let offset = dataStart + chunk * chunkBytes
    // For chunk 0 the byte before is the header's line feed.
    try file.read(from: offset - 1, bytesMin: chunkBytes + 1, into: stretch)
    var skipped = stretch.count
    var lineFeeds = 0
    if let lineFeed = stretch.bytes.firstIndex(of: UInt8(ascii: "\n")) {
      // The bytes through it end the chunk before (or the header).
      skipped = lineFeed + 1
      lineFeeds = stretch.lineFeeds - 1
    }
    // Else a line that started in an earlier chunk runs through this one to the end of the file.
    assert(chunk > 0 || skipped == 1, "the header's line feed lies just before the first chunk")
    let bytes = UnsafeBufferPointer(rebasing: stretch.bytes[skipped...])
    guard let firstLine = firstLine(of: chunk, lineFeeds: lineFeeds, thread: thread) else { return nil }
    return Plan(chunk: chunk, firstLine: firstLine, bytes: bytes, endsInsideFile: stretch.end < fileBytes)
  }

  /// Records chunk `chunk`'s line feeds, then the line number of its first line, once every chunk
  /// before it has counted its own; nil when the run stops first.
  private func firstLine(of chunk: Int, lineFeeds: Int, thread: Int) -> Int? {
    while true {
      let known = shared.withLock { shared -> Int?? in
        if shared.lineFeeds[chunk] == nil {
          shared.lineFeeds[chunk] = lineFeeds
          while let last = shared.firstLines.last, shared.firstLines.count <= chunkCount,
            let counted = shared.lineFeeds[shared.firstLines.count - 1]
          {
            shared.firstLines.append(last + counted)
          }
          for (sleeper, sleep) in shared.sleeping.enumerated() {
            if case .firstLine(let awaited) = sleep, awaited < shared.firstLines.count {
              shared.sleeping[sleeper] = nil
              wakeUps[sleeper].signal()
            }
          }
        }
        if shared.stopped { return .some(nil) }
        if chunk < shared.firstLines.count { return .some(shared.firstLines[chunk]) }
        shared.sleeping[thread] = .firstLine(chunk: chunk)
        return nil
      }
      if let known { return known }
      wakeUps[thread].wait()
    }
  }

  /// Keeps `rejection` when its chunk comes before that of the one kept.
  func noteRejection(_ rejection: String?, chunk: Int) {
    guard let rejection else { return }
    shared.withLock { shared in
      if shared.firstRejection.map({ chunk < $0.chunk }) ?? true { shared.firstRejection = (chunk, rejection) }
    }
  }

  /// Stops the run: no more chunks are given out, and no thread sleeps. The chunks being read are
  /// read to their end, so that every chunk before the one that stopped the run has been read whole.
  func stop() {
    shared.withLock { shared in
      shared.stopped = true
      for (sleeper, sleep) in shared.sleeping.enumerated() where sleep != nil {
        shared.sleeping[sleeper] = nil
        wakeUps[sleeper].signal()
      }
    }
  }

  /// Chunk `chunk` ended past its range: the run stops, and the file will be read whole.
  func splitInsideRecord(chunk: Int) {
    shared.withLock { shared in
      if shared.splitChunk.map({ chunk < $0 }) ?? true { shared.splitChunk = chunk }
    }
    stop()
  }

  /// Leaves chunk `chunk`'s lines to be appended in file order, appending them (and every chunk
  /// after them that is ready) if theirs is the next turn and no other thread is appending.
  /// - Returns: memory for the thread's next chunk's lines; nil once the run has stopped.
  func deliver(_ lines: AuditLines, chunk: Int, thread: Int, rows: Int, bytes: Int) throws -> AuditLines? {
    let appends = shared.withLock { shared in
      shared.waiting[chunk] = Delivery(lines: lines, rows: rows, bytes: bytes)
      guard !shared.appending, !shared.stopped, shared.nextToAppend == chunk else { return false }
      shared.appending = true
      return true
    }
    if appends { try appendReady() }
    return spare(thread: thread)
  }

  /// Appends waiting lines, chunk after chunk, while the next chunk's are there.
  private func appendReady() throws {
    while true {
      let next = shared.withLock { shared -> Delivery? in
        guard !shared.stopped, let next = shared.waiting.removeValue(forKey: shared.nextToAppend) else {
          shared.appending = false
          return nil
        }
        return next
      }
      guard let next else { return }
      do {
        try audit.write(next.lines.bytes)
      } catch {
        shared.withLock { $0.appending = false }
        throw error
      }
      rowsAppended += next.rows
      bytesAppended += next.bytes
      progress?(rowsAppended, bytesAppended)
      shared.withLock { shared in
        shared.nextToAppend += 1
        shared.spares.append(next.lines)
        if let sleeper = shared.sleeping.firstIndex(where: { if case .spare = $0 { true } else { false } }) {
          shared.sleeping[sleeper] = nil
          wakeUps[sleeper].signal()
        }
      }
    }
  }

  /// A buffer for the next chunk's lines: a spare, or a new one while fewer than `spareBuffers`
  /// were made; else this thread sleeps until one is appended. Nil once the run has stopped.
  private func spare(thread: Int) -> AuditLines? {
    while true {
      let found = shared.withLock { shared -> AuditLines?? in
        if shared.stopped { return .some(nil) }
        if let spare = shared.spares.popLast() { return spare }
        if shared.sparesToMake > 0 {
          shared.sparesToMake -= 1
          let memory = AuditLines.newMemory()
          return AuditLines(holding: memory.base, capacity: memory.capacity, count: 0)
        }
        shared.sleeping[thread] = .spare
        return nil
      }
      if let found { return found }
      wakeUps[thread].wait()
    }
  }

  /// Runs `produce` for thread `thread` and keeps what it made; a failure stops the run.
  func store(_ thread: Int, _ produce: () throws -> RunState) {
    let result = Result { try produce() }
    if case .failure = result { stop() }
    results[thread] = result
  }

  /// What each thread made, or nil when a chunk ended past its range and no chunk before it
  /// failed: the file is then to be read whole.
  /// - Throws: the error of the earliest chunk that failed, as a read on one thread would.
  func states() throws -> [RunState]? {
    var failure: (chunk: Int, error: any Error)?
    var states: [RunState] = []
    for thread in 0..<ChunkedRun.threads {
      guard let result = results[thread] else { preconditionFailure("thread \(thread) ran") }
      switch result {
      case .success(let state): states.append(state)
      case .failure(let error):
        if failure.map({ chunks[thread] < $0.chunk }) ?? true { failure = (chunks[thread], error) }
      }
    }
    let splitChunk = shared.withLock { $0.splitChunk }
    if let splitChunk, failure.map({ $0.chunk > splitChunk }) ?? true { return nil }
    if let failure { throw failure.error }
    assert(shared.withLock { $0.nextToAppend == chunkCount && $0.waiting.isEmpty }, "every chunk's lines appended")
    return states
  }
}
