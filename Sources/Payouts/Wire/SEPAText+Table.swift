extension SEPAText {
  /// Each group of characters and the SEPA text they become. Latin-1 Supplement, Latin Extended-A and the
  /// letters of Latin Extended-B that European names use (Romanian comma-below, Sami, Croatian digraphs),
  /// capital sharp s, and typographic punctuation with a plain equivalent.
  static let transliterationGroups: [(characters: String, replacement: String)] = [
    ("ÀÁÂÃÄÅĀĂĄǍǞǠǺȀȂȦȺ", "A"), ("àáâãäåāăąǎǟǡǻȁȃȧªⱥ", "a"), ("ÆǢǼ", "AE"), ("æǣǽ", "ae"),
    ("ƁɃ", "B"), ("ƀɓ", "b"), ("ÇĆĈĊČƇȻ", "C"), ("çćĉċčƈȼ", "c"), ("ÐĎĐƉƊ", "D"), ("ðďđɖɗȡ", "d"),
    ("ǄǱ", "DZ"), ("ǅǲ", "Dz"), ("ǆǳ", "dz"), ("ÈÉÊËĒĔĖĘĚȄȆȨɆ", "E"), ("èéêëēĕėęěȅȇȩɇ", "e"),
    ("Ƒ", "F"), ("ƒ", "f"), ("ĜĞĠĢƓǤǦǴ", "G"), ("ĝğġģɠǥǧǵ", "g"), ("ĤĦȞ", "H"), ("ĥħȟ", "h"),
    ("ÌÍÎÏĨĪĬĮİƗǏȈȊ", "I"), ("ìíîïĩīĭįıɨǐȉȋ", "i"), ("Ĳ", "IJ"), ("ĳ", "ij"), ("ĴɈ", "J"), ("ĵǰȷɉ", "j"),
    ("ĶƘǨ", "K"), ("ķĸƙǩ", "k"), ("ĹĻĽĿŁȽ", "L"), ("ĺļľŀłƚȴ", "l"), ("Ǉ", "LJ"), ("ǈ", "Lj"), ("ǉ", "lj"),
    ("ÑŃŅŇŊƝǸȠ", "N"), ("ñńņňŉŋɲǹƞȵ", "n"), ("Ǌ", "NJ"), ("ǋ", "Nj"), ("ǌ", "nj"),
    ("ÒÓÔÕÖØŌŎŐƟƠǑǪǬǾȌȎȪȬȮȰ", "O"), ("òóôõöøōŏőɵơǒǫǭǿȍȏȫȭȯȱº", "o"), ("Œ", "OE"), ("œ", "oe"),
    ("Ƥ", "P"), ("ƥ", "p"), ("Ɋ", "Q"), ("ɋ", "q"), ("ŔŖŘȐȒɌ", "R"), ("ŕŗřȑȓɍ", "r"),
    ("ŚŜŞŠȘ", "S"), ("śŝşšșſȿ", "s"), ("ẞ", "SS"), ("ß", "ss"), ("ŢŤŦƬƮȚȾ", "T"), ("ţťŧƫƭțȶ", "t"),
    ("Þ", "TH"), ("þ", "th"), ("ÙÚÛÜŨŪŬŮŰŲƯǓǕǗǙǛȔȖɄ", "U"), ("ùúûüũūŭůűųưǔǖǘǚǜȕȗʉ", "u"),
    ("Ʋ", "V"), ("ʋ", "v"), ("Ŵ", "W"), ("ŵ", "w"), ("ÝŶŸƳȲɎ", "Y"), ("ýÿŷƴȳɏ", "y"),
    ("ŹŻŽƵȤ", "Z"), ("źżžƶȥɀ", "z"),
    ("‘’‚‛′´`\"“”„‟″", "'"), ("‐‑‒–—―−", "-"), ("&", "+"), ("[{", "("), ("]}", ")"), (";", ","),
  ]

  /// The groups as a lookup from each character (one Unicode scalar) to its replacement.
  static let transliterations: [Unicode.Scalar: String] = {
    var table: [Unicode.Scalar: String] = [:]
    for (characters, replacement) in transliterationGroups {
      for scalar in characters.unicodeScalars {
        precondition(table.updateValue(replacement, forKey: scalar) == nil, "\(scalar) is in two groups")
        precondition(replacement.utf8.allSatisfy(SEPAText.isAllowed), "\(replacement) is not SEPA text")
      }
    }
    return table
  }()
}
