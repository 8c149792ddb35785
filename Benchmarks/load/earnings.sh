#!/usr/bin/env bash
# Load benchmark of the preview server: earnings requests for random affiliates, over loopback.
#
# Builds the release binary, makes a ledger with the 3,000 affiliates of samples/affiliates.csv
# and 12 closed months (ORDERS_PER_MONTH generated orders each, default 20,000), issues a treasury
# token and runs wrk for DURATION (default 20s) with 2 threads and 32 connections against
# `settle serve` on PORT (default 18080), each request asking for a random affiliate's earnings in
# a random currency (8 currencies: 24,000 distinct answers). Three figures, each with requests per
# second and the 50th and 99th-percentile latency:
#   computed   the server started with --answer-cache off: every answer is read from the ledger,
#              converted and written when it is asked for (the issue's target: >= 5,000 req/s);
#   first      a server with its answer cache, fresh: most requests are the first for their
#              affiliate and currency, so most are computed and then kept;
#   second     the same server again: the answers the first pass computed come from the cache.
# The load average is printed before and after, as other work on the machine moves the figures.
# SCRATCH (default .build) is the build directory. The ledger is kept in WORK (default
# /tmp/settle-load) and reused when it is already complete; the server is stopped at the end.
set -euo pipefail

cd "$(dirname "$0")/../.."
ORDERS_PER_MONTH=${ORDERS_PER_MONTH:-20000}
PORT=${PORT:-18080}
DURATION=${DURATION:-20s}
WORK=${WORK:-/tmp/settle-load}
SCRATCH=${SCRATCH:-.build}
settle="$SCRATCH/release/settle"
months=(2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10)

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk
fi

echo "building the release binary"
swift build -c release --product settle --scratch-path "$SCRATCH" >/dev/null

ledger="$WORK/settle.db"
if [ ! -f "$WORK/complete" ]; then
  rm -rf "$WORK" && mkdir -p "$WORK"
  echo "making the ledger: 3,000 affiliates, 12 months of $ORDERS_PER_MONTH orders"
  start=$(date +%s)
  seed=1
  for month in "${months[@]}"; do
    "$settle" generate orders --count "$ORDERS_PER_MONTH" --seed "$seed" --period "$month" >"$WORK/orders-$month.csv"
    "$settle" payouts --orders "$WORK/orders-$month.csv" --period "$month" --affiliates samples/affiliates.csv \
      --payer samples/payer.yaml --created-at "$(date -u -d "$month-01 +1 month +1 day" +%Y-%m-%dT09:00:00Z)" \
      --out "$WORK/out-$month" --ledger "$ledger" >/dev/null 2>"$WORK/payouts-$month.log" || {
      cat "$WORK/payouts-$month.log" >&2
      exit 1
    }
    rm -f "$WORK/orders-$month.csv"
    seed=$((seed + 1))
  done
  touch "$WORK/complete"
  echo "ledger made in $(($(date +%s) - start)) s ($(du -h "$ledger" | cut -f1))"
fi

token=$("$settle" tokens issue --treasury --ledger "$ledger" | grep -o 'stl_[0-9a-f]*' | head -1)
cut -d, -f1 samples/affiliates.csv | tail -n +2 >"$WORK/affiliates.txt"
cat >"$WORK/earnings.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/affiliates.txt") do ids[#ids + 1] = line end
local currencies = {"USD", "EUR", "JPY", "GBP", "CHF", "BRL", "INR", "PLN"}
wrk.headers["Authorization"] = "Bearer $token"
math.randomseed(os.time())
request = function()
  local id = ids[math.random(#ids)]
  local currency = currencies[math.random(#currencies)]
  return wrk.format("GET", "/v1/affiliates/" .. id .. "/earnings?currency=" .. currency)
end
done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p50 latency: %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("p99 latency: %.2f ms\n", latency:percentile(99) / 1000))
  io.write(string.format("non-2xx: %d, errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT

# Starts the server with the given extra options and waits until it answers.
start_server() {
  "$settle" serve --ledger "$ledger" --port "$PORT" --log-level warning "$@" &
  server=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return
    sleep 0.1
  done
  echo "the server did not answer on port $PORT" >&2
  exit 1
}

stop_server() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

# One wrk run, labelled.
measure() {
  echo "wrk ($1): 2 threads, 32 connections, $DURATION, random affiliates and currencies"
  wrk -t2 -c32 -d"$DURATION" --latency -s "$WORK/earnings.lua" "http://127.0.0.1:$PORT" \
    | grep -E '^(requests/s|p50|p99|non-2xx)'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server --answer-cache off
curl -sf -H "Authorization: Bearer $token" -o "$WORK/sample.json" \
  "http://127.0.0.1:$PORT/v1/affiliates/AFF0001/earnings?currency=EUR"
echo "sample: $(head -c 200 "$WORK/sample.json")…"
measure "computed: answer cache off"
stop_server
# The cache keeps answers until the ledger file changes: the first pass computes most of its
# answers and keeps them, the second finds most of them kept.
start_server
measure "first pass: answer cache on, empty"
measure "second pass: answer cache on"
stop_server
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
trap - EXIT
