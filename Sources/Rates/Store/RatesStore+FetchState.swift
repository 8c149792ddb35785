import Files

extension RatesStore {
  /// The validators last seen for `url`, if any.
  public func validators(for url: String) throws -> FetchValidators? {
    guard FileReader.exists(fetchStatePath) else { return nil }
    let bytes = try FileReader.readAll(path: fetchStatePath, bytesMax: RatesStore.fetchStateBytesMax)
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 3, fields[0] == url else { continue }
      return FetchValidators(
        entityTag: fields[1].isEmpty ? nil : String(fields[1]),
        lastModified: fields[2].isEmpty ? nil : String(fields[2]))
    }
    return nil
  }

  /// Records the validators for `url`, keeping other URLs' lines, atomically.
  public func recordValidators(_ validators: FetchValidators, for url: String) throws {
    var lines: [String] = []
    if FileReader.exists(fetchStatePath) {
      let bytes = try FileReader.readAll(path: fetchStatePath, bytesMax: RatesStore.fetchStateBytesMax)
      lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        .filter { !$0.hasPrefix(url + "\t") }
    }
    // Tabs and newlines cannot appear in header values that curl hands back, but never let them split a line.
    let clean = { (text: String?) in (text ?? "").filter { $0 != "\t" && $0 != "\n" && $0 != "\r" } }
    lines.append("\(url)\t\(clean(validators.entityTag))\t\(clean(validators.lastModified))")
    try FileReader.createDirectory(directory)
    try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: fetchStatePath)
  }
}
