#!/usr/bin/env bash
# Builds pkg/: the npm package zcrm-guard.
#   1. cargo builds the bindings crate (js-api/, a cdylib over the core) for
#      wasm32-unknown-unknown (release);
#   2. wasm-bindgen emits the `web` target (browsers, bundlers, workerd) and the
#      `experimental-nodejs-module` target (Node, synchronous ESM);
#   3. wasm-opt from npm `binaryen` (never Debian's: it corrupts current
#      wasm-bindgen output) optimises each .wasm with explicit features
#      (`--all-features` emits a module Node 20 rejects);
#   4. the optimised modules are smoke-tested in Node;
#   5. pkg-template/ is copied in and the version is taken from Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_OPT=node_modules/.bin/wasm-opt
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
          --enable-mutable-globals --enable-reference-types --enable-multivalue)

echo "== build: cargo (wasm32, release)"
cargo build --quiet --release -p zcrm-guard-js --lib --target wasm32-unknown-unknown
RAW=target/wasm32-unknown-unknown/release/zcrm_guard_js.wasm

rm -rf pkg
mkdir -p pkg
echo "== build: wasm-bindgen"
# --out-name: the package's files keep the name zcrm_guard(_bg.wasm).
wasm-bindgen --target web --out-name zcrm_guard --out-dir pkg/web "$RAW"
wasm-bindgen --target experimental-nodejs-module --out-name zcrm_guard --out-dir pkg/node "$RAW"
# The hand-written index.d.ts is the package's types; drop the generated ones.
rm -f pkg/web/*.d.ts pkg/node/*.d.ts pkg/node/package.json

echo "== build: wasm-opt (npm binaryen $("$WASM_OPT" --version | awk '{print $3}'))"
for dir in web node; do
  "$WASM_OPT" -Os "${FEATURES[@]}" "pkg/$dir/zcrm_guard_bg.wasm" -o "pkg/$dir/zcrm_guard_bg.opt.wasm"
  mv "pkg/$dir/zcrm_guard_bg.opt.wasm" "pkg/$dir/zcrm_guard_bg.wasm"
done

cp -R pkg-template/. pkg/
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"

echo "== build: smoke test of the optimised wasm"
node scripts/smoke.mjs

node scripts/sizes.mjs pkg/web/zcrm_guard_bg.wasm
echo "== build: pkg/ ready (zcrm-guard $version)"
