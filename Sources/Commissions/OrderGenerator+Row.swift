extension OrderGenerator {
  /// Order numbers are below 10^10: `O` and ten digits.
  static let orderNumberModulus: UInt64 = 10_000_000_000
  /// Each half of an order number in the Feistel network: five digits.
  static let orderNumberHalfModulus: UInt64 = 100_000
  /// Draws reserved per row; a row uses at most 21.
  static let rowDrawsMax: UInt64 = 64

  /// Writes row `index` and its line feed.
  @inline(__always)
  func writeOrder(at index: Int, to cursor: inout ByteCursor) {
    let rowStart = cursor.count
    var random = SplitMix64(state: seedKey &+ UInt64(index) &* (SplitMix64.gamma &* OrderGenerator.rowDrawsMax))
    let comma = UInt8(ascii: ",")

    cursor.append(UInt8(ascii: "O"))
    cursor.appendDigits(orderNumber(index), width: 10)
    cursor.append(comma)
    cursor.append(UInt8(ascii: "A"))
    cursor.append(UInt8(ascii: "F"))
    cursor.append(UInt8(ascii: "F"))
    cursor.appendDigits(affiliateNumber(random.next()), width: 4)
    cursor.append(comma)
    let orderedAt = orderedAt(&random)
    let clickedAt = clickedAt(orderedAt: orderedAt, &random)
    timestamps.append(secondsSinceEpoch: clickedAt, offsetMinutes: offsetMinutes(&random), to: &cursor)
    cursor.append(comma)
    timestamps.append(secondsSinceEpoch: orderedAt, offsetMinutes: offsetMinutes(&random), to: &cursor)
    cursor.append(comma)
    cursor.append(mix.statuses.pick(random.next()))
    cursor.append(comma)
    cursor.append(buyerCountry(&random))
    cursor.append(comma)
    cursor.append(mix.buyerTypes.pick(random.next()))
    cursor.append(comma)
    cursor.append(mix.categories.pick(random.next()))
    cursor.append(comma)
    let currency = mix.paymentCurrencies[mix.currencyChoice.pick(random.next())]
    appendAmount(currency: currency, &random, to: &cursor)
    cursor.append(comma)
    cursor.append(currency.token)
    cursor.append(UInt8(ascii: "\n"))
    assert(cursor.count - rowStart <= OrderGenerator.rowBytesMax - ByteCursor.Token.bytesMax, "a row fits its room")
  }

  /// The order number of row `index`: a keyed permutation of 0 ..< 10^10, so order IDs are unique and
  /// look random. A balanced Feistel network on two five-digit halves, adding modulo 10^5; every round is
  /// a bijection whatever its round function, so the whole is one.
  @inline(__always)
  func orderNumber(_ index: Int) -> UInt64 {
    let half = OrderGenerator.orderNumberHalfModulus
    var left = UInt64(index) / half
    var right = UInt64(index) % half
    for key in orderNumberKeys {
      (left, right) = (right, (left + SplitMix64.mix(right ^ key) % half) % half)
    }
    return left * half + right
  }

  /// 1…3000, skewed: `AFFr` gets a share (√r − √(r−1)) / √3000 of the orders, so AFF0001 has about
  /// 1.8% and the top 30 about 10%.
  @inline(__always)
  func affiliateNumber(_ random: UInt64) -> UInt64 {
    let uniform = random >> 48  // 16 bits
    return (uniform * uniform * OrderMix.affiliateCount) >> 32 + 1
  }

  /// Seconds since the epoch at which the order is placed.
  @inline(__always)
  func orderedAt(_ random: inout SplitMix64) -> Int64 {
    let placementIndex = mix.orderedPlacements.pick(random.next())
    guard let placement = OrderMix.OrderedPlacement(rawValue: placementIndex) else {
      preconditionFailure("placement \(placementIndex) has a case")
    }
    switch placement {
    case .inPeriod: return periodStart + Int64(random.next(below: UInt64(periodEnd - periodStart)))
    case .previousMonth: return previousMonthStart + Int64(random.next(below: UInt64(periodStart - previousMonthStart)))
    case .nextMonth: return periodEnd + Int64(random.next(below: UInt64(nextMonthEnd - periodEnd)))
    case .periodFirstSecond: return periodStart
    case .periodLastSecond: return periodEnd - 1
    case .nextMonthFirstSecond: return periodEnd
    case .previousMonthLastSecond: return periodStart - 1
    }
  }

  /// Seconds since the epoch of the click the order is attributed to, relative to `orderedAt`.
  @inline(__always)
  func clickedAt(orderedAt: Int64, _ random: inout SplitMix64) -> Int64 {
    let window = OrderMix.attributionWindowSeconds
    let placementIndex = mix.clickPlacements.pick(random.next())
    guard let placement = OrderMix.ClickPlacement(rawValue: placementIndex) else {
      preconditionFailure("placement \(placementIndex) has a case")
    }
    switch placement {
    case .withinWindow:
      // The smaller of two uniform draws: recent clicks are likelier than old ones.
      let first = random.next(below: UInt64(window))
      let second = random.next(below: UInt64(window))
      return orderedAt - Int64(min(first, second))
    case .sameSecond: return orderedAt
    case .windowEdge: return orderedAt - window
    case .justExpired: return orderedAt - window - 1
    case .longExpired: return orderedAt - window - 2 - Int64(random.next(below: UInt64(window - 1)))
    case .afterOrder: return orderedAt + 1 + Int64(random.next(below: 3 * 3600))
    }
  }

  /// Nil for `Z`, or an offset east of UTC in minutes for about 1% of timestamps.
  @inline(__always)
  func offsetMinutes(_ random: inout SplitMix64) -> Int? {
    guard random.next(below: 10_000) < OrderMix.offsetFormTenThousandths else { return nil }
    return mix.offsetsMinutes[Int(random.next(below: UInt64(mix.offsetsMinutes.count)))]
  }

  @inline(__always)
  func buyerCountry(_ random: inout SplitMix64) -> ByteCursor.Token {
    let kind = mix.countryKinds.pick(random.next())
    let draw = random.next()
    switch OrderMix.CountryKind(rawValue: kind) {
    case .core: return mix.coreCountries.pick(draw)
    case .other: return mix.otherCountries.pick(draw)
    case .excluded: return mix.excludedCountries.pick(draw)
    case nil: preconditionFailure("country kind \(kind) has a case")
    }
  }

  /// Appends an amount with exactly the currency's minor-unit digits: `123.45`, `12800`.
  @inline(__always)
  func appendAmount(currency: OrderMix.PaymentCurrency, _ random: inout SplitMix64, to cursor: inout ByteCursor) {
    let perUnit = currency.minorUnitsPerUnit
    var minorUnits: UInt64
    let band = mix.amountBands.pick(random.next())
    if band == OrderMix.AmountBand.huge.rawValue {
      let units = OrderMix.hugeAmountUnits
      let wholeUnits = units.lowerBound + random.next(below: units.upperBound - units.lowerBound)
      minorUnits = wholeUnits * perUnit + random.next(below: perUnit)
    } else {
      let cents = mix.amountBandCents[band]
      let dollarCents = cents.lower + random.next(below: cents.upper - cents.lower)
      // At most 500,000 cents × 1.6 × 10^10 millionths × 100: below 2^63.
      minorUnits = dollarCents * currency.unitsPerDollarMillionths * perUnit / 100_000_000
      // Prices in currencies without a minor unit are often round: 12800 JPY.
      if perUnit == 1 && minorUnits >= 1000 && random.next() & 1 == 0 { minorUnits -= minorUnits % 100 }
    }
    cursor.appendDecimal(minorUnits / perUnit)
    guard currency.currency.minorUnits > 0 else { return }
    cursor.append(UInt8(ascii: "."))
    cursor.appendDigits(minorUnits % perUnit, width: Int(currency.currency.minorUnits))
  }
}
