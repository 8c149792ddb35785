"""Helpers for settlement-vs-duckdb.sh: the ECB rates as CSV, the DuckDB run, and the comparison.

    settlement-vs-duckdb.py rates   HIST_XML RATES_CSV
    settlement-vs-duckdb.py duckdb  ORDERS_CSV RATES_CSV PERIOD OUT_CSV
    settlement-vs-duckdb.py compare SETTLE_COMMISSIONS_CSV DUCKDB_CSV

Money is read as decimal text into integers of cents, never into binary floating point.
"""

import csv
import pathlib
import sys
import xml.etree.ElementTree as ElementTree

ECB_NAMESPACE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


def extract_rates(history_path, csv_path):
    """Writes day,currency,rate for every rate of the ECB history, plus EUR at 1 on each day."""
    days = 0
    with open(csv_path, "w", newline="") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["day", "currency", "rate"])
        for _, element in ElementTree.iterparse(history_path, events=("end",)):
            if element.tag != ECB_NAMESPACE + "Cube" or element.get("time") is None:
                continue
            day = element.get("time")
            writer.writerow([day, "EUR", "1"])
            for rate in element:
                writer.writerow([day, rate.get("currency"), rate.get("rate")])
            days += 1
            element.clear()
    print(f"rates: {days} publications written to {csv_path}", file=sys.stderr)


def run_duckdb(orders_path, rates_path, period, out_path):
    """Runs settlement.sql over the orders and writes its totals per affiliate and market."""
    import duckdb  # only in the throw-away virtual environment

    year, month = (int(part) for part in period.split("-"))
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    template = (pathlib.Path(__file__).parent / "settlement.sql").read_text()
    query = template.format(
        orders=orders_path,
        rates=rates_path,
        period_start=f"{year:04d}-{month:02d}-01",
        period_end=f"{next_year:04d}-{next_month:02d}-01",
    )
    connection = duckdb.connect()
    connection.execute(f"COPY ({query}) TO '{out_path}' (HEADER, DELIMITER ',')")
    lookback_max = connection.execute(
        f"SELECT coalesce(max(lookback_days_max), 0) FROM read_csv('{out_path}', header = true)"
    ).fetchone()[0]
    if lookback_max > 7:
        print(f"duckdb: an order used a publication {lookback_max} days old (Settle stops there)", file=sys.stderr)


def cents(text):
    """Decimal text with at most two fraction digits as an integer of cents."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole or "0") * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def read_totals(path):
    with open(path, newline="") as source:
        return {
            (row["affiliate_id"], row["market"]): (int(row["orders"]), cents(row["sales"]), cents(row["commission"]))
            for row in csv.DictReader(source)
        }


def compare(settle_path, duckdb_path):
    """Prints how many affiliate-market groups differ and by how much; exit status 0 either way."""
    settle = read_totals(settle_path)
    duck = read_totals(duckdb_path)
    keys = settle.keys() | duck.keys()
    only_settle = len(settle.keys() - duck.keys())
    only_duck = len(duck.keys() - settle.keys())
    differing = {"orders": 0, "sales": 0, "commission": 0}
    cents_off = {"sales": 0, "commission": 0}
    largest = {"sales": 0, "commission": 0}
    groups_differing = 0
    for key in keys:
        left = settle.get(key, (0, 0, 0))
        right = duck.get(key, (0, 0, 0))
        if left == right:
            continue
        groups_differing += 1
        for index, name in enumerate(("orders", "sales", "commission")):
            if left[index] != right[index]:
                differing[name] += 1
                if name != "orders":
                    gap = abs(left[index] - right[index])
                    cents_off[name] += gap
                    largest[name] = max(largest[name], gap)
    total = lambda table, index: sum(value[index] for value in table.values())
    print(f"groups (affiliate × market): settle {len(settle)}, duckdb {len(duck)}, "
          f"only in settle {only_settle}, only in duckdb {only_duck}")
    print(f"orders:     settle {total(settle, 0)}, duckdb {total(duck, 0)}")
    for index, name in ((1, "sales"), (2, "commission")):
        print(f"{name + ':':11} settle {total(settle, index) / 100:.2f} USD, duckdb {total(duck, index) / 100:.2f} USD")
    if groups_differing == 0:
        print(f"agree: all {len(keys)} groups have the same orders, sales and commission to the cent")
    else:
        print(
            f"differ: {groups_differing} of {len(keys)} groups "
            f"({differing['orders']} in orders, "
            f"{differing['sales']} in sales by {cents_off['sales']} cents in all, at most {largest['sales']}, "
            f"{differing['commission']} in commission by {cents_off['commission']} cents in all, "
            f"at most {largest['commission']})"
        )


def main(arguments):
    commands = {"rates": (extract_rates, 2), "duckdb": (run_duckdb, 4), "compare": (compare, 2)}
    if not arguments or arguments[0] not in commands or len(arguments) - 1 != commands[arguments[0]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    function, _ = commands[arguments[0]]
    function(*arguments[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
