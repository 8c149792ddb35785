extension Program {
  /// The text of `programs/alibaba.yaml`, built in so that `settle` works from any directory.
  /// A test checks that the two stay the same.
  static let alibabaYAML = """
    # The Alibaba.com affiliate program: Settle's default program.
    # Source: the program's published rules (commission per sale by buyer market and buyer type,
    # 30-day cookie, restricted countries and forbidden products, monthly payouts, no minimum, wire).
    name: Alibaba.com Affiliate Program
    settlement_currency: USD
    attribution_window_days: 30
    excluded_countries: [CN, IN, NG]
    excluded_categories: [weapons, tobacco]
    markets:
      - name: core
        countries: [US, CA, MX, GB, DE, FR, AU, NL]
        percentage:
          new: 10
          returning: 6
      - name: other
        countries: every_other
        percentage:
          new: 9
          returning: 5
    payouts:
      frequency: monthly
      minimum: 0
      method: wire

    """
}
