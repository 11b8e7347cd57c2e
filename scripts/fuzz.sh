#!/usr/bin/env bash
# Runs every cargo-fuzz target for a set time (default 60 s each) on stable Rust
# (`--sanitizer none`: the sanitizers need nightly), keeping the corpus under
# fuzz/corpus/<target>. Prints executions and crashes per target.
#   scripts/fuzz.sh [seconds] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
mkdir -p target
printf '%-12s %14s %10s %8s\n' target executions exec/s crashes > target/fuzz-summary.txt
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="target/fuzz-$t.log"
  set +e
  cargo fuzz run --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log" | tail -1)
  # Keep the committed corpus small: only inputs that add coverage.
  cargo fuzz cmin --sanitizer none "$t" "fuzz/corpus/$t" >>"$log" 2>&1 || true
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  printf '%-12s %14s %10s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "$crashes" >> target/fuzz-summary.txt
  [ $rc -eq 0 ] || echo "fuzz: $t exited with $rc (see $log)"
done
cat target/fuzz-summary.txt
