#!/usr/bin/env bash
# The main job on bundled data, as `make demo` runs it: rates and conversions, then two
# consecutive months settled and paid through the ledger, with a held payout carried, a failed
# payment returned, an order refunded after its month was paid clawed back, and the ledger verified.
set -euo pipefail
settle=${SETTLE:-.build/release/settle}
demo=out/demo
ledger=$demo/settle.db
show() { printf '\n== %s\n' "$*"; }

show "ECB rates, latest publication in the bundled store (rates/)"
"$settle" rates show | head -8
show "converting a few amounts exactly"
"$settle" convert 123.45 USD JPY --date 2026-10-04 --explain
"$settle" convert 1000 JPY EUR --date 2026-10-30
"$settle" convert -12.50 GBP ISK --date 2026-10-30 --rounding floor
"$settle" convert 250 CYP EUR --date 2007-12-31

rm -rf "$demo" && mkdir -p "$demo"
show "generating two months of orders (200,000 each) for the 3,000 affiliates of samples/affiliates.csv"
"$settle" generate orders --count 200000 --seed 2025 --period 2026-09 > "$demo/orders-2026-09.csv"
"$settle" generate orders --count 200000 --seed 2026 --period 2026-10 > "$demo/orders-2026-10.csv"

show "September: settle, pay and close the period in the ledger ($ledger)"
"$settle" payouts --orders "$demo/orders-2026-09.csv" --affiliates samples/affiliates.csv --payer samples/payer.yaml \
  --period 2026-09 --created-at 2026-10-02T09:00:00Z --out "$demo/2026-09" --ledger "$ledger"
show "the held payouts and why (they stay owed in the ledger)"
grep ',held,' "$demo/2026-09/payouts.csv" | cut -d, -f1,3,4,8-9
show "the wire file checked against the ISO 20022 schema in schemas/"
"$settle" payouts validate "$demo/2026-09/wire.xml" --schema schemas/pain.001.001.09.xsd
september=$("$settle" ledger batches --ledger "$ledger" | awk -F, '$2 == "2026-09" { print $1 }')
show "the bank reports AFF0003's payment failed: confirm the batch, the rest paid"
echo AFF0003 > "$demo/failed-2026-09.txt"
"$settle" ledger confirm "$september" --failed "$demo/failed-2026-09.txt" --ledger "$ledger"

show "an order of September refunded after it was paid: September again, as it now stands"
refunded=$(awk -F, '$4 == "qualified" { print $2; exit }' "$demo/2026-09/orders.csv")
sed "s/^\($refunded,.*\),completed,/\1,refunded,/" "$demo/orders-2026-09.csv" > "$demo/orders-2026-09-late.csv"
"$settle" payouts --orders "$demo/orders-2026-09-late.csv" --affiliates samples/affiliates.csv --payer samples/payer.yaml \
  --period 2026-09 --out "$demo/2026-09" --ledger "$ledger"

show "October, with AFF0007's IBAN fixed: carried balances, the failed payment and the clawback are paid with it"
sed 's/DE00370400440532013000/DE89370400440532013000/' samples/affiliates.csv > "$demo/affiliates-2026-10.csv"
"$settle" payouts --orders "$demo/orders-2026-10.csv" --affiliates "$demo/affiliates-2026-10.csv" \
  --payer samples/payer.yaml --period 2026-10 --created-at 2026-11-02T09:00:00Z --out "$demo/2026-10" --ledger "$ledger"
show "October's payouts that carry something from September"
grep -E 'carried|adjustment' "$demo/2026-10/payouts.csv" | cut -d, -f1,3,4,5,6,8,9 | head -8
cat "$demo/2026-10/adjustments.csv"
show "balances still owed after October, the batches, and the ledger's invariants"
"$settle" ledger balances --ledger "$ledger"
"$settle" ledger batches --ledger "$ledger"
"$settle" ledger verify --ledger "$ledger"
show "October's manifest"
cat "$demo/2026-10/manifest.json"
show "an affiliate previews its earnings in its own currency (settle serve shows the same page and JSON: see the README)"
"$settle" preview --affiliate AFF0007 --currency EUR --locale de_DE --ledger "$ledger"
