#!/usr/bin/env bash
# Every suite, in order; stops at the first failure. Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CARGO_TERM_COLOR=never

step() { echo; echo "==== $*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host, all targets)"
cargo clippy --quiet --all-targets -- -D warnings

step "cargo clippy (wasm32 bindings)"
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings

step "cargo test (native)"
cargo test

step "cargo check --target wasm32-unknown-unknown"
cargo check --quiet --lib --target wasm32-unknown-unknown

step "wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown --test wasm_node

step "wasm-bindgen-test in headless Chromium"
cargo test --target wasm32-unknown-unknown --test wasm_browser

step "package build"
bash scripts/build.sh

step "package tests (Node, workerd, Chromium) and TypeScript consumer"
bash scripts/test-package.sh

step "repository JS suites (demo page, Worker example, simulator, client, soak)"
shopt -s nullglob
suites=(tests/demo/*.test.mjs tests/worker/*.test.mjs tests/sim/*.test.mjs tests/client/*.test.mjs tests/soak/*.test.mjs)
node --test --test-concurrency=1 "${suites[@]}"

echo
echo "==== all suites passed"
