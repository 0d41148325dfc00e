# Two jobs for a fresh machine (see README): `make site` and `make test`.
# Every install step lives here, so a clean clone (and CI) needs nothing but python3.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site validate render test lint typecheck bench browser clean

CHROMIUM ?= /usr/bin/chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: the transparency site from declarations/ into public/.
site: $(STAMP)
	$(BIN)/discloser build declarations --out public

validate: $(STAMP)
	$(BIN)/discloser validate declarations

render: $(STAMP)
	$(BIN)/discloser render declarations --out build/disclosures

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here), and the
# Android tests compile the generated strings.xml with Debian's aapt. Installed when missing and
# we are root (CI is); otherwise those tests say why they cannot run.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v aapt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core aapt >/dev/null; \
	  else echo "chromium or aapt missing: run 'sudo apt-get install chromium aapt' for the browser and Android tests"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check discloser tests bench
	$(BIN)/ruff format --check discloser tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Every test: lint, types, then pytest. pytest's exit 5 (nothing collected) is a failure too:
# a suite that ran nothing has proved nothing.
test: $(STAMP) browser lint typecheck
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: $(STAMP) browser
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/prompt.py
	$(BIN)/python bench/site.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
