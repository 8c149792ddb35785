import Files
import TestScratch
import XMLSchema

/// A tiny schema in the style of ISO 20022 (a namespace, text and amount facets, a code pattern), and
/// documents written against it.
enum PayoutSchema {
  static let xsd = """
    <?xml version="1.0" encoding="UTF-8"?>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:settle:test"
      targetNamespace="urn:settle:test" elementFormDefault="qualified">
      <xs:element name="Batch">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="Payout" type="Payout" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:complexType name="Payout">
        <xs:sequence>
          <xs:element name="Name" type="Max35Text"/>
          <xs:element name="Amount" type="Amount"/>
        </xs:sequence>
        <xs:attribute name="Ccy" type="CurrencyCode" use="required"/>
      </xs:complexType>
      <xs:simpleType name="Max35Text">
        <xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="35"/></xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="Amount">
        <xs:restriction base="xs:decimal"><xs:minInclusive value="0"/><xs:fractionDigits value="2"/></xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="CurrencyCode">
        <xs:restriction base="xs:string"><xs:pattern value="[A-Z]{3}"/></xs:restriction>
      </xs:simpleType>
    </xs:schema>

    """

  static func compiled() throws -> XMLSchema {
    try XMLSchema(xsd: Array(xsd.utf8), name: "payout.xsd")
  }

  /// A batch document with one line per payout, each given as the inside of its `<Payout>` element.
  static func batch(_ payouts: [String]) -> [UInt8] {
    var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Batch xmlns=\"urn:settle:test\">\n"
    for payout in payouts { text += payout + "\n" }
    text += "</Batch>\n"
    return Array(text.utf8)
  }

  static let goodPayout = "<Payout Ccy=\"EUR\"><Name>Anna</Name><Amount>12.50</Amount></Payout>"

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String { try TestScratch.folder("xmlschema") }
}
