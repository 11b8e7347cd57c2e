#!/usr/bin/env bash
# Regenerates pkg-template/types/generated/: the TypeScript declarations of the Rust
# types that cross to JavaScript, derived by ts-rs (the core's `ts` feature). It is the
# drift test (tests/ts_types/) in write mode; `cargo test -p zcrm-guard --features ts
# --test ts_types` fails whenever the committed files differ from what it writes.
set -euo pipefail
cd "$(dirname "$0")/.."
ZCRM_GUARD_WRITE_TYPES=1 cargo test --quiet -p zcrm-guard --features ts --test ts_types \
  -- --exact generated_declarations_are_current
echo "pkg-template/types/generated/ written"
