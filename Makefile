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

.PHONY: install validate build serve test test-snel system clean deploy bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[test,bench]'
	@touch $(STAMP)

install: $(STAMP)

validate: install
	$(BIN)/kompas valideer

build: install
	@./scripts/ensure-system.sh runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/kompas bouw

# NO_MKDOCS_2_WARNING=1: Material 9.8 prints its end-of-life notice (May 5, 2027) on every start;
# what that means for Kompas is in the README ("Onderhoud van de site-engine").
# mkdocs serve validates and builds strictly in a folder of its own (site/ is not touched and no
# lock is taken), so it may run beside `kompas bouw` or `make deploy`.
serve: export KOMPAS_HOST = $(value HOST)
serve: install
	@./scripts/ensure-system.sh runtime
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr "$$KOMPAS_HOST"

system:
	@./scripts/ensure-system.sh

# axe-core for the accessibility test, pinned in tests/a11y/package-lock.json.
A11Y = tests/a11y/node_modules/.package-lock.json
$(A11Y): tests/a11y/package.json tests/a11y/package-lock.json
	cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error

# The fast tier (tests/unit/: no site build, no browser, no PDF), what a developer runs while working.
test-snel: install
	$(BIN)/python -m pytest -q tests/unit

# Everything: every tier (docs/testing.md).
test: install system $(A11Y)
	$(BIN)/python -m pytest

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
