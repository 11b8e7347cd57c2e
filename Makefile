# zcrm-guard. On a fresh machine, two commands:
#   make demo   - installs what is missing, builds, serves www/ on http://127.0.0.1:8080
#   make test   - installs what is missing, runs every suite
.PHONY: demo test build pack types bench soak fuzz setup clean

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

# The fault campaigns (minutes; not part of `make test`).
soak: build
	node tools/soak/soak.mjs

setup:
	bash scripts/setup.sh test

clean:
	rm -rf pkg target/consumer target/bundlers target/zcrm-guard-*.tgz

# cargo-fuzz targets, FUZZ_SECONDS each (stable Rust, no sanitizer); see the README, "Fuzzing".
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)
