import Dates
import Files
import Money
import Rates
import TestScratch

/// Paths to the repository's files and the shared reference data, found from this file's location.
enum Fixtures {
  static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
  }()
  static let sharedECB = repositoryRoot + "/../shared/ecb"
  static let bundledHistory = repositoryRoot + "/rates/eurofxref-hist.xml"

  static func bytes(_ path: String) throws -> [UInt8] {
    try FileReader.readAll(path: path, bytesMax: 64 << 20)
  }

  static func day(_ text: String) throws -> Day { try Day(text) }
  static func currency(_ code: String) throws -> Currency { try Currency(code: code) }

  /// A feed in the ECB's layout with the given days and `currency rate` pairs.
  static func feed(_ days: [(String, [(String, String)])]) -> [UInt8] {
    var text = """
      <?xml version="1.0" encoding="UTF-8"?>
      <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <Cube>

      """
    for (day, rates) in days {
      text += "<Cube time='\(day)'>\n"
      for (currency, rate) in rates { text += "<Cube currency='\(currency)' rate='\(rate)'/>\n" }
      text += "</Cube>\n"
    }
    text += "</Cube>\n</gesmes:Envelope>\n"
    return Array(text.utf8)
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String { try TestScratch.folder("rates") }
}
