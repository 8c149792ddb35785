# Settle: every target installs what it needs on a fresh Debian machine with the Swift toolchain.
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev zlib1g-dev libsqlite3-dev pkg-config
RELEASE_BIN := .build/release/settle
DEMO_DIR := out/demo

.PHONY: deps build test demo format lint bench clean

# Installs the missing system packages (the -dev packages the C border links against).
deps:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product settle

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	@echo "== ECB rates, latest publication in the bundled store (rates/)"
	$(RELEASE_BIN) rates show | head -8
	@echo "== converting a few amounts exactly"
	$(RELEASE_BIN) convert 123.45 USD JPY --date 2026-10-04 --explain
	$(RELEASE_BIN) convert 1000 JPY EUR --date 2026-10-30
	$(RELEASE_BIN) convert -12.50 GBP ISK --date 2026-10-30 --rounding floor
	$(RELEASE_BIN) convert 250 CYP EUR --date 2007-12-31
	@echo "== settling a generated month of orders under the Alibaba.com program"
	mkdir -p $(DEMO_DIR)
	$(RELEASE_BIN) generate orders --count 200000 --seed 2026 --period 2026-10 > $(DEMO_DIR)/orders-2026-10.csv
	$(RELEASE_BIN) commissions --orders $(DEMO_DIR)/orders-2026-10.csv --period 2026-10 --out $(DEMO_DIR)
	@echo "== the first lines of $(DEMO_DIR)/commissions.csv"
	head -6 $(DEMO_DIR)/commissions.csv
	@echo "== outcomes (see $(DEMO_DIR)/orders.csv for every row and $(DEMO_DIR)/summary.json)"
	grep -E '"(input_rows|outcomes|totals)"' $(DEMO_DIR)/summary.json
	@echo "== paying the month: Payoneer, Wise and ISO 20022 pain.001 files for samples/affiliates.csv"
	$(RELEASE_BIN) payouts --orders $(DEMO_DIR)/orders-2026-10.csv --affiliates samples/affiliates.csv \
	  --payer samples/payer.yaml --period 2026-10 --created-at 2026-11-02T09:00:00Z --out $(DEMO_DIR)
	@echo "== the held payouts and why (the rest are ready: see $(DEMO_DIR)/payouts.csv)"
	grep ',held,' $(DEMO_DIR)/payouts.csv
	@echo "== the wire file checked against the ISO 20022 schema in schemas/, then the manifest"
	$(RELEASE_BIN) payouts validate $(DEMO_DIR)/wire.xml --schema schemas/pain.001.001.09.xsd
	cat $(DEMO_DIR)/manifest.json

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build out

# Runs the benchmark suite (Benchmarks/, a package of its own, built in release mode by the
# package-benchmark plugin) and prints one table per benchmark: about 30 s once built, several
# minutes for the first build. Benchmarks/README.md tells how to check the committed thresholds.
bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark --no-progress

# Settles the same generated month (ROWS orders, default 10,000,000) with Settle's release build
# and with the equivalent DuckDB query, and prints both wall times and peak RSS, their ratio, and
# whether the totals per affiliate and market agree. DuckDB comes from PyPI into a throw-away
# virtual environment under /tmp. See Benchmarks/README.md.
.PHONY: compare
ROWS ?= 10000000
compare: deps
	Benchmarks/compare/settlement-vs-duckdb.sh $(ROWS)
