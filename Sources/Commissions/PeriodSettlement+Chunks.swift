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

  /// Reads the file on two threads, a chunk of whole lines (`RunOptions.chunkBytes`) at a time:
  /// each thread takes the next chunk when it is done with one, and each chunk's audit lines are
  /// appended to the audit in file order. So the audit is written once, front to back, while the
  /// run goes on (and synced to disk as it grows), rather than as two halves joined at the end;
  /// and each thread holds at most one chunk's lines. A chunk is read from the file once: the read
  /// that finds where it ends (its last line's line feed) brings its bytes into the thread's
  /// `LineStretch`, which the CSV reader then reads in place.
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
      file: try LineStretchReader(path: options.ordersPath), start: headerBytes, fileBytes: fileBytes,
      chunkBytes: options.chunkBytes, audit: audit, progress: progress)
    let totals = AffiliateMarketTotals(tierCount: levels.tierCount)
    DispatchQueue.concurrentPerform(iterations: ChunkedRun.threads) { thread in
      run.store(thread) {
        let hashes = try OrderIDHashes(
          scratchDirectory: options.outputDirectory, bytes: fileBytes, bytesMax: options.ordersFileBytesMax)
        var state = RunState(
          path: options.ordersPath, audit: nil, settlementCurrency: program.settlementCurrency, totals: totals,
          period: period, currencyCount: codes.currencies.count, orderIDs: .collect(hashes))
        state.columns = columns
        let stretch = LineStretch(capacity: options.chunkBytes + ChunkedRun.stretchSlackBytes)
        while let plan = try run.next(thread: thread, into: stretch) {
          let reader = CSVReader(
            bytes: stretch.bytes, path: options.ordersPath, firstLine: plan.firstLine,
            endsInsideFile: stretch.end < fileBytes)
          let rowsBefore = state.counts.inputRows
          state.firstRejection = nil
          try reader.forEachRecord { record in try handle(record, state: &state) }
          run.noteRejection(state.firstRejection, chunk: plan.chunk)
          guard reader.bytesRead == stretch.count else {
            run.splitInsideRecord(chunk: plan.chunk)
            return state
          }
          try state.audit.withLines { lines in
            try run.append(
              lines, chunk: plan.chunk, thread: thread, rows: state.counts.inputRows - rowsBefore,
              bytes: stretch.count)
          }
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

/// What the threads of a chunked read share: the next chunk, given out (and read) in file order
/// as the threads ask; the turn to append to the audit; the first rejection in file order; each
/// thread's result.
///
/// Unchecked: the chunks, the rejection and the stop reason are behind one lock; the audit is
/// appended to (and `progress` called) only by the thread whose chunk is next in file order
/// (`TurnOrder`); each thread writes only its own element of `results` and
/// `chunks` (raw memory, so two threads never modify one array), read after `concurrentPerform`
/// has returned.
private final class ChunkedRun: @unchecked Sendable {
  static let threads = 2
  /// Room past a chunk's least length for the rest of its last line; a longer line grows the stretch.
  static let stretchSlackBytes = 256 << 10

  struct Plan {
    /// The chunk's number, in file order.
    let chunk: Int
    /// The line number of the chunk's first line.
    let firstLine: Int
  }

  private struct Shared {
    /// Where the next chunk starts, and its first line; nil once the file is read to its end.
    var next: (start: Int, line: Int)?
    /// Chunks given out so far.
    var given = 0
    var stopped = false
    /// The earliest chunk whose last record ran past its end.
    var splitChunk: Int?
    /// The first rejection of the earliest chunk that had one.
    var firstRejection: (chunk: Int, text: String)?
  }

  let file: LineStretchReader
  let fileBytes: Int
  let chunkBytes: Int
  let audit: AtomicFileWriter
  let progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  private let shared: Mutex<Shared>
  /// The turn to append to the audit, chunk by chunk.
  private let turns = TurnOrder(threads: ChunkedRun.threads)
  private let results: UnsafeMutablePointer<Result<RunState, any Error>?>
  /// The chunk each thread is reading, or was when it failed.
  private let chunks: UnsafeMutablePointer<Int>
  private var rowsAppended = 0
  private var bytesAppended = 0

  init(
    file: LineStretchReader, start: Int, fileBytes: Int, chunkBytes: Int, audit: AtomicFileWriter,
    progress: ((_ rows: Int, _ bytesRead: Int) -> Void)?
  ) {
    self.file = file
    self.fileBytes = fileBytes
    self.chunkBytes = chunkBytes
    self.audit = audit
    self.progress = progress
    shared = Mutex(Shared(next: (start, 2)))
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

  /// The next chunk for thread `thread`, its bytes read into `stretch`; nil past the end of the
  /// file or once the run has stopped.
  func next(thread: Int, into stretch: LineStretch) throws(FileError) -> Plan? {
    try shared.withLock { shared throws(FileError) -> Plan? in
      guard !shared.stopped, let next = shared.next else { return nil }
      let chunk = shared.given
      chunks[thread] = chunk
      try file.read(from: next.start, bytesMin: chunkBytes, into: stretch)
      guard stretch.count > 0 else {
        // The file is shorter than it was: what is left of it is nothing.
        shared.next = nil
        return nil
      }
      shared.given += 1
      shared.next = stretch.end < fileBytes ? (stretch.end, next.line + stretch.lineFeeds) : nil
      return Plan(chunk: chunk, firstLine: next.line)
    }
  }

  /// Keeps `rejection` when its chunk comes before that of the one kept.
  func noteRejection(_ rejection: String?, chunk: Int) {
    guard let rejection else { return }
    shared.withLock { shared in
      if shared.firstRejection.map({ chunk < $0.chunk }) ?? true { shared.firstRejection = (chunk, rejection) }
    }
  }

  /// Stops the run: no more chunks are given out, and no thread waits for its turn. The chunks
  /// being read are read to their end, so that every chunk before the one that stopped the run
  /// has been read whole.
  func stop() {
    shared.withLock { $0.stopped = true }
    turns.stop()
  }

  /// Chunk `chunk` ended past its range: the run stops, and the file will be read whole.
  func splitInsideRecord(chunk: Int) {
    shared.withLock { shared in
      if shared.splitChunk.map({ chunk < $0 }) ?? true { shared.splitChunk = chunk }
    }
    stop()
  }

  /// Appends chunk `chunk`'s audit lines once every chunk before it is appended.
  func append(_ lines: UnsafeBufferPointer<UInt8>, chunk: Int, thread: Int, rows: Int, bytes: Int) throws {
    guard turns.waitForTurn(chunk, thread: thread) else { return }
    try audit.write(lines)
    rowsAppended += rows
    bytesAppended += bytes
    progress?(rowsAppended, bytesAppended)
    turns.done(chunk)
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
    return states
  }
}
