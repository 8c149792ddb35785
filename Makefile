# Settle: every target installs what it needs on a fresh Debian machine with the Swift toolchain.
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev zlib1g-dev libsqlite3-dev pkg-config
RELEASE_BIN := .build/release/settle

.PHONY: deps build test demo format lint clean

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

# Rates and conversions, then two consecutive months settled and paid through the ledger
# (out/demo/settle.db): see Scripts/demo.sh.
demo: build
	SETTLE=$(RELEASE_BIN) Scripts/demo.sh

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build out

# The benchmarks (Benchmarks/, a package of its own, release builds): one catalog of workloads,
# measured by package-benchmark (wall-clock percentiles, allocations, peak memory) and by the guard
# (instructions and allocations per iteration under valgrind, throughput as a ratio to a reference
# timed in the same run), whose table gives each figure, its committed threshold and a verdict.
# `bench` runs everything, headline runs (10 M orders) included: about 15 minutes once built.
# `bench-check` runs the guard set and exits non-zero naming the benchmark and both figures when
# one passes its threshold: about 5 minutes once built. `bench-update` rewrites the thresholds
# (Benchmarks/Guard/thresholds.json) after an intended change; `git diff` shows what moved.
.PHONY: bench bench-check bench-update bench-build bench-deps
bench-deps: deps
	@command -v valgrind >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq valgrind; }

bench-build: bench-deps
	cd Benchmarks && $(SWIFT) build -c release --product settle-guard

bench: bench-build
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark --target SettleBenchmarks --no-progress
	Benchmarks/guard.py all

bench-check: bench-build
	Benchmarks/guard.py check

bench-update: bench-build
	Benchmarks/guard.py update

# Settles the same generated month (ROWS orders, default 10,000,000) with Settle's release build
# and with the equivalent DuckDB query, and prints both wall times and peak RSS, their ratio, and
# whether the totals per affiliate and market agree. DuckDB comes from PyPI into a throw-away
# virtual environment under /tmp. See Benchmarks/README.md.
.PHONY: compare
ROWS ?= 10000000
compare: deps
	Benchmarks/compare/settlement-vs-duckdb.sh $(ROWS)

# Converts the same seeded sample (ROWS conversions, default 1,000,000: the 10,000,000 above applies
# only to `compare`) with Python's CurrencyConverter (floats, and decimal=True), Foundation.Decimal
# and Settle's `convert --batch`, and prints each one's wall time, peak RSS, conversions/s and ratio
# to Settle, and how many results agree to the minor unit with an exact decimal reference.
# CurrencyConverter comes from PyPI into a throw-away virtual environment under /tmp.
.PHONY: compare-conversion
compare-conversion: deps
	Benchmarks/compare/conversion-vs-currencyconverter.sh $(if $(filter file,$(origin ROWS)),1000000,$(ROWS))

# Load-tests the preview server: a ledger of 3,000 affiliates × 12 months, `settle serve`, and
# wrk asking for random affiliates' earnings for 20 s (2 threads, 32 connections), three times:
# answers computed (the answer cache off), then a first and a second pass with the cache; prints
# requests/s, p50 and p99 latency of each. SCRATCH sets the build directory. See
# Benchmarks/load/earnings.sh.
.PHONY: load
load: deps
	Benchmarks/load/earnings.sh

# Fuzzes every parser of outside input with libFuzzer and the address sanitizer (Fuzz/, a package
# of its own): decimals and amounts, timestamps, CSV, orders files through a whole settlement,
# affiliates files, program files, ECB XML, IBANs, BICs and e-mail addresses. Each target runs
# FUZZ_SECONDS (default 60) from its committed corpus (Fuzz/Corpus/) into a scratch corpus under
# /tmp/settle-fuzz, and the run fails on any crash, trap or broken invariant, keeping the input.
# About 9 minutes once built; the first build takes several. See Fuzz/README.md.
.PHONY: fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

# Cross-checks against independent implementations, which `make test` runs too with the other Swift tests:
# conversions against Python's decimal module (python3 is required, the run fails without it), and IBANs against
# python-stdnum, installed from PyPI into a throw-away virtual environment (/tmp/settle-crosscheck-venv) by
# Tests/CrossCheck/stdnum-venv.sh on first use. Prints how many cases agreed and each explained disagreement.
.PHONY: crosscheck
crosscheck: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter CrossCheck
