#!/usr/bin/env bash
# `make bench`: every bench/*.mjs against the built package, in one Node process each,
# then the native criterion benches (short runs), then the summary: every row of issue
# 15's table with its peer, ratio, goal and whether it is met (bench/lib/summary.mjs).
# BENCH_QUICK=1: the smoke mode of `make test`: small workloads, few rounds, no criterion;
# it asserts only that every row prints (the summary exits 1 when one is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
BENCH_ROWS=$(mktemp)
trap 'rm -f "$BENCH_ROWS"' EXIT
export BENCH_ROWS
for b in bench/*.mjs; do
  echo "== bench: $b"
  start=$SECONDS
  node --expose-gc "$b"
  echo "== bench: $b took $((SECONDS - start)) s"
done
if [ "${BENCH_QUICK:-}" != 1 ] && compgen -G "benches/*.rs" >/dev/null; then
  echo "== bench: criterion (native)"
  start=$SECONDS
  cargo bench --quiet --benches -- --warm-up-time 1 --measurement-time 3
  echo "== bench: criterion took $((SECONDS - start)) s"
fi
node bench/lib/summary.mjs "$BENCH_ROWS"
