"""Helpers for conversion-vs-currencyconverter.sh: the ECB history as the ECB's CSV, the sample,
the exact reference, the CurrencyConverter run, and the comparison.

    conversion-vs-currencyconverter.py rates     HIST_XML RATES_CSV
    conversion-vs-currencyconverter.py sample    ROWS SEED HIST_XML SAMPLE_CSV RATED_CSV
    conversion-vs-currencyconverter.py reference HIST_XML SAMPLE_CSV OUT_CSV
    conversion-vs-currencyconverter.py currencyconverter float|decimal RATES_CSV SAMPLE_CSV OUT_CSV
    conversion-vs-currencyconverter.py compare   SAMPLE_CSV REFERENCE_CSV NAME=OUT_CSV...
    conversion-vs-currencyconverter.py table     ROWS WORK_DIR TOOL...   (reads WORK_DIR/TOOL.time)

The sample is amount,from,to,date (what `settle convert --batch` reads); the rated sample adds the
two rates Settle's date rule picks and the target's minor units, for the Foundation.Decimal program,
which has no rate table of its own. Every output has a `result` and an `error` column, one row per
sample row, in the sample's order.
"""

import bisect
import csv
import datetime
import decimal
import math
import random
import sys
import xml.etree.ElementTree as ElementTree

ECB_NAMESPACE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"

# Settle's date rule (Sources/Rates/RateTable.swift): the publication of the day, else the latest one
# at most this many days before it; both rates from that one publication, or no rate at all.
LOOKBACK_DAYS_MAX = 7

# ISO 4217 minor units of every currency the ECB history holds (historic codes included), as in
# Settle's table (Sources/Money/Currency+Table.swift); `compare` checks them against Settle's output.
MINOR_UNITS = {"ISK": 0, "JPY": 0, "KRW": 0, "TRL": 0}
MINOR_UNITS_DEFAULT = 2

# The first day sampled; the last is the last publication plus the lookback.
SAMPLE_FIRST_DAY = datetime.date(1999, 1, 1)
# Shares of the sample: rows whose currencies are drawn from all the history's currencies (many then
# have no rate that day), rows built to land exactly on half a minor unit, and negative amounts.
ANY_CURRENCY_SHARE = 0.05
TIE_SHARE = 0.02
NEGATIVE_SHARE = 0.02
# Amounts are log-uniform from one minor unit to this many.
AMOUNT_MINOR_UNITS_MAX = 10**9

# Decimal arithmetic wide enough for every product here, rounding the quotient with ROUND_05UP: a
# quotient kept to 50 digits that way and then rounded half-even to the minor unit gives the same
# figure as rounding the exact rational once, since ROUND_05UP never turns an inexact quotient into
# one that ends in 0 or 5 (so never into a false tie).
EXACT = decimal.Context(prec=50, rounding=decimal.ROUND_05UP, Emax=99, Emin=-99)


def minor_units(currency):
    return MINOR_UNITS.get(currency, MINOR_UNITS_DEFAULT)


class History:
    """The ECB publications by day, each a dict of currency to rate text; EUR is 1 on every day."""

    def __init__(self, path):
        self.rates_by_day = {}
        self.currencies = []
        for _, element in ElementTree.iterparse(path, events=("end",)):
            if element.tag != ECB_NAMESPACE + "Cube" or element.get("time") is None:
                continue
            rates = {"EUR": "1"}
            for rate in element:
                currency = rate.get("currency")
                rates[currency] = rate.get("rate")
                if currency not in self.currencies:
                    self.currencies.append(currency)
            self.rates_by_day[datetime.date.fromisoformat(element.get("time"))] = rates
            element.clear()
        self.days = sorted(self.rates_by_day)

    def publication_day(self, day):
        """The day of the publication that answers for `day` under Settle's rule, or None."""
        index = bisect.bisect_right(self.days, day) - 1
        if index < 0 or (day - self.days[index]).days > LOOKBACK_DAYS_MAX:
            return None
        return self.days[index]

    def rates(self, source, target, day):
        """(rate_from, rate_to, publication day) as texts, or (None, None, reason)."""
        publication = self.publication_day(day)
        if publication is None:
            return None, None, f"no publication on {day} or the {LOOKBACK_DAYS_MAX} days before"
        rates = self.rates_by_day[publication]
        for currency in (source, target):
            if currency not in rates:
                return None, None, f"{currency} not in the publication of {publication}"
        return rates[source], rates[target], publication


def extract_rates(history_path, csv_path):
    """Writes the history in the layout of the ECB's eurofxref-hist.csv: newest day first, one column
    per currency, N/A where a day does not list it, a trailing comma on every line."""
    history = History(history_path)
    with open(csv_path, "w") as output:
        output.write("Date," + ",".join(history.currencies) + ",\n")
        for day in reversed(history.days):
            rates = history.rates_by_day[day]
            output.write(f"{day}," + ",".join(rates.get(code, "N/A") for code in history.currencies) + ",\n")
    print(f"rates: {len(history.days)} publications, {len(history.currencies)} currencies", file=sys.stderr)


def amount_text(minor, digits):
    """Minor units as decimal text with exactly `digits` fraction digits."""
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{fraction:0{digits}d}" if digits else f"{sign}{whole}"


def significand_and_scale(text):
    whole, _, fraction = text.partition(".")
    return int(whole + fraction), len(fraction)


def tie_amount(generator, source, target, rate_from, rate_to):
    """Source minor units whose exact conversion is a whole number of target minor units plus a half,
    or None when this pair of rates has none of the form searched.

    The result in target minor units is amount × to × 10^p / from for the rates' significands. An
    amount of m × from / g, g = gcd(from, to), leaves m × (to / g) × 10^p: a half exactly when
    m × (to / g) ≡ 10^-p / 2 (mod 10^-p). The amount need not be a multiple of `from`, so amount ÷ from
    alone can be a fraction without end, as it is for most real ties."""
    from_significand, from_scale = significand_and_scale(rate_from)
    to_significand, to_scale = significand_and_scale(rate_to)
    power = minor_units(target) + from_scale - minor_units(source) - to_scale
    shared = math.gcd(from_significand, to_significand)
    from_part, to_part = from_significand // shared, to_significand // shared
    if power >= 0:
        return None
    modulus = 10**-power
    common = math.gcd(to_part, modulus)
    if (modulus // 2) % common:
        return None
    step = modulus // common
    multiplier = (modulus // 2 // common) * pow(to_part // common, -1, step) % step
    multiplier += step * generator.randrange(1000)
    return from_part * multiplier


def generate_sample(rows, seed, history_path, sample_path, rated_path):
    """Writes ROWS seeded conversions over every day from 1999-01-01 to the lookback past the last
    publication, weekends and holidays included, and the same rows with their rates."""
    rows, generator = int(rows), random.Random(int(seed))
    history = History(history_path)
    every_currency = ["EUR"] + history.currencies
    day_count = (history.days[-1] - SAMPLE_FIRST_DAY).days + LOOKBACK_DAYS_MAX + 1
    with open(sample_path, "w") as sample, open(rated_path, "w") as rated:
        sample.write("amount,from,to,date\n")
        rated.write("amount,from,to,date,rate_from,rate_to,to_minor_units\n")
        for _ in range(rows):
            day = SAMPLE_FIRST_DAY + datetime.timedelta(days=generator.randrange(day_count))
            publication = history.publication_day(day)
            if publication is None or generator.random() < ANY_CURRENCY_SHARE:
                currencies = every_currency
            else:
                currencies = sorted(history.rates_by_day[publication])
            source, target = generator.choice(currencies), generator.choice(currencies)
            rate_from, rate_to, _ = history.rates(source, target, day)
            minor = None
            if rate_from is not None and generator.random() < TIE_SHARE:
                minor = tie_amount(generator, source, target, rate_from, rate_to)
            if minor is None:
                minor = int(math.exp(generator.uniform(0, math.log(AMOUNT_MINOR_UNITS_MAX))))
            if generator.random() < NEGATIVE_SHARE:
                minor = -minor
            amount = amount_text(minor, minor_units(source))
            sample.write(f"{amount},{source},{target},{day}\n")
            rated.write(f"{amount},{source},{target},{day},{rate_from or ''},{rate_to or ''},{minor_units(target)}\n")
    print(f"sample: {rows} conversions, seed {seed}, {SAMPLE_FIRST_DAY} to "
          f"{SAMPLE_FIRST_DAY + datetime.timedelta(days=day_count - 1)}", file=sys.stderr)


def run_reference(history_path, sample_path, out_path):
    """Converts every row exactly under Settle's rule: amount × rate_to ÷ rate_from with the decimal
    module, rounded half-even to the target's minor units. Writes result, rate_date, error, exact."""
    history = History(history_path)
    quanta = {digits: decimal.Decimal(1).scaleb(-digits) for digits in range(4)}
    with open(sample_path, newline="") as source_file, open(out_path, "w", newline="") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["result", "rate_date", "error", "exact"])
        for row in csv.DictReader(source_file):
            rate_from, rate_to, publication = history.rates(row["from"], row["to"], datetime.date.fromisoformat(row["date"]))
            if rate_from is None:
                writer.writerow(["", "", publication, ""])
                continue
            amount = decimal.Decimal(row["amount"])
            EXACT.clear_flags()
            exact = EXACT.divide(EXACT.multiply(amount, decimal.Decimal(rate_to)), decimal.Decimal(rate_from))
            inexact = EXACT.flags[decimal.Inexact]
            result = exact.quantize(quanta[minor_units(row["to"])], rounding=decimal.ROUND_HALF_EVEN, context=EXACT)
            writer.writerow([str(result), publication, "", exact_text(exact, inexact, minor_units(row["to"]))])


def exact_text(exact, inexact, digits):
    """The exact quotient for reading: whole when it ends, else cut 12 digits past the minor unit."""
    text = format(exact, "f")
    if inexact:
        whole, _, fraction = text.partition(".")
        return f"{whole}.{fraction[:digits + 12]}…"
    return text.rstrip("0").rstrip(".") if "." in text else text


def run_currencyconverter(mode, rates_path, sample_path, out_path):
    """Converts every row with CurrencyConverter over the same history, configured as close to Settle's
    rule as it goes: a missing day takes the currency's last known rate (`last_known`, no limit on how
    far back, per currency rather than per publication) and a day outside a currency's first and last
    rate is an error. The float result is rounded with Python's round() (half-even on the binary
    value), the decimal one with quantize(ROUND_HALF_EVEN): what a user of it would write."""
    from currency_converter import CurrencyConverter, RateNotFoundError  # only in the throw-away venv

    converter = CurrencyConverter(
        rates_path,
        fallback_on_missing_rate=True,
        fallback_on_missing_rate_method="last_known",
        fallback_on_wrong_date=False,
        decimal=(mode == "decimal"),
    )
    quanta = {digits: decimal.Decimal(1).scaleb(-digits) for digits in range(4)}
    with open(sample_path, newline="") as source_file, open(out_path, "w", newline="") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["result", "error"])
        for row in csv.DictReader(source_file):
            digits = minor_units(row["to"])
            try:
                value = converter.convert(row["amount"], row["from"], row["to"], datetime.date.fromisoformat(row["date"]))
            except (RateNotFoundError, ValueError) as error:
                writer.writerow(["", str(error) or type(error).__name__])
                continue
            if mode == "decimal":
                writer.writerow([str(value.quantize(quanta[digits], rounding=decimal.ROUND_HALF_EVEN)), ""])
            else:
                writer.writerow([f"{round(value, digits):.{digits}f}", ""])


def minor_units_of(text, digits):
    """Decimal text with at most `digits` fraction digits as an integer of minor units."""
    return int(decimal.Decimal(text).scaleb(digits))


def compare(sample_path, reference_path, *named_outputs):
    """For each tool: rows agreeing with the reference (same result to the minor unit, or both no
    result), rows off by one minor unit or more, rows with a result where the reference has none and
    the other way round, and the first few of each kind in full. The files are read as streams."""
    with open(sample_path, newline="") as sample, open(reference_path, newline="") as reference:
        converted = halves = 0
        for row, expected in zip(csv.DictReader(sample), csv.DictReader(reference)):
            if expected["result"]:
                converted += 1
                halves += is_half(expected["exact"], minor_units(row["to"]))
    print(f"reference: {converted:,} rows convert under Settle's date rule, {halves:,} of them exactly half "
          f"a minor unit before rounding; the others have no rate")
    for named in named_outputs:
        name, _, path = named.partition("=")
        counts = dict.fromkeys(DISAGREEMENTS, 0)
        examples = {kind: [] for kind in DISAGREEMENTS}
        agreed = rows = 0
        with open(sample_path, newline="") as sample, open(reference_path, newline="") as reference, \
                open(path, newline="") as output:
            results = csv.DictReader(output)
            for rows, (row, expected) in enumerate(zip(csv.DictReader(sample), csv.DictReader(reference)), start=1):
                got = next(results, None)
                if got is None:
                    break
                kind = disagreement(minor_units(row["to"]), expected, got, every_digit=(name == "settle"))
                if kind is None:
                    agreed += 1
                    continue
                counts[kind] += 1
                if len(examples[kind]) < EXAMPLES_MAX:
                    examples[kind].append((rows + 1, row, expected, got))
            missing = rows - agreed - sum(counts.values())
            extra = sum(1 for _ in results)
        print(f"{name}: {agreed:,} of {rows:,} agree with the exact reference ({100 * agreed / max(rows, 1):.3f} %)")
        if missing or extra:
            print(f"  {missing:>9,} rows missing from {path}, {extra:,} more than the sample")
        for kind, count in counts.items():
            if count:
                print(f"  {count:>9,} {kind}")
        for kind in DISAGREEMENTS:
            for line, row, expected, got in examples[kind]:
                print(f"    line {line}: {row['amount']} {row['from']} -> {row['to']} on {row['date']}: "
                      f"exact {expected['exact'] or '-'} ({expected['error'] or 'rates of ' + expected['rate_date']}), "
                      f"reference {expected['result'] or '-'}, {name} {got['result'] or '-'}"
                      + (f" ({got['error']})" if got["error"] else ""))


DISAGREEMENTS = (
    "off by one minor unit on an exact half",
    "off by one minor unit",
    "further off",
    "a result where the reference has none",
    "no result where the reference has one",
    "fraction digits other than the target's minor units",
)
EXAMPLES_MAX = 3


def disagreement(digits, expected, got, every_digit):
    """None when `got` agrees with `expected` to the minor unit, else the kind of disagreement.
    Settle prints every minor digit (`every_digit`), so its results also check the table of minor
    units here; the others may print fewer (Foundation.Decimal drops trailing zeros)."""
    if not expected["result"]:
        return "a result where the reference has none" if got["result"] else None
    if not got["result"]:
        return "no result where the reference has one"
    _, _, fraction = got["result"].partition(".")
    if len(fraction) > digits or (every_digit and len(fraction) != digits):
        return "fraction digits other than the target's minor units"
    gap = abs(minor_units_of(expected["result"], digits) - minor_units_of(got["result"], digits))
    if gap == 0:
        return None
    if gap > 1:
        return "further off"
    return "off by one minor unit on an exact half" if is_half(expected["exact"], digits) else "off by one minor unit"


def is_half(exact, digits):
    """Whether the reference's exact quotient lies halfway between two minor units."""
    _, _, fraction = exact.partition(".")
    return not exact.endswith("…") and len(fraction) == digits + 1 and fraction.endswith("5")


def measured(time_path):
    """(wall seconds, CPU seconds, peak resident kilobytes) from a /usr/bin/time -v report."""
    seconds, cpu_seconds, kilobytes = 0.0, 0.0, 0
    with open(time_path) as report:
        for line in report:
            name, _, value = line.strip().rpartition(": ")
            if name.startswith("Elapsed (wall clock)"):
                for part in value.split(":"):
                    seconds = seconds * 60 + float(part)
            elif name in ("User time (seconds)", "System time (seconds)"):
                cpu_seconds += float(value)
            elif name == "Maximum resident set size (kbytes)":
                kilobytes = int(value)
    return seconds, cpu_seconds, kilobytes


def table(rows, work, *tools):
    """Prints each tool's wall and CPU time, peak RSS, conversions per second of wall time and wall
    time over Settle's, from the /usr/bin/time -v reports WORK/TOOL.time; the last tool is Settle.
    CPU time (user + system) says more than wall time when other work shares the cores."""
    rows = int(rows)
    figures = {tool: measured(f"{work}/{tool}.time") for tool in tools}
    settle_seconds = max(figures[tools[-1]][0], 0.01)
    print(f"{'tool':19} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'conversions/s':>14} {'wall ÷ settle':>14}")
    for tool, (seconds, cpu_seconds, kilobytes) in figures.items():
        seconds = max(seconds, 0.01)
        print(f"{tool:19} {seconds:8.2f} {cpu_seconds:8.2f} {kilobytes / 1024:12.0f} {rows / seconds:14,.0f} "
              f"{seconds / settle_seconds:13.1f}×")
    print("(whole processes: rates loaded, sample read, converted, results written; the Python ones include the interpreter)")


def main(arguments):
    commands = {
        "rates": (extract_rates, 2),
        "sample": (generate_sample, 5),
        "reference": (run_reference, 3),
        "currencyconverter": (run_currencyconverter, 4),
        "compare": (compare, None),
        "table": (table, None),
    }
    if not arguments or arguments[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    function, count = commands[arguments[0]]
    if (count is not None and len(arguments) - 1 != count) or (count is None and len(arguments) < 3):
        print(__doc__, file=sys.stderr)
        return 2
    function(*arguments[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
