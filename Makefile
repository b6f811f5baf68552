# Ashyq Baqylau: everything a fresh machine needs is installed from here.
#   make run    serve the portal with demo data on http://127.0.0.1:$(PORT)
#   make test   style checks (ruff), then the whole suite (SQLite, PostgreSQL, headless Chromium,
#               the Nu HTML Checker on every public page)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
PO     := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

.PHONY: run test lint format i18n-extract i18n-update i18n-compile i18n-init migration bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Compiled catalogs are build output, made from the .po files on demand.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel compile --statistics -i $< -o $@

i18n-compile: $(MO)

run: $(VENV)/.runtime $(MO)
	$(FLASK) init-db
	$(FLASK) demo-data --if-empty
	$(FLASK) demo-staff
	$(FLASK) search catch-up
	PORTAL_BASE_URL=http://127.0.0.1:$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Style first, so CI fails fast; then pytest.
test: $(VENV)/.dev $(MO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal tests bench
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal tests bench

format: $(VENV)/.dev
	$(BIN)/ruff format portal tests bench
	$(BIN)/ruff check --fix .

# Translation workflow: extract → update → translate the .po files → compile.
i18n-extract: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		--project "Ashyq Baqylau" --copyright-holder "Ashyq Baqylau contributors" \
		-o translations/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# Schema change: edit the models, then `make migration MESSAGE="what changed"`.
migration: $(VENV)/.runtime
	$(BIN)/alembic -c migrations/alembic.ini revision --autogenerate -m "$(MESSAGE)"

bench: $(VENV)/.dev
	$(BIN)/python bench/demo_data.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(MO)
