#!/usr/bin/env bash
# Settles the same generated month of orders with Settle's release build and with the equivalent
# DuckDB query (settlement.sql), side by side: wall time and peak RSS of each (/usr/bin/time -v),
# their ratio, and whether the totals per affiliate and market agree.
#
#   Benchmarks/compare/settlement-vs-duckdb.sh [ROWS]      # default 10000000; `make compare` runs it
#
# DuckDB comes from PyPI into a throw-away virtual environment under /tmp (never committed).
# Environment: SETTLE_SCRATCH (the build folder, default .build), COMPARE_DIR (work files, default
# /tmp/settle-compare), DUCKDB_VENV (default /tmp/settle-duckdb-venv).
set -euo pipefail

rows="${1:-10000000}"
period="2026-10"
seed=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/Benchmarks/compare"
scratch="${SETTLE_SCRATCH:-.build}"
work="${COMPARE_DIR:-/tmp/settle-compare}"
venv="${DUCKDB_VENV:-/tmp/settle-duckdb-venv}"
orders="$work/orders-$rows-seed$seed-$period.csv"
rates_csv="$work/eurofxref-hist.csv"

case "$rows" in '' | *[!0-9]*) echo "rows must be a whole number, not \"$rows\"" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"

echo "== building Settle (release, $scratch)"
(cd "$root" && swift build -c release --product settle --scratch-path "$scratch" 2>&1 | tail -1)
settle="$root/$scratch/release/settle"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  echo "== installing DuckDB from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb
fi
python="$venv/bin/python"
echo "== DuckDB $("$python" -c 'import duckdb; print(duckdb.__version__)')"

if [ ! -s "$orders" ]; then
  echo "== generating $rows orders into $orders"
  "$settle" generate orders --count "$rows" --seed "$seed" --period "$period" > "$orders.partial"
  mv "$orders.partial" "$orders"
fi
"$python" "$here/settlement-vs-duckdb.py" rates "$root/rates/eurofxref-hist.xml" "$rates_csv"
cat "$orders" > /dev/null  # both runs read the file from the page cache

# Prints "seconds kilobytes" from a /usr/bin/time -v report.
measured() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, part, ":"); seconds = 0
                for (i = 1; i <= n; i++) seconds = seconds * 60 + part[i] }
              /Maximum resident set size/ { kilobytes = $2 }
              END { printf "%.2f %d\n", seconds, kilobytes }' "$1"
}

echo "== settle commissions"
rm -rf "$work/settle-out"
/usr/bin/time -v -o "$work/settle.time" \
  "$settle" commissions --orders "$orders" --period "$period" --out "$work/settle-out" --rates-dir "$root/rates"
echo "== duckdb"
/usr/bin/time -v -o "$work/duckdb.time" \
  "$python" "$here/settlement-vs-duckdb.py" duckdb "$orders" "$rates_csv" "$period" "$work/duckdb.csv"

read -r settle_seconds settle_kilobytes < <(measured "$work/settle.time")
read -r duck_seconds duck_kilobytes < <(measured "$work/duckdb.time")
echo
echo "== $rows orders ($(du -m "$orders" | cut -f1) MB), period $period"
printf '%-8s wall %7.2f s   peak RSS %6d MB   (%s)\n' settle "$settle_seconds" $((settle_kilobytes / 1024)) \
  "writes commissions.csv, the orders.csv audit and summary.json, fsynced"
printf '%-8s wall %7.2f s   peak RSS %6d MB   (%s)\n' duckdb "$duck_seconds" $((duck_kilobytes / 1024)) \
  "writes the totals only; RSS includes the Python interpreter"
awk -v s="$settle_seconds" -v d="$duck_seconds" -v sr="$settle_kilobytes" -v dr="$duck_kilobytes" \
  'BEGIN { printf "ratio    settle / duckdb: wall %.2f×, peak RSS %.2f×\n", s / d, sr / dr }'
"$python" "$here/settlement-vs-duckdb.py" compare "$work/settle-out/commissions.csv" "$work/duckdb.csv"
