-- The settlement of README "Settling a period" for the Alibaba.com program (programs/alibaba.yaml),
-- written as a DuckDB query over a generated orders file, for comparison with `settle commissions`.
--
-- Placeholders filled in by settlement-vs-duckdb.py: {orders}, {rates}, {period_start}, {period_end}.
-- The generated file has no rejected rows, so the query does not re-implement the row checks.
--
-- Rules, in the README's order:
-- 1. In the period when ordered_at, in UTC, falls in the month (compared as absolute instants).
-- 2. Not qualified when: status is not completed; buyer country CN, IN or NG; category weapons or
--    tobacco; ordered before the click; ordered more than 30 × 24 h after it.
-- 3. Converted at the ECB publication of ordered_at's UTC day, or the latest one before it at most
--    7 days back; both legs from that publication (an ASOF join on the publication days).
-- 4. sales = amount × r(USD) ÷ r(order currency), commission = amount × percentage × r(USD) ÷
--    r(order currency), each rounded half-even to cents (round_even). DuckDB multiplies DECIMALs
--    exactly but divides them in DOUBLE, so a value that is exactly a half cent can round the
--    other way: the comparison counts such groups.
-- 5. Totals per affiliate and market are sums of the per-order rounded figures.
WITH orders AS (
  SELECT
    affiliate_id,
    buyer_country AS market,
    status,
    buyer_type,
    category,
    currency,
    CAST(amount AS DECIMAL(38, 4)) AS amount,
    epoch_us(CAST(ordered_at AS TIMESTAMPTZ)) AS ordered_us,
    epoch_us(CAST(clicked_at AS TIMESTAMPTZ)) AS clicked_us
  FROM read_csv('{orders}', header = true, all_varchar = true)
),
qualified AS (
  SELECT
    *,
    DATE '1970-01-01' + CAST(floor(ordered_us / 86400000000) AS INTEGER) AS order_day,
    CASE
      WHEN market IN ('US', 'CA', 'MX', 'GB', 'DE', 'FR', 'AU', 'NL')
        THEN CASE buyer_type WHEN 'new' THEN 10 ELSE 6 END
      ELSE CASE buyer_type WHEN 'new' THEN 9 ELSE 5 END
    END AS percentage
  FROM orders
  WHERE ordered_us >= epoch_us(TIMESTAMPTZ '{period_start} 00:00:00+00')
    AND ordered_us < epoch_us(TIMESTAMPTZ '{period_end} 00:00:00+00')
    AND status = 'completed'
    AND market NOT IN ('CN', 'IN', 'NG')
    AND category NOT IN ('weapons', 'tobacco')
    AND ordered_us >= clicked_us
    AND ordered_us - clicked_us <= CAST(30 * 86400 AS BIGINT) * 1000000
),
rates AS (
  SELECT day, currency, rate
  FROM read_csv(
    '{rates}', header = true, columns = {{'day': 'DATE', 'currency': 'VARCHAR', 'rate': 'DECIMAL(18, 6)'}})
),
publications AS (SELECT DISTINCT day FROM rates),
dated AS (
  SELECT q.*, p.day AS publication_day
  FROM qualified q ASOF JOIN publications p ON q.order_day >= p.day
),
converted AS (
  SELECT
    d.affiliate_id,
    d.market,
    d.order_day - d.publication_day AS lookback_days,
    CAST(round_even(d.amount * usd.rate / source.rate, 2) AS DECIMAL(18, 2)) AS sales,
    CAST(round_even(d.amount * d.percentage * usd.rate / (source.rate * 100), 2) AS DECIMAL(18, 2)) AS commission
  FROM dated d
  JOIN rates source ON source.day = d.publication_day AND source.currency = d.currency
  JOIN rates usd ON usd.day = d.publication_day AND usd.currency = 'USD'
)
SELECT
  affiliate_id,
  market,
  count(*) AS orders,
  sum(sales) AS sales,
  sum(commission) AS commission,
  max(lookback_days) AS lookback_days_max
FROM converted
GROUP BY affiliate_id, market
ORDER BY affiliate_id, market
