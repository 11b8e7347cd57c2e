#!/usr/bin/env bash
# Installs what the project needs, idempotently: each step is skipped when what it
# installs is already there at the right version.
#   scripts/setup.sh build   - wasm32 target, wasm-bindgen CLI, npm packages
#   scripts/setup.sh test    - the above, plus Debian chromium, chromium-driver and redis-server
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}

say() { echo "== setup: $*"; }

# 1. The Rust wasm target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the version Cargo.lock pins (the CLI and the crate
#    must match). No --locked: the registry mirror lacks one locked dependency.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then
  say "wasm-bindgen-cli $want present"
else
  say "installing wasm-bindgen-cli $want (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. npm packages from the committed lock, when the lock changed since the last install.
stamp=node_modules/.zcrm-lock.sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  say "npm packages up to date"
else
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi

# 4. Chromium and ChromeDriver for the browser suites (Debian's; never a download).
if [ "$mode" = test ]; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    say "chromium $(chromium --version 2>/dev/null | awk '{print $2}') and chromedriver present"
  elif [ "$(id -u)" = 0 ]; then
    say "installing Debian chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  else
    echo "setup: the browser suites need Debian's chromium and chromium-driver." >&2
    echo "       Run as root: apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi
# 5. redis-server for the shared-budget suite (tests/redis start their own on a free port).
if [ "$mode" = test ]; then
  if command -v redis-server >/dev/null; then
    say "redis-server $(redis-server --version | awk '{print $3}' | sed 's/^v=//') present"
  elif [ "$(id -u)" = 0 ]; then
    say "installing Debian redis-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
  else
    echo "setup: the Redis suite needs Debian's redis-server." >&2
    echo "       Run as root: apt-get install -y redis-server" >&2
    exit 1
  fi
fi
say "done"
