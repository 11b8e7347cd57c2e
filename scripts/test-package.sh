#!/usr/bin/env bash
# Tests the built package exactly as users get it: `npm pack` of pkg/, installed
# into a fresh consumer folder (target/consumer), imported by name. Runs the shared
# JS cases in Node, in workerd (Miniflare) and in headless Chromium, then checks a
# TypeScript consumer with `tsc --noEmit`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONSUMER=target/consumer

tarball=$(bash scripts/pack.sh)
echo "== package: packed $tarball ($(du -k "$tarball" | cut -f1) KiB)"
rm -rf "$CONSUMER"
mkdir -p "$CONSUMER"
cat > "$CONSUMER/package.json" <<JSON
{ "name": "zcrm-guard-consumer", "private": true, "type": "module" }
JSON
(cd "$CONSUMER" && npm install --silent --no-audit --no-fund --no-package-lock "$ROOT/$tarball")
cp -R tests/js "$CONSUMER/js"
cp scripts/serve.mjs "$CONSUMER/js/serve.mjs"
cp -R tests/ts "$CONSUMER/ts"

echo "== package: node --test (Node, workerd via Miniflare, Chromium via playwright-core)"
node --expose-gc --test --test-concurrency=1 "$CONSUMER"/js/node.test.mjs "$CONSUMER"/js/hostile.test.mjs "$CONSUMER"/js/security.test.mjs "$CONSUMER"/js/workerd.test.mjs "$CONSUMER"/js/browser.test.mjs

echo "== package: tsc --noEmit on a consumer of every export"
"$ROOT/node_modules/.bin/tsc" -p "$CONSUMER/ts/tsconfig.json"
echo "tsc: consumer type-checks"
