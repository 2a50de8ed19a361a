# jamsosdesa: `make demo` installs and serves the demo on SQLite; `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := src/jamsosdesa/static/vendor

.PHONY: demo install install-dev assets test lint bench fuzz

demo: install  ## install, create the database, load regions and demo data, serve on http://127.0.0.1:8000
	$(BIN)/jamsosdesa demo-secret-key
	$(BIN)/jamsosdesa migrate --noinput
	$(BIN)/jamsosdesa collectstatic --noinput -v0
	$(BIN)/jamsosdesa regions load
	$(BIN)/jamsosdesa demo --url http://$(HOST):$(PORT)
	$(BIN)/jamsosdesa serve $(HOST):$(PORT)

install: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PY) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

install-dev: $(VENV)/.installed-dev assets

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Third-party CSS/JS come from npm at install time (package-lock.json pins them); never copied into git. Workbox
# (the agents' field app's service worker) loads its modules from static/vendor/workbox/, never from a CDN.
assets: $(VENDOR)/.installed

# A stamp, not one of the files: a vendor folder missing any of them (workbox/ deleted) is fetched again.
$(VENDOR)/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --silent && mkdir -p $(VENDOR) && \
	  cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/ && \
	  cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/ && \
	  mkdir -p $(VENDOR)/workbox && \
	  cp node_modules/workbox-sw/build/workbox-sw.js node_modules/workbox-*/build/workbox-*.prod.js \
	     $(VENDOR)/workbox/ && touch $(VENDOR)/.installed ; \
	else echo "npm not found: pages work, but without htmx, Pico and the field app's Workbox"; fi

test: install-dev  ## the whole suite on the database in DATABASE_URL (default: SQLite)
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

fuzz: install-dev  ## schemathesis over the API as the national admin and a village operator, on the demo data
	$(BIN)/python tests/fuzz/run_schemathesis.py

bench: install-dev
	$(BIN)/python bench/registry.py
