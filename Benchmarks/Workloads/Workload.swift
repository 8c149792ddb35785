/// One benchmark's work, shared by the package-benchmark targets (percentiles, wall clock) and by
/// `settle-guard` (instruction and allocation counts under valgrind, throughput against a
/// reference): the same setup and the same iteration, measured two ways.
public struct Workload: Sendable {
  /// The name both runners print, e.g. `Conversion/exact`.
  public let name: String
  /// What one unit of work is, in the plural: `conversions`, `orders`.
  public let unit: String
  /// Units of work in one iteration.
  public let unitsPerIteration: Int
  /// Whether `make bench-check` runs it; the others only run in `make bench`.
  public let isGuarded: Bool
  /// Whether `settle-guard` counts its instructions under valgrind (too slow for the headline runs).
  public let countsInstructions: Bool
  /// How far each figure may move before the guard calls it a regression.
  public let tolerances: Tolerances
  /// Makes what an iteration needs: reads or generates its inputs, loads rates. Not measured.
  public let setUp: @Sendable (Inputs) throws -> Iteration
  /// Checks, once and outside any measurement, that an iteration does the work it claims.
  public let check: @Sendable (Inputs) throws -> Void

  public init(
    name: String, unit: String, unitsPerIteration: Int, isGuarded: Bool, countsInstructions: Bool = true,
    tolerances: Tolerances, setUp: @escaping @Sendable (Inputs) throws -> Iteration,
    check: @escaping @Sendable (Inputs) throws -> Void
  ) {
    precondition(unitsPerIteration > 0, "\(name): an iteration must do some work")
    self.name = name
    self.unit = unit
    self.unitsPerIteration = unitsPerIteration
    self.isGuarded = isGuarded
    self.countsInstructions = countsInstructions
    self.tolerances = tolerances
    self.setUp = setUp
    self.check = check
  }
}

/// One iteration of a workload, ready to run as often as asked. It returns a figure derived from
/// its work (a sum, a count), so that the optimiser cannot drop the work.
public struct Iteration {
  public let run: () throws -> Int
  /// Undoes what the iterations left behind (scratch files); called once after the last.
  public let tearDown: () -> Void

  public init(run: @escaping () throws -> Int, tearDown: @escaping () -> Void = {}) {
    self.run = run
    self.tearDown = tearDown
  }
}

/// How far a figure may move from its committed threshold before `make bench-check` fails.
public struct Tolerances: Sendable, Equatable {
  /// Instructions may grow by this many percent. Single-threaded work repeats to within a few
  /// hundred instructions under valgrind; work on two threads moves by up to half a percent.
  public let instructionsPercent: Double
  /// Allocations may grow by this many. Single-threaded work repeats its count exactly on one
  /// machine, but CI counted one more than this machine twice for the rates window: once from
  /// appending to a longer checkout path (the store's paths are now joined once), once from a
  /// cause that no path, device, inode or libxml2 version reproduced here. A regression the guard
  /// is for (an allocation per row, publication or currency) adds hundreds.
  public let allocationsAbsolute: Int
  /// Throughput relative to the reference may drop by this many percent: time on a shared 2-core
  /// machine moves by a third between runs, and more where the work waits on the disk.
  public let throughputRatioPercent: Double

  public init(instructionsPercent: Double, allocationsAbsolute: Int, throughputRatioPercent: Double) {
    self.instructionsPercent = instructionsPercent
    self.allocationsAbsolute = allocationsAbsolute
    self.throughputRatioPercent = throughputRatioPercent
  }

  /// Work on one thread that computes in memory.
  public static let singleThreaded = Tolerances(
    instructionsPercent: 1, allocationsAbsolute: 2, throughputRatioPercent: 35)
  /// Work on two threads, or that writes and fsyncs files. Under valgrind the threads take turns,
  /// and how long one waits for the other moves the count by up to half a percent between runs
  /// (6,949 M and 6,985 M instructions seen for the same settlement build).
  public static let threadedWithFiles = Tolerances(
    instructionsPercent: 2, allocationsAbsolute: 200, throughputRatioPercent: 50)
}
