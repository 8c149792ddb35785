@testable import BankDetails
import Foundation
import Testing

/// The example IBAN of each country in the SWIFT IBAN registry (release 101, the one python-stdnum 2.2 copies), as
/// the registry prints them in electronic format.
private let registryExamples = [
  "AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741", "AT611904300234573201",
  "AZ21NABZ00000000137010001944", "BA391290079401028494", "BE68539007547034", "BG80BNBG96611020345678",
  "BH67BMAG00001299123456", "BI4210000100010000332045181", "BR1800360305000010009795493C1",
  "BY13NBRB3600900000002Z00AB00", "CH9300762011623852957", "CR05015202001026284066", "CY17002001280000001200527600",
  "CZ6508000000192000145399", "DE89370400440532013000", "DJ2100010000000154000100186", "DK5000400440116243",
  "DO28BAGR00000001212453611324", "EE382200221020145685", "EG380019000500000000263180002",
  "ES9121000418450200051332", "FI2112345600000785", "FK88SC123456789012", "FO6264600001631634",
  "FR1420041010050500013M02606", "GB29NWBK60161331926819", "GE29NB0000000101904917", "GI75NWBK000000007099453",
  "GL8964710001000206", "GR1601101250000000012300695", "GT82TRAJ01020000001210029690",
  "HN88CABF00000000000250005469", "HR1210010051863000160", "HU42117730161111101800000000",
  "IE29AIBK93115212345678", "IL620108000000099999999", "IQ98NBIQ850123456789012", "IS140159260076545510730339",
  "IT60X0542811101000000123456", "JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101",
  "KZ86125KZT5004100100", "LB62099900000001001901229114", "LC55HEMM000100010012001200023015",
  "LI21088100002324013AA", "LT121000011101001000", "LU280019400644750000", "LV80BANK0000435195001",
  "LY83002048000020100120361", "MC5811222000010123456789030", "MD24AG000225100013104168",
  "ME25505000012345678951", "MK07250120000058984", "MN121234123456789123", "MR1300020001010000123456753",
  "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR", "NI45BAPR00000013000003558124",
  "NL91ABNA0417164300", "NO9386011117947", "OM810180000001299123456", "PK36SCBL0000001123456702",
  "PL61109010140000071219812874", "PS92PALS000000000400123456702", "PT50000201231234567890154",
  "QA58DOHB00001234567890ABCDEFG", "RO49AAAA1B31007593840000", "RS35260005601001611379",
  "RU0304452522540817810538091310419", "SA0380000000608010167519", "SC18SSCB11010000000000001497USD",
  "SD2129010501234001", "SE4550000000058398257466", "SI56263300012039086", "SK3112000000198742637541",
  "SM86U0322509800000000270100", "SO211000001001000100141", "ST68000100010051845310112",
  "SV62CENR00000000000000700025", "TL380080012345678910157", "TN5910006035183598478831",
  "TR330006100519786457841326", "UA213223130000026007233566001", "VA59001123000012345678",
  "VG96VPVG0000012345678901", "XK051212012345678906", "YE15CBYE0001018861234567891234",
]

/// Knuth's MMIX linear congruential generator: seeded, so every run judges the same candidates.
private struct LinearCongruential: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state ^ (state >> 29)
  }
}

private let digits = Array("0123456789")
private let capitals = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
private let alphanumerics = digits + capitals

/// An IBAN of the registry entry's format with random characters of each position's class and the right check
/// digits, worked out by the test's own mod-97 reference.
private func syntheticIBAN(_ entry: IBANRegistry.Entry, using generator: inout LinearCongruential) -> String {
  var bban = ""
  for positionClass in entry.bbanClasses.description.lowercased() {
    let choices = positionClass == "n" ? digits : (positionClass == "a" ? capitals : alphanumerics)
    bban.append(choices.randomElement(using: &generator) ?? "0")
  }
  let code = entry.countryCode.description
  return code + ReferenceCheckDigits.twoDigits(ReferenceCheckDigits.expected(countryCode: code, bban: bban)) + bban
}

/// A synthetic IBAN of the entry's format whose check digits are 02, 97 or 98, written instead as 99, 00 or 01: the
/// same remainder mod 97, but outside the 02 to 98 that ISO 13616 allows.
private func checkDigitAlias(_ entry: IBANRegistry.Entry, using generator: inout LinearCongruential) -> String {
  let aliases = ["02": "99", "97": "00", "98": "01"]
  while true {
    let iban = syntheticIBAN(entry, using: &generator)
    if let alias = aliases[String(iban.dropFirst(2).prefix(2))] {
      return iban.prefix(2) + alias + iban.dropFirst(4)
    }
  }
}

/// Every single-digit change of `iban`, check digits included; every swap of two adjacent different characters;
/// and `randomCount` random edits (a character replaced, inserted or removed, or another country code).
private func mutations(of iban: String, randomCount: Int, using generator: inout LinearCongruential) -> [String] {
  let characters = Array(iban)
  var result: [String] = []
  for (offset, character) in characters.enumerated() where character.isNumber {
    for digit in digits where digit != character {
      var changed = characters
      changed[offset] = digit
      result.append(String(changed))
    }
  }
  for offset in characters.indices.dropLast() where characters[offset] != characters[offset + 1] {
    var swapped = characters
    swapped.swapAt(offset, offset + 1)
    result.append(String(swapped))
  }
  for _ in 0..<randomCount {
    var edited = characters
    let offset = Int.random(in: 0..<edited.count, using: &generator)
    let character = alphanumerics.randomElement(using: &generator) ?? "0"
    switch Int.random(in: 0..<4, using: &generator) {
    case 0: edited.insert(character, at: offset)
    case 1: edited.remove(at: offset)
    case 2:
      let other = IBANRegistry.entries.randomElement(using: &generator)?.countryCode.description ?? "DE"
      edited.replaceSubrange(0..<2, with: other)
    default: edited[offset] = character
    }
    result.append(String(edited))
  }
  return result
}

/// The package root, from this file's path.
private let packageRoot = URL(fileURLWithPath: "\(#filePath)")
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a program to its end and returns its standard output; fails the test when it cannot start or exits non-zero.
private func run(_ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  try #require(
    process.terminationStatus == 0, "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
  return String(decoding: data, as: UTF8.self)
}

/// stdnum's verdicts, one line each, for `candidates`: the venv is made on first use by Tests/CrossCheck/stdnum-venv.sh.
private func stdnumVerdicts(for candidates: [String]) throws -> [[Substring]] {
  let crossCheck = packageRoot.appendingPathComponent("Tests/CrossCheck")
  let python = try run(["sh", crossCheck.appendingPathComponent("stdnum-venv.sh").path])
    .trimmingCharacters(in: .whitespacesAndNewlines)
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("settle-iban-crosscheck-\(ProcessInfo.processInfo.processIdentifier)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let candidatesFile = directory.appendingPathComponent("candidates.txt")
  let resultsFile = directory.appendingPathComponent("results.txt")
  try Data(candidates.map { $0 + "\n" }.joined().utf8).write(to: candidatesFile)
  _ = try run([
    python, crossCheck.appendingPathComponent("stdnum_iban.py").path, candidatesFile.path, resultsFile.path,
  ])
  let results = try String(decoding: Data(contentsOf: resultsFile), as: UTF8.self)
  return results.split(separator: "\n").map { $0.split(separator: " ") }
}

/// Why Settle and stdnum may judge an IBAN differently, each checked on the candidate rather than assumed; nil when
/// no known difference explains it.
private func explanation(of candidate: String, settleAccepts: Bool, stdnumRegistry: Substring) -> String? {
  let code = candidate.prefix(2)
  let checkDigits = candidate.dropFirst(2).prefix(2)
  if settleAccepts {
    // Settle's registry adds 38 countries to SWIFT's release 101: partial IBAN countries (AO, CI, SN, …) and
    // territories that use their parent's format (GF, RE, JE, IM, …).
    if stdnumRegistry == "unlisted" { return "Settle accepts, country not in stdnum's registry" }
    // Settle's BR format is 8!c5!n10!n1!c1!c (letters allowed in the bank code and both last positions); stdnum's
    // is 8!n5!n10!n1!a1!c.
    if code == "BR" { return "Settle accepts, BR format looser than stdnum's" }
    return nil
  }
  // ISO 13616 check digits run 02 to 98; 00, 01 and 99 leave the same remainder as 97, 98 and 02, and stdnum
  // tests only the remainder.
  if ["00", "01", "99"].contains(checkDigits) { return "Settle refuses, check digits 00, 01 or 99" }
  // stdnum does not ask that the check digits be digits: letters can leave the right remainder too.
  if !checkDigits.allSatisfy(\.isNumber) { return "Settle refuses, check digits not digits" }
  // Settle's Country holds ISO 3166-1 codes; Kosovo's XK is a user-assigned code.
  if code == "XK" { return "Settle refuses, XK not in ISO 3166-1" }
  return nil
}

/// Counts, sorted by name: `a 1, b 2`.
private func listed(_ counts: [String: Int]) -> String {
  counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
}

@Suite("IBAN against python-stdnum")
struct IBANCrossCheckTests {
  @Test("registry examples, synthetic IBANs of every registry country and their mutations: the same verdicts as stdnum")
  func agreesWithStdnum() throws {
    var generator = LinearCongruential(state: 0x1BA4_C4EC)
    let synthetic = IBANRegistry.entries.flatMap { entry in (0..<4).map { _ in syntheticIBAN(entry, using: &generator) }
    }
    let bases = registryExamples + synthetic
    let aliases = IBANRegistry.entries.map { checkDigitAlias($0, using: &generator) }
    let mutated = bases.flatMap { mutations(of: $0, randomCount: 40, using: &generator) }
    let candidates = bases + aliases + mutated
    let verdicts = try stdnumVerdicts(for: candidates)
    try #require(verdicts.count == candidates.count, "stdnum answered \(verdicts.count) of \(candidates.count)")

    var agreed: [String: Int] = [:]
    var explained: [String: Int] = [:]
    var nationalRefusals: [String: Int] = [:]
    for (index, (candidate, verdict)) in zip(candidates, verdicts).enumerated() {
      try #require(verdict.count == 3, "malformed stdnum line for \(candidate)")
      let settleAccepts = (try? IBAN(candidate)) != nil
      let stdnumAccepts = verdict[0] == "valid"
      if index < bases.count {
        #expect(settleAccepts || candidate.hasPrefix("XK"), "a base IBAN refused by Settle: \(candidate)")
      }
      if settleAccepts && stdnumAccepts && verdict[1] != "valid" {
        nationalRefusals["\(candidate.prefix(2)) \(verdict[1])", default: 0] += 1
      }
      guard settleAccepts != stdnumAccepts else {
        agreed[settleAccepts ? "valid" : "invalid", default: 0] += 1
        continue
      }
      let reason = explanation(of: candidate, settleAccepts: settleAccepts, stdnumRegistry: verdict[2])
      #expect(reason != nil, "Settle \(settleAccepts ? "accepts" : "refuses") \(candidate), stdnum says \(verdict[0])")
      explained[reason ?? "unexplained", default: 0] += 1
    }
    print(
      "IBAN cross-check: \(candidates.count) candidates (\(registryExamples.count) registry examples, "
        + "\(synthetic.count) synthetic, \(aliases.count) check-digit aliases, \(mutated.count) mutations)")
    print("IBAN cross-check: agreed \(listed(agreed))")
    print("IBAN cross-check: disagreed, explained: \(listed(explained))")
    print("IBAN cross-check: valid to both, refused by stdnum's national checks: \(listed(nationalRefusals))")
    #expect(agreed["valid", default: 0] > 500 && agreed["invalid", default: 0] > 100_000, "\(listed(agreed))")
    #expect(explained["Settle refuses, check digits 00, 01 or 99", default: 0] > 80, "\(listed(explained))")
  }
}
