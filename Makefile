# The two commands: `make site` builds the site, `make test` runs the tests.
# Both set up .venv on first use; only Python 3.10+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

export NO_MKDOCS_2_WARNING := 1

$(READY): pyproject.toml tests/browser/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# The accessibility engine the browser tests inject (skipped where npm is missing).
	if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --silent; fi
	touch $(READY)

site: $(READY)  ## validate, generate and build the site into site/
	$(BIN)/findings build

serve: $(READY)  ## preview with live reload on http://127.0.0.1:8000/findings/
	$(BIN)/findings serve

test: $(READY)  ## run the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-* $(VENV)

.PHONY: site serve test clean
