# The two commands: `make site` builds the site, `make test` runs the tests.
# Both set up .venv on first use; only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

export NO_MKDOCS_2_WARNING := 1

# .venv needs Python 3.11+ (mkdocs-material 9.8 does; see requires-python). Make expands a
# recipe whole before running it, so this stops make with one line before .venv is touched;
# an existing .venv is not re-checked.
python_check = $(shell $(PYTHON) -c 'import sys; print("ok" if sys.version_info >= (3, 11) else "is Python " + sys.version.split()[0])' 2>/dev/null)
need_python = $(if $(filter ok,$(python_check)),,$(error Python 3.11 or newer is needed, but $(PYTHON) $(or $(python_check),was not found): install it, or run make PYTHON=python3.11))

$(READY): pyproject.toml tests/browser/package-lock.json
	$(need_python)
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
