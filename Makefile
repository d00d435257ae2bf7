# toldsystem — everything installs into .venv; `make run` serves on http://127.0.0.1:8000.
PY ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test migrate demo bench clean translations

$(UV):
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV)
	$(UV) sync --locked --inexact --quiet

migrate: install
	mkdir -p var
	$(VENV)/bin/told db upgrade

demo: migrate
	$(VENV)/bin/told demo load

# Plain http on one's own machine: the session cookie goes without Secure there (docs/api.md, "Web sessions").
run: demo
	TOLD_INSECURE_COOKIES=$${TOLD_INSECURE_COOKIES-1} $(VENV)/bin/told serve --host $(HOST) --port $(PORT)

# Debian tools the tests use: pdftoppm renders the TAD to check it is black on white; chromium is the browser
# Playwright drives to check the status page and the portal (it never downloads one); npm installs axe-core, the
# accessibility check the portal's browser tests run (package-lock.json, into node_modules/).
system-deps: node_modules/axe-core/axe.min.js
	@command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm >/dev/null)
	npm ci --silent --no-audit --no-fund
	@touch $@

# A room's portal texts into its catalogues (docs/portal.md): make translations ROOM=access
translations: install
	$(VENV)/bin/python tools/translations.py $(ROOM)

test: install system-deps
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

# The transit bench measures HTTP with wrk (Debian package); without it, a Python client halves the figure.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(VENV)/bin/python bench/guarantees.py
	$(VENV)/bin/python bench/transit.py
	$(VENV)/bin/python bench/operations.py
	$(VENV)/bin/python bench/gateway.py
	$(VENV)/bin/python bench/portal.py

clean:
	rm -rf $(VENV) var .pytest_cache
