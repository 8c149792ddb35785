#!/usr/bin/env bash
# Converts the same seeded sample of conversions (ECB currencies, 1999 to the last publication,
# weekends and holidays included) with what a user might pick instead of Settle, side by side with
# Settle's release build, and checks every result against an exact reference:
#
#   - reference:           Python's decimal module, amount × rate_to ÷ rate_from rounded half-even
#                          once, under Settle's date rule (the publication of the day, else the
#                          latest at most 7 days before)
#   - currencyconverter:   the CurrencyConverter package (PyPI), binary floats, fed the same history
#                          as the ECB's CSV, missing days filled with the last known rate
#   - cc-decimal:          the same with CurrencyConverter's decimal=True
#   - foundation-decimal:  Foundation.Decimal in Swift (Benchmarks/ConversionCompare), given the two
#                          rates of each row, NSDecimalRound(.bankers)
#   - settle:              `settle convert --batch`
#
# For each: wall and CPU time and peak RSS (/usr/bin/time -v, the whole process: loading the rates, reading
# the sample, converting, writing the results), conversions per second of wall time, the ratio of
# its wall time to Settle's, and how many results agree with the reference to the minor unit, with
# a few disagreements and their exact values.
#
#   Benchmarks/compare/conversion-vs-currencyconverter.sh [ROWS]   # default 1000000; `make compare-conversion`
#
# CurrencyConverter comes from PyPI into a throw-away virtual environment under /tmp (never
# committed). Environment: SETTLE_SCRATCH (Settle's build folder; default: .build when its release
# settle is newer than every source, else .build-compare), COMPARE_DIR (work files, default
# /tmp/settle-conversion-compare), CURRENCYCONVERTER_VENV (default /tmp/settle-currencyconverter-venv).
set -euo pipefail

rows="${1:-1000000}"
seed=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/Benchmarks/compare"
work="${COMPARE_DIR:-/tmp/settle-conversion-compare}"
venv="${CURRENCYCONVERTER_VENV:-/tmp/settle-currencyconverter-venv}"
history="$root/rates/eurofxref-hist.xml"
sample="$work/sample-$rows-seed$seed.csv"
rated="$work/sample-$rows-seed$seed-rated.csv"
rates_csv="$work/eurofxref-hist.csv"
helper="$here/conversion-vs-currencyconverter.py"

case "$rows" in '' | *[!0-9]*) echo "rows must be a whole number, not \"$rows\"" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"

# The root .build is used as it is when its release settle is current; it is never built into here.
scratch="${SETTLE_SCRATCH:-}"
if [ -z "$scratch" ]; then
  scratch=.build-compare
  if [ -x "$root/.build/release/settle" ] &&
    [ -z "$(cd "$root" && find Sources Package.swift Package.resolved -newer .build/release/settle -print -quit)" ]; then
    scratch=.build
  fi
fi
settle="$root/$scratch/release/settle"
if [ "$scratch" = .build ]; then
  echo "== Settle: $settle (current, used as it is)"
else
  echo "== building Settle (release, $scratch)"
  (cd "$root" && swift build -c release --product settle --scratch-path "$scratch" 2>&1 | tail -1)
fi
echo "== building conversion-compare (release, Benchmarks/.build-compare)"
(cd "$root/Benchmarks" && swift build -c release --product conversion-compare --scratch-path .build-compare 2>&1 | tail -1)
foundation="$root/Benchmarks/.build-compare/release/conversion-compare"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import currency_converter' 2>/dev/null; then
  echo "== installing CurrencyConverter from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet CurrencyConverter
fi
python="$venv/bin/python"
echo "== CurrencyConverter $("$python" -c 'import importlib.metadata as m; print(m.version("CurrencyConverter"))')," \
  "Python $("$python" -c 'import platform; print(platform.python_version())')"

"$python" "$helper" rates "$history" "$rates_csv"
# The sample is kept for the next run while it is newer than the history and the generator.
if [ ! -s "$sample" ] || [ ! -s "$rated" ] || [ "$history" -nt "$rated" ] || [ "$helper" -nt "$rated" ]; then
  "$python" "$helper" sample "$rows" "$seed" "$history" "$sample.partial" "$rated.partial"
  mv "$sample.partial" "$sample"
  mv "$rated.partial" "$rated"
fi
cat "$sample" "$rated" "$history" > /dev/null  # every run reads its files from the page cache

timed() {  # timed TOOL COMMAND...: runs COMMAND under /usr/bin/time -v into $work/TOOL.time
  local tool="$1"
  shift
  echo "== $tool" >&2  # stdout may be the tool's output
  /usr/bin/time -v -o "$work/$tool.time" "$@"
}
timed reference "$python" "$helper" reference "$history" "$sample" "$work/reference.csv"
timed currencyconverter "$python" "$helper" currencyconverter float "$rates_csv" "$sample" "$work/currencyconverter.csv"
timed cc-decimal "$python" "$helper" currencyconverter decimal "$rates_csv" "$sample" "$work/cc-decimal.csv"
timed foundation-decimal "$foundation" "$rated" "$work/foundation-decimal.csv"
# settle exits 1 when some rows have no rate (their error column says why), after writing every row.
status=0
timed settle "$settle" convert --batch "$sample" --rates-dir "$root/rates" > "$work/settle.csv" 2> "$work/settle.stderr" ||
  status=$?
[ "$status" -le 1 ] || { cat "$work/settle.stderr" >&2; exit 1; }
cat "$work/settle.stderr" >&2
tools=(reference currencyconverter cc-decimal foundation-decimal settle)

echo
echo "== $rows conversions ($(du -m "$sample" | cut -f1) MB), seed $seed; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" "$helper" table "$rows" "$work" "${tools[@]}"
echo
"$python" "$helper" compare "$sample" "$work/reference.csv" \
  "currencyconverter=$work/currencyconverter.csv" "cc-decimal=$work/cc-decimal.csv" \
  "foundation-decimal=$work/foundation-decimal.csv" "settle=$work/settle.csv"
