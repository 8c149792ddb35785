extension ECBFeed {
  /// The publications as an ECB history document: the ECB's own layout, newest day first.
  ///
  /// Rates are written exactly as they were published, so reading the ECB's history and writing
  /// it back gives the same bytes.
  public static func document(of publications: [Publication]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(publications.count * 1_400 + 512)
    output.append(
      contentsOf: """
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" \
        xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        \t<gesmes:subject>Reference rates</gesmes:subject>
        \t<gesmes:Sender>
        \t\t<gesmes:name>European Central Bank</gesmes:name>
        \t</gesmes:Sender>
        \t<Cube>

        """.utf8)
    for publication in publications.sorted(by: { $0.day > $1.day }) {
      output.append(contentsOf: "\t\t<Cube time='\(publication.day)'>\n".utf8)
      for entry in publication.rates {
        output.append(contentsOf: "\t\t\t<Cube currency='\(entry.currency.code)' rate='\(entry.rate)'/>\n".utf8)
      }
      output.append(contentsOf: "\t\t</Cube>\n".utf8)
    }
    output.append(contentsOf: "\t</Cube>\n</gesmes:Envelope>\n".utf8)
    return output
  }
}
