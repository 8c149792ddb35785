import XMLSchema

extension WireFormat {
  /// The XML namespace of the version's `Document`.
  var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }

  /// The element that holds a BIC in `FinInstnId`: `BICFI` since version 4 of the message, `BIC` before.
  var bicElement: String {
    switch self {
    case .pain00100109: "BICFI"
    case .pain00100103: "BIC"
    }
  }

  /// The version's XSD, compiled once on first use from the embedded text (`Pain001Schemas`).
  var schema: Result<XMLSchema, SchemaError> {
    switch self {
    case .pain00100109: WireFormat.compiledPain00100109
    case .pain00100103: WireFormat.compiledPain00100103
    }
  }

  private static let compiledPain00100109 = Result { () throws(SchemaError) -> XMLSchema in
    try XMLSchema(xsd: Array(Pain001Schemas.pain00100109.utf8), name: "pain.001.001.09.xsd")
  }

  private static let compiledPain00100103 = Result { () throws(SchemaError) -> XMLSchema in
    try XMLSchema(xsd: Array(Pain001Schemas.pain00100103.utf8), name: "pain.001.001.03.xsd")
  }
}
