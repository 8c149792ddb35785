import Commissions
import Dates
import FuzzSupport
import Money
import Rates

/// `Program.parse`: a program file (YAML, read by Yams) checked key by key.
///
/// Invariants: a parse either succeeds or throws `ProgramError` naming the source (typed: never
/// anything else, and never a trap); a program has at least one market, at most one `every_other`
/// market, no country in two markets, percentages from 0 to 100, an attribution window of 1 to 366
/// days, a positive bounty and increasing tier thresholds in the settlement currency; and a
/// `PeriodSettlement` can be made from it and settles a small orders file without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProgram(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = inputBytes(data, size)
  let program: Program
  do {
    program = try Program.parse(bytes, source: "fuzz.yaml")
  } catch {
    invariant(
      error.source == "fuzz.yaml" && error.description.hasPrefix("fuzz.yaml") && !error.problem.isEmpty,
      "the error \(error) does not name the source and the problem")
    return 0
  }
  check(program)
  settle(program)
  return 0
}

private func check(_ program: Program) {
  invariant(!program.markets.isEmpty, "a program without markets")
  invariant((1...366).contains(program.attributionWindowDays), "window of \(program.attributionWindowDays) days")
  invariant(program.markets.count(where: { $0.countries == nil }) <= 1, "more than one every_other market")
  let listed = program.markets.flatMap { $0.countries ?? [] }
  invariant(Set(listed).count == listed.count, "a country is in two markets: \(listed)")
  let zero = FixedDecimal(significand: 0, scale: 0)
  let hundred = FixedDecimal(significand: 100, scale: 0)
  for market in program.markets {
    for percentage in [market.percentages.new, market.percentages.returning] {
      invariant(percentage >= zero && percentage <= hundred, "market \(market.name) has percentage \(percentage)")
    }
  }
  if let bounty = program.bounty { invariant(bounty.amount.minorUnits > 0, "bounty \(bounty.amount)") }
  for (index, tier) in program.tiers.enumerated() {
    invariant(tier.salesAbove.currency == program.settlementCurrency, "tier \(index) is in \(tier.salesAbove.currency)")
    invariant(
      tier.bonusPercentagePoints >= zero && tier.bonusPercentagePoints <= hundred,
      "tier \(index) adds \(tier.bonusPercentagePoints) points")
    if index > 0 {
      invariant(
        tier.salesAbove.minorUnits > program.tiers[index - 1].salesAbove.minorUnits, "tier \(index) does not increase")
    }
  }
  invariant(program.fileSHA256.utf8.count == 64, "file digest \(program.fileSHA256)")
}

/// Settles `Fixtures/orders-2026-10.csv` under the program: every percentage, bounty and tier reaches the arithmetic.
private func settle(_ program: Program) {
  guard let fixture = ProgramFixture.loaded else { fatalError("the program fixture does not load") }
  let settlement = PeriodSettlement(program: program, rates: fixture.rates, period: fixture.period)
  let options = PeriodSettlement.RunOptions(
    ordersPath: fixture.ordersPath, outputDirectory: ScratchFile.directory + "/out", strict: false,
    programSource: "fuzz.yaml", ratesSource: "Fixtures/rates-2026-10.xml", ratesSHA256: "")
  do {
    let summary = try settlement.run(options)
    for line in summary.lines {
      invariant(line.commission.currency == program.settlementCurrency, "commission line \(line)")
    }
  } catch is RatesError {
    // A settlement or bounty currency the ECB does not publish stops the run with the day and currency.
  } catch {
    invariant(false, "settling under a valid program threw \(type(of: error)): \(error)")
  }
}

private enum ProgramFixture {
  static let loaded: (rates: RateTable, period: Month, ordersPath: String)? = {
    let ratesPath = ScratchFile.fuzzPackagePath("Fixtures/rates-2026-10.xml")
    guard let xml = ScratchFile.contents(ratesPath),
      let publications = try? ECBFeed.parse(xml, source: ratesPath),
      let rates = try? RateTable(publications: publications, source: ratesPath),
      let period = Month(year: 2026, month: 10)
    else { return nil }
    return (rates, period, ScratchFile.fuzzPackagePath("Fixtures/orders-2026-10.csv"))
  }()
}
