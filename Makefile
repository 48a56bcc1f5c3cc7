# Spojka: `make demo` serves the demo territory, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test bench load lint assets venv dev-venv browser clean messages guides

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

# Leaflet, htmx and axe-core come from npm at install time; nothing is vendored.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

demo: venv assets
	mkdir -p var
	$(PY) manage.py migrate --no-input

	SPOJKA_REQUIRE_2FA=0 $(PY) manage.py load_demo
	@echo ""
	@echo "  Spojka běží na http://$(HOST):$(PORT)/  (Ctrl+C ukončí)"
	@echo ""
	@echo "  (dvoufázové ověření je v ukázce vypnuté: SPOJKA_REQUIRE_2FA=0)"
	SPOJKA_REQUIRE_2FA=0 $(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium; as root we install it, otherwise they skip loudly.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "!!! chromium is missing and we are not root: browser tests will be SKIPPED !!!"; \
	  fi; \
	fi

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: dev-venv assets browser lint

	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest

# Every benchmark, in this order: search, hsds, referrals, mpsv, monitoring, load (the load
# and fault test last, 8-12 min); figures into bench/results.json, see bench/README.md and
# docs/performance.md. One part: .venv/bin/python bench/run.py --only PART.
bench: dev-venv assets
	$(PY) bench/run.py

# The load and fault test alone (locust against gunicorn on SQLite and PostgreSQL).
load: dev-venv assets
	$(PY) bench/run.py --only load

messages: dev-venv
	$(PY) manage.py makemessages -l cs -l en --no-location --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3

# Screenshots of the role guides (docs/guide-*.md), taken from the demo with Playwright.
guides: dev-venv assets browser
	@if [ ! -e /usr/lib/chromium/locales/cs.pak ] && [ "$$(id -u)" = "0" ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-l10n >/dev/null; \
	fi
	$(PY) docs/screenshots.py
