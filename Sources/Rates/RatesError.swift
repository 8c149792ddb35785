public import Dates
public import Money

/// A feed that cannot be read, or a rate that cannot be found, naming the source, day and currency.
public struct RatesError: Error, Equatable, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    case notXML(line: Int, message: String)
    case documentTypeRefused
    case tooDeep(line: Int, depthMax: Int)
    case tooLarge(bytesMax: Int)
    case notGzip(message: String)
    case badDay(line: Int, text: String)
    case badCurrency(line: Int, day: Day?, text: String)
    case badRate(line: Int, day: Day, currency: String, text: String)
    case rateOutsideDay(line: Int)
    case tooManyRates(day: Day, ratesMax: Int)
    case duplicateDay(day: Day)
    case duplicateCurrency(day: Day, currency: String)
    case noPublications
    case noPublicationNear(day: Day, currency: Currency, lookbackDaysMax: Int)
    case currencyNotPublished(day: Day, currency: Currency, publicationDay: Day)
    case conversion(MoneyError)
  }

  public let kind: Kind
  /// The file or URL the rates came from (`rates/eurofxref-hist.xml`, `https://…`).
  public let source: String

  public init(_ kind: Kind, source: String) {
    self.kind = kind
    self.source = source
  }

  public var description: String {
    switch kind {
    case .notXML(let line, let message):
      "\(source):\(line): not an ECB XML feed: \(message)"
    case .documentTypeRefused:
      "\(source): refused: the document declares a DTD (entities and external DTDs are never processed)"
    case .tooDeep(let line, let depthMax):
      "\(source):\(line): refused: elements nested deeper than \(depthMax)"
    case .tooLarge(let bytesMax):
      "\(source): refused: more than \(bytesMax) bytes of XML"
    case .notGzip(let message):
      "\(source): gzip data is corrupt: \(message)"
    case .badDay(let line, let text):
      "\(source):\(line): time \"\(text)\" is not a day in the form YYYY-MM-DD"
    case .badCurrency(let line, let day, let text):
      "\(source):\(line): \(day.map { "\($0) " } ?? "")currency \"\(text)\" is not an ISO 4217 code Settle knows"
    case .badRate(let line, let day, let currency, let text):
      "\(source):\(line): \(day) \(currency): rate \"\(text)\" is not a positive plain decimal"
    case .rateOutsideDay(let line):
      "\(source):\(line): a rate appears outside a day's Cube"
    case .tooManyRates(let day, let ratesMax):
      "\(source): \(day): more than \(ratesMax) rates in one publication"
    case .duplicateDay(let day):
      "\(source): \(day) is published twice"
    case .duplicateCurrency(let day, let currency):
      "\(source): \(day) \(currency): the currency appears twice in one publication"
    case .noPublications:
      "\(source): holds no ECB publications"
    case .noPublicationNear(let day, let currency, let lookbackDaysMax):
      "no ECB rate for \(currency.code) on \(day): no publication on that day or the \(lookbackDaysMax) days before (\(source))"
    case .currencyNotPublished(let day, let currency, let publicationDay):
      "no ECB rate for \(currency.code) on \(day): the publication of \(publicationDay) does not list it (\(source))"
    case .conversion(let error):
      "\(source): \(error)"
    }
  }
}
