#!/usr/bin/env bash
# Packs pkg/ into the installable tarball target/zcrm-guard-<version>.tgz (what
# `npm publish` would upload) and prints its path. `make pack` builds first; the
# package tests install this tarball, never pkg/ itself.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f pkg/package.json ] || { echo "pkg/ is missing: run make build first" >&2; exit 1; }
mkdir -p target
rm -f target/zcrm-guard-*.tgz
root=$PWD
tarball=$(cd target && npm pack --silent "$root/pkg" | tail -1)
echo "target/$tarball"
