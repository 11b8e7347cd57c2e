# zcrm-guard. On a fresh machine, two commands:
#   make demo   - installs what is missing, builds, serves www/ on http://127.0.0.1:8080
#   make test   - installs what is missing, runs every suite
.PHONY: demo test build pack types bench soak soak-quick soak-editions fuzz setup clean

PORT ?= 8080

demo: build
	node scripts/serve.mjs $(PORT)

test:
	bash scripts/setup.sh test
	bash scripts/test.sh

build:
	bash scripts/setup.sh build
	bash scripts/build.sh

# The installable tarball, target/zcrm-guard-<version>.tgz: builds, packs, prints its path.
pack: build
	@bash scripts/pack.sh

# Regenerates pkg-template/types/generated/ from the Rust types (see scripts/gen-types.sh).
types:
	bash scripts/gen-types.sh

bench: build
	bash scripts/bench.sh

# Issue 14's acceptance matrix: insert (uniqueness on/off), upsert, update at 30% and 50%
# transient faults with 2 s tokens, then a 3-minute job with 5 s tokens (minutes; not part of
# `make test`). soak-quick: smaller, without the 3-minute job. soak-editions: issue 9's
# campaigns per edition (tools/soak/soak.mjs).
soak: build
	node tools/soak/matrix.mjs

soak-quick: build
	node tools/soak/matrix.mjs --records 1000 --latency 300 --no-long --watchdog 60000

soak-editions: build
	node tools/soak/soak.mjs

setup:
	bash scripts/setup.sh test

clean:
	rm -rf pkg target/consumer target/bundlers target/zcrm-guard-*.tgz

# cargo-fuzz targets, FUZZ_SECONDS each (stable Rust, no sanitizer); see the README, "Fuzzing".
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)
