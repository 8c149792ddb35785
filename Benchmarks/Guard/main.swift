import SettleWorkloads

#if canImport(Glibc)
  import Glibc
#endif

// settle-guard: runs one workload of the catalog for Benchmarks/guard.py, which runs this program
// under valgrind for instruction and allocation counts, and natively for throughput.
//
//   settle-guard list                      one JSON object per workload
//   settle-guard check NAME                generates its inputs and checks its work
//   settle-guard run NAME ITERATIONS       sets up, then runs ITERATIONS iterations (guard.py: 2 less 1)
//   settle-guard throughput NAME ROUNDS    units/s and the reference's MB/s, side by side, ROUNDS times

/// Stops with a message on stderr and status 2 (a usage or setup error, not a regression).
func fail(_ message: String) -> Never {
  let line = Array("settle-guard: \(message)\n".utf8)
  _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  exit(2)
}

func workload(_ name: String) -> Workload {
  guard let workload = Catalog.named(name) else {
    fail("no workload named \"\(name)\"; `settle-guard list` names them")
  }
  return workload
}

/// A JSON string literal for `text` (names and units are plain ASCII; quotes and backslashes escaped).
func jsonString(_ text: String) -> String {
  var escaped = "\""
  for character in text {
    if character == "\"" || character == "\\" { escaped.append("\\") }
    escaped.append(character)
  }
  return escaped + "\""
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Times `body`, which returns a figure derived from its work.
func timed(_ body: () throws -> Int) rethrows -> (seconds: Double, figure: Int) {
  let start = ContinuousClock.now
  let figure = try body()
  return (seconds(ContinuousClock.now - start), figure)
}

/// Reference passes until at least `secondsMin` have gone by: (passes, seconds).
func referencePasses(_ reference: Reference, secondsMin: Double) -> (passes: Int, seconds: Double) {
  var passes = 0
  var hash: UInt64 = 0
  let start = ContinuousClock.now
  var elapsed = 0.0
  repeat {
    hash ^= reference.pass()
    passes += 1
    elapsed = seconds(ContinuousClock.now - start)
  } while elapsed < secondsMin
  if hash == 42 { print("") }  // keeps the hash alive
  return (passes, elapsed)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func measureThroughput(_ workload: Workload, rounds: Int) throws {
  let inputs = Inputs()
  let iteration = try workload.setUp(inputs)
  defer { iteration.tearDown() }
  let reference = Reference()
  // One warm-up iteration, which also tells how many iterations make a measurement of 0.2 s or more.
  let warmUp = try timed(iteration.run)
  let iterationsPerRound = max(1, Int((0.2 / max(warmUp.seconds, 1e-6)).rounded(.up)))
  var unitsPerSecond: [Double] = []
  var referenceBytesPerSecond: [Double] = []
  var ratios: [Double] = []
  for _ in 0..<rounds {
    // The reference runs before and after the workload, for half its time each, so that a change
    // in the machine's load during the round weighs on both alike.
    let before = referencePasses(reference, secondsMin: max(0.05, warmUp.seconds * Double(iterationsPerRound) / 2))
    var elapsed = 0.0
    for _ in 0..<iterationsPerRound { elapsed += try timed(iteration.run).seconds }
    let after = referencePasses(reference, secondsMin: max(0.05, elapsed / 2))
    let units = Double(workload.unitsPerIteration * iterationsPerRound) / elapsed
    let referenceRate =
      Double((before.passes + after.passes) * Reference.bufferBytes) / (before.seconds + after.seconds)
    unitsPerSecond.append(units)
    referenceBytesPerSecond.append(referenceRate)
    ratios.append(units / (referenceRate / 1e6))
  }
  // The ratio is of the best rounds on either side: another process only ever slows a loop down,
  // so each side's fastest round is its least disturbed one. Medians are printed for reading.
  let bestUnits = unitsPerSecond.max() ?? 0
  let bestReference = referenceBytesPerSecond.max() ?? 1
  print(
    "{\"name\": \(jsonString(workload.name)), \"units_per_second\": \(median(unitsPerSecond)), "
      + "\"best_units_per_second\": \(bestUnits), "
      + "\"reference_megabytes_per_second\": \(median(referenceBytesPerSecond) / 1e6), "
      + "\"ratio\": \(bestUnits / (bestReference / 1e6)), \"median_round_ratio\": \(median(ratios)), "
      + "\"rounds\": \(rounds), \"iterations_per_round\": \(iterationsPerRound)}")
}

let arguments = CommandLine.arguments.dropFirst()
do {
  switch (arguments.first, arguments.count) {
  case ("list", 1):
    for workload in Catalog.all {
      let tolerances = workload.tolerances
      print(
        "{\"name\": \(jsonString(workload.name)), \"unit\": \(jsonString(workload.unit)), "
          + "\"units_per_iteration\": \(workload.unitsPerIteration), \"guarded\": \(workload.isGuarded), "
          + "\"counts_instructions\": \(workload.countsInstructions), "
          + "\"instructions_percent\": \(tolerances.instructionsPercent), "
          + "\"allocations_absolute\": \(tolerances.allocationsAbsolute), "
          + "\"throughput_ratio_percent\": \(tolerances.throughputRatioPercent)}")
    }
  case ("check", 2):
    try workload(arguments[arguments.startIndex + 1]).check(Inputs())
  case ("run", 3):
    guard let iterations = Int(arguments[arguments.startIndex + 2]), iterations >= 0 else {
      fail("ITERATIONS must be a whole number of at least 0")
    }
    let iteration = try workload(arguments[arguments.startIndex + 1]).setUp(Inputs())
    var figure = 0
    for _ in 0..<iterations { figure &+= try iteration.run() }
    iteration.tearDown()
    // Printed so the work is kept, as its low 32 bits: the text of a figure over 15 digits takes an
    // allocation, and the guard's count (a run of 2 iterations less a run of 1) would include it.
    print(figure & 0xFFFF_FFFF)
  case ("throughput", 3):
    guard let rounds = Int(arguments[arguments.startIndex + 2]), rounds >= 1 else {
      fail("ROUNDS must be a whole number of at least 1")
    }
    try measureThroughput(workload(arguments[arguments.startIndex + 1]), rounds: rounds)
  default:
    fail("usage: settle-guard list | check NAME | run NAME ITERATIONS | throughput NAME ROUNDS")
  }
} catch {
  fail("\(error)")
}
