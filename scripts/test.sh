#!/usr/bin/env bash
# Every suite, in order; stops at the first failure. Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CARGO_TERM_COLOR=never

step() { echo; echo "==== $*"; }

step "layout: file sizes, imports from tests/, fuzz seeds"
node scripts/check-layout.mjs

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host, workspace, all targets)"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "cargo clippy (wasm32: the core and the bindings)"
cargo clippy --quiet --workspace --lib --target wasm32-unknown-unknown -- -D warnings

step "the core is pure: no wasm-bindgen or js-sys among its dependencies"
if cargo tree --quiet -p zcrm-guard -e normal,build --prefix none | grep -E '^(wasm-bindgen|js-sys|web-sys)( |$)'; then
  echo "the core crate depends on a wasm binding crate" >&2
  exit 1
fi

step "cargo test (native, workspace)"
cargo test --workspace

step "TypeScript declarations match the Rust types (pkg-template/types/generated/)"
cargo test --quiet -p zcrm-guard --features ts --test ts_types

step "wasm-bindgen-test in Node"
cargo test -p zcrm-guard-js --target wasm32-unknown-unknown --test wasm_node

step "wasm-bindgen-test in headless Chromium"
cargo test -p zcrm-guard-js --target wasm32-unknown-unknown --test wasm_browser

step "package build"
bash scripts/build.sh

step "package tests (Node, workerd, Chromium) and TypeScript consumer"
bash scripts/test-package.sh

step "the package as users get it: files shipped, four bundlers in Chromium, the Worker and widget examples"
node --test --test-concurrency=1 tests/pack/*.test.mjs

step "repository JS suites (demo page, Worker example, widget tabs in Chromium, simulator, client, Redis, soak)"
shopt -s nullglob
suites=(tests/demo/*.test.mjs tests/worker/*.test.mjs tests/tabs/*.test.mjs tests/sim/*.test.mjs tests/client/*.test.mjs tests/redis/*.test.mjs tests/soak/*.test.mjs)
node --test --test-concurrency=1 "${suites[@]}"

step "bench smoke (BENCH_QUICK=1: every bench/*.mjs once, every row of issue 15 prints; no speed asserted)"
BENCH_QUICK=1 bash scripts/bench.sh

echo
echo "==== all suites passed"
