# Two commands set up a new machine and do the work (see README):
#   make site   - install everything, build the site into site/
#   make test   - install everything plus test tools, run the whole suite
# Every step is idempotent: a second run installs nothing.

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PIP   := $(PY) -m pip
# Debian packages: Chromium for browser tests, poppler/zbar to read back PDFs
# and QR codes, fonts with full Vietnamese coverage, HarfBuzz subsetting
# (WeasyPrint is 2.4x faster with it).
APT_PACKAGES := chromium poppler-utils zbar-tools fonts-noto-core fonts-dejavu-core fonts-liberation2 \
	libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Reproducible builds: dates in the output come from the last commit, not the clock.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: site test serve bench roundtrip check lint clean system python node dist

site: system python node
	$(VENV)/bin/lienthong build

serve: system python node
	$(VENV)/bin/mkdocs serve

check: python
	$(VENV)/bin/lienthong check --strict

test: system python node $(VENV)/.test-stamp
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/ruff format --check generator tests
	$(VENV)/bin/lienthong check --strict
	$(PY) -m pytest

bench: dist
	$(PY) -m lienthong.bench

# The record codes on paper: 1,000 records a group printed, rasterised at 150 dpi, read by zbar.
roundtrip: system python node $(VENV)/.test-stamp
	$(PY) -m lienthong.bench.recordcode 1000

# The sdist and wheel, with the browser code prebuilt so that publishers need no Node.
dist: system python node $(VENV)/.test-stamp
	rm -rf dist
	$(PY) -m lienthong.offline.prebuild prebuilt
	$(PY) -m build --outdir dist .

lint: $(VENV)/.test-stamp
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/ruff format --check generator tests

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

python: $(VENV)/.stamp

$(VENV)/.stamp: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PIP) install -q -c requirements.lock -e .
	touch $@

$(VENV)/.test-stamp: $(VENV)/.stamp
	$(PIP) install -q -c requirements.lock -e '.[test]'
	touch $@

node: node_modules/.stamp

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .site-build-* .pytest_cache prebuilt dist build
