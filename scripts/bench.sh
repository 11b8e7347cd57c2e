#!/usr/bin/env bash
# `make bench`: every bench/*.mjs against the built package, in one Node process each,
# then the native criterion benches (short runs). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for b in bench/*.mjs; do
  echo "== bench: $b"
  node --expose-gc "$b"
done
if compgen -G "benches/*.rs" >/dev/null; then
  echo "== bench: criterion (native)"
  cargo bench --quiet --benches -- --warm-up-time 1 --measurement-time 3
fi
