#!/usr/bin/env bash
# Runs every cargo-fuzz target for a set time (default 60 s each) on stable Rust
# (`--sanitizer none`: the sanitizers need nightly). Prints executions and crashes per target.
#   scripts/fuzz.sh [seconds] [target ...]
# Each target starts from its committed seeds (fuzz/seeds/<target>, copied into the working
# corpus when missing) with its dictionary (fuzz/dict/<target>.dict) if it has one. The
# working corpus, fuzz/corpus/<target>, is git-ignored: it grows from run to run on this
# machine only (libFuzzer keeps only inputs that add coverage).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
mkdir -p target
printf '%-12s %14s %10s %8s %8s\n' target executions exec/s crashes corpus > target/fuzz-summary.txt
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  # Seeds are named by their content's hash, as libFuzzer names corpus files.
  for seed in "fuzz/seeds/$t"/*; do
    if [ -f "$seed" ] && [ ! -e "$corpus/${seed##*/}" ]; then cp "$seed" "$corpus/"; fi
  done
  dict=()
  if [ -f "fuzz/dict/$t.dict" ]; then dict=("-dict=fuzz/dict/$t.dict"); fi
  log="target/fuzz-$t.log"
  set +e
  cargo fuzz run --sanitizer none "$t" "$corpus" -- \
    -max_total_time="$secs" -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 \
    ${dict[@]+"${dict[@]}"} >"$log" 2>&1
  rc=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log" | tail -1)
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  files=$(find "$corpus" -type f | wc -l)
  printf '%-12s %14s %10s %8s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "$crashes" "$files" >> target/fuzz-summary.txt
  [ $rc -eq 0 ] || echo "fuzz: $t exited with $rc (see $log)"
done
cat target/fuzz-summary.txt
