#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer and the address sanitizer, then runs each for FUZZ_SECONDS
# (default 60) from its committed corpus (Corpus/<target>/) into a scratch corpus under /tmp, so that
# the committed one is never written. Exits 1 when any target crashes, traps or leaks; its crash
# input is kept in the scratch folder, named in the output.
#
#   Fuzz/run.sh                     every target, 60 s each
#   FUZZ_SECONDS=300 Fuzz/run.sh FuzzECB FuzzCSV
#   FUZZ_JOBS=2 Fuzz/run.sh         two targets at a time (each still one process)
set -euo pipefail

cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-1}
SCRATCH=${FUZZ_SCRATCH:-/tmp/settle-fuzz}
ALL_TARGETS=(FuzzDecimal FuzzTimestamp FuzzCSV FuzzOrders FuzzAffiliates FuzzProgram FuzzECB FuzzBankDetails)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${ALL_TARGETS[@]}"); fi

# SwiftPM's `--sanitize=fuzzer --sanitize=address` hands swiftc two -sanitize flags, and the last one
# wins: the Swift code would get no coverage. `--sanitize=fuzzer` keeps SwiftPM from renaming `main`
# (libFuzzer's), and the one combined -Xswiftc flag, coming last, is what swiftc uses.
build_flags=(--scratch-path .build -c debug --sanitize=fuzzer
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)
mkdir -p "$SCRATCH"
for target in "${targets[@]}"; do
  status=0
  "$SWIFT" build "${build_flags[@]}" --product "$target" >"$SCRATCH/build.log" 2>&1 || status=$?
  # ld.gold warns once per ASan helper symbol it cannot export: thousands of harmless lines.
  grep -v "Cannot export local symbol" "$SCRATCH/build.log" || true
  [ "$status" -eq 0 ] || { echo "fuzz: building $target failed" >&2; exit 1; }
done
bin=$("$SWIFT" build "${build_flags[@]}" --show-bin-path)

# The Swift runtime's backtracer would catch the trap before the sanitizer does and print a second report.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}

run_target() {
  local target=$1
  local work="$SCRATCH/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  local dictionary=()
  [ -f "Dictionaries/$target.dict" ] && dictionary=(-dict="Dictionaries/$target.dict")
  local status=0
  "$bin/$target" "$work/corpus" "Corpus/$target" "${dictionary[@]}" \
    -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || status=$?
  local executions
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  if [ "$status" -eq 0 ]; then
    echo "fuzz: $target: ${executions:-?} executions in ${FUZZ_SECONDS} s, no crash"
  else
    echo "fuzz: $target: FAILED (exit $status) after ${executions:-?} executions; log $work/log, input in $work/artifacts/" >&2
    grep -m 3 -E "Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY" "$work/log" >&2 || true
  fi
  return "$status"
}

failed=0
pids=()
for target in "${targets[@]}"; do
  run_target "$target" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$FUZZ_JOBS" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit "$failed"
