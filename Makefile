# Kompas: de twee opdrachten die ertoe doen zijn `make serve` en `make test`; tijdens het werk `make test-snel`.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000
# What a person types after `make` (VERSION, ALIAS, HOST) is text for the program, never make or shell
# code: kept as typed ($(value ...) expands no make function in it, := keeps it from being expanded
# later, also when make puts it in the environment), and handed over through the environment, named
# only inside double quotes in a recipe, so the shell never runs a quote, $(...) or backtick in it.
override VERSION := $(value VERSION)
override ALIAS := $(value ALIAS)
override HOST := $(value HOST)

.PHONY: install validate build serve lint test test-snel test-properdocs system clean deploy bench redactie inhoud

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[test,bench]'
	@touch $(STAMP)

install: $(STAMP)

validate: install
	$(BIN)/kompas valideer

# UITGEBREID=1: also every line of the site engine as it comes (English), see docs/weigeringen.md.
build: install
	@./scripts/ensure-system.sh runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/kompas bouw $(if $(UITGEBREID),--uitgebreid)

# NO_MKDOCS_2_WARNING=1: Material 9.8 prints its end-of-life notice (May 5, 2027) on every start;
# what that means for Kompas is in docs/engine.md.
# mkdocs serve validates and builds strictly in a folder of its own (site/ is not touched and no
# lock is taken), so it may run beside `kompas bouw` or `make deploy`.
serve: export KOMPAS_HOST = $(value HOST)
serve: install
	@./scripts/ensure-system.sh runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr "$$KOMPAS_HOST"

system:
	@./scripts/ensure-system.sh

# The browser editor against this working copy (docs/redactie.md): builds the site with the editor,
# installs decap-server in redactie/ on first use (npm ci: the only command that needs Node) and
# serves both on 127.0.0.1. Saving in the editor writes the files here. Stop with Ctrl-C.
REDACTIE_POORT ?= 8100
redactie: install
	@./scripts/ensure-system.sh runtime
	@NO_MKDOCS_2_WARNING=1 $(BIN)/kompas redactie --poort $(REDACTIE_POORT)

# The check of a change request that touches only content (docs/inhoud-controle.md): the whole
# validation with the cross-file checks, reported for editors (each problem names the item by its
# title, the field and file:line), the tests that pin the starter content, and the strict build
# without card decks, draaiboeken and handouts (its link check included). Both pipelines run it
# instead of `make test` when only content changed (scripts/alleen_inhoud.py decides).
INHOUD_TESTS = tests/unit/content/test_starter_content.py tests/unit/content/test_content_fidelity.py \
               tests/unit/content/test_brontrouw.py
inhoud: install
	@./scripts/ensure-system.sh runtime
	$(BIN)/kompas valideer --formaat redacteur
	$(BIN)/python -m pytest -q -p no:cacheprovider $(INHOUD_TESTS)
	NO_MKDOCS_2_WARNING=1 $(BIN)/kompas bouw --zonder-kaarten

# axe-core for the accessibility test, pinned in tests/a11y/package-lock.json.
A11Y = tests/a11y/node_modules/.package-lock.json
$(A11Y): tests/a11y/package.json tests/a11y/package-lock.json
	cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error

# decap-server for the browser editor's end-to-end test (tests/browser/test_redactie.py), pinned in
# redactie/package-lock.json; `make redactie` installs it the same way on first use.
REDACTIE_NODE = redactie/node_modules/.package-lock.json
$(REDACTIE_NODE): redactie/package.json redactie/package-lock.json
	cd redactie && npm ci --omit=dev --no-audit --no-fund --loglevel=error

# The tests run in TEST_WORKERS processes (pytest-xdist; a test file stays in one process, so its
# module fixtures are made once). 2 fits the CI machine (two cores); TEST_WORKERS=0 runs them in this
# process (for a debugger).
TEST_WORKERS ?= 2
PYTEST = $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The fast tier (tests/unit/: no site build, no browser, no PDF), what a developer runs while working.
test-snel: install
	$(PYTEST) -q tests/unit

# The code itself: ruff (lint and format, configured in pyproject.toml) and mypy (strict on
# macros/content and macros/store). The layer contracts run in the fast tier (tests/unit/test_architecture.py).
lint: install
	$(BIN)/ruff check macros bench scripts tests
	$(BIN)/ruff format --check macros bench scripts tests
	$(BIN)/mypy

# Everything: the lint, then every tier (docs/testing.md).
test: install system $(A11Y) $(REDACTIE_NODE) lint
	$(PYTEST) --durations=15

# The way out of Material's end of life (docs/engine.md): ProperDocs, the continuation of MkDocs 1.6.1,
# in a virtual environment of its own (the main .venv keeps MkDocs). The starter site is built through the
# engine seam (macros/site/engine.py) with KOMPAS_ENGINE=properdocs, checked to be ProperDocs' work (the
# generator of its pages), and the site tier runs against it (tests/site/test_engine.py asserts the engine).
PD_VENV    ?= .venv-properdocs
PD_STAMP    = $(PD_VENV)/.installed-stamp
PROPERDOCS ?= properdocs==1.6.7

$(PD_STAMP): pyproject.toml
	@test -x $(PD_VENV)/bin/python || $(PYTHON) -m venv $(PD_VENV)
	@$(PD_VENV)/bin/python -m pip install -q --upgrade pip
	@$(PD_VENV)/bin/python -m pip install -q -e '.[test,bench]' '$(PROPERDOCS)'
	@touch $(PD_STAMP)

test-properdocs: $(PD_STAMP) system
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && \
	  KOMPAS_ENGINE=properdocs KOMPAS_CACHE_DIR="$$work/cache" $(PD_VENV)/bin/kompas bouw --uit "$$work/site" && \
	  grep -q '<meta name="generator" content="mkdocs-ProperDocs ' "$$work/site/index.html" && \
	  echo "De startsite is gebouwd met $$(grep -o 'mkdocs-ProperDocs [0-9.]*' "$$work/site/index.html" | sed 's/mkdocs-//')."
	KOMPAS_ENGINE=properdocs $(PD_VENV)/bin/python -m pytest -q tests/site -m "not browser"

# Benchmark (issue 9): synthetic corpora at 1x, 10x and 100x against the peers; writes
# bench/results.json and bench/RESULTS.md. Takes a while: the 100x builds take minutes.
bench: install system
	$(BIN)/python bench/run.py

# The build lock is not in .cache/ (it is a lock on the project folder itself, macros/store/lock.py):
# make clean during a build or release does not let a second one start beside it.
clean:
	rm -rf site .pytest_cache .cache

# Release: make deploy VERSION=1.2 [ALIAS=latest]. `kompas publiceer` lets mike build strictly
# (the same validation, link check and search index as make build) into a temporary folder and
# commit that version to a scratch branch; gh-pages moves to it in one step only when everything
# succeeded, so an interrupted release leaves gh-pages unchanged. Holds the project's build lock.
# Never pushes.
# VERSION and ALIAS reach the program untouched as KOMPAS_VERSIE and KOMPAS_ALIAS (see the top of this
# file); kompas refuses a name that is not a version before anything runs (docs/dreigingsmodel.md).
deploy: export KOMPAS_VERSIE = $(value VERSION)
deploy: export KOMPAS_ALIAS = $(value ALIAS)
deploy: install
	@test -n "$$KOMPAS_VERSIE" || { echo "Gebruik: make deploy VERSION=<versie> [ALIAS=latest]" >&2; exit 2; }
	$(BIN)/kompas publiceer $${KOMPAS_ALIAS:+--alias="$$KOMPAS_ALIAS"} -- "$$KOMPAS_VERSIE"
