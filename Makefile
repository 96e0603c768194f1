# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := cd example_site && ../$(BIN)/python manage.py

.PHONY: install demo test matrix screenshots bench messages boundaries clean lint

# The Python the package supports (pyproject.toml's requires-python), as a test
# an interpreter passes by exiting 0.
SUPPORTED := import sys; sys.exit(sys.version_info < (3, 11))
# A venv that a failed install left behind (a Python too old in it, or no pip)
# would fail the same way on every run: while its Python does not work, the
# stamp is out of date whatever its date, and the recipe makes the venv afresh.
ifneq ($(shell $(BIN)/python -c 'import pip; $(SUPPORTED)' 2>/dev/null && echo works),works)
.PHONY: $(STAMP)
endif

$(STAMP): pyproject.toml
	@$(PYTHON) -c '$(SUPPORTED)' 2>/dev/null || { \
		version=$$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null) || version=; \
		echo "PYTHON=$(PYTHON) is $${version:+Python }$${version:-not a Python that runs here}: wagtail-evidence needs Python 3.11 or later." >&2; \
		echo "Name one that is, for instance: make install PYTHON=python3.11" >&2; \
		exit 1; }
	@if [ -e $(VENV) ] && ! $(BIN)/python -c 'import pip; $(SUPPORTED)' 2>/dev/null; then \
		if [ ! -f $(VENV)/pyvenv.cfg ]; then \
			echo "$(VENV) is not a virtual environment: move it away, or name another folder with VENV=..." >&2; \
			exit 1; \
		fi; \
		echo "$(VENV) has no working Python 3.11 or later with pip (a failed install, or its Python removed since): making it afresh."; \
		rm -rf $(VENV); \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[testing]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo $(if $(PASSWORD),--password "$(PASSWORD)")
	$(MANAGE) load_demo_translations
	@echo
	@echo "Reader page: http://127.0.0.1:8000/syrian-fighters-nagorno-karabakh/ (in French and Arabic: printed above)"
	@echo "Admin:       http://127.0.0.1:8000/admin/ (how to sign in: printed above)"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# The demo's background tasks on an RQ worker, with Redis on 127.0.0.1:6379:
# `TASKS_BACKEND=rq make demo` in one terminal, `make worker` in another
# (docs/how-to/running-at-scale.md).
.PHONY: worker
worker: install
	cd example_site && TASKS_BACKEND=rq ../$(BIN)/python manage.py rqworker --with-scheduler

# The suite runs against the built wheel (noxfile.py): `make test` in the main
# cell of the version matrix, `make matrix` in every cell; each cell runs the suite
# on its own site (tests/testapp), then the demo's tests (tests/demo) on the demo's
# settings. For a quick loop on the working tree:
#   .venv/bin/python -m pytest
#   .venv/bin/python -m pytest --ds tests.demo.settings tests/demo
MAIN_CELL := tests-3.11-django5.2-wagtail8.0
# pyenv keeps the cells' interpreters side by side; let nox find all of them.
NOX := $(if $(shell command -v pyenv),PYENV_VERSION="$$(pyenv versions --bare | grep -E '^3\.1[1-9]\.[0-9]+$$' | paste -sd: -)") $(BIN)/nox

test: install
	$(NOX) -s $(MAIN_CELL) $(NOX_ARGS) -- $(PYTEST_ARGS)

matrix: install
	$(NOX) $(NOX_ARGS) -- $(PYTEST_ARGS)

# The docs' pictures (docs/screenshots/*.png), taken afresh by the browser tests
# marked `screenshots` in the main cell. Other runs save theirs in
# build/screenshots, which git ignores, so `make test` leaves docs/ as it was.
screenshots: install
	WAGTAIL_EVIDENCE_SCREENSHOTS=docs/screenshots $(NOX) -s $(MAIN_CELL) $(NOX_ARGS) -- -m screenshots tests/demo/browser $(PYTEST_ARGS)

# Style, as CI checks it: ruff's lint rules and its formatter (pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m pytest -m bench tests/benchmarks -q -s -p no:randomly

# 20 readers, an editor and the desk for 60 s against 2 gunicorn processes, the
# render cache in Redis (127.0.0.1:6379), an RQ worker and PostgreSQL
# (127.0.0.1:5432); a quick run: make loadtest LOADTEST_ARGS="--duration 10"
.PHONY: loadtest
loadtest: install
	$(BIN)/python -m tests.demo.load.run $(LOADTEST_ARGS)

# The documentation site (mkdocs.yml): `make docs` serves it on 127.0.0.1:8001 and
# rebuilds on every change; `make docs-build` builds site/ with --strict, as CI does.
DOCS_STAMP := $(VENV)/.docs-stamp
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs

$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

.PHONY: docs docs-build
docs: $(DOCS_STAMP)
	$(MKDOCS) serve --dev-addr 127.0.0.1:8001

docs-build: $(DOCS_STAMP)
	$(MKDOCS) build --strict

messages: install
	cd wagtail_evidence && ../$(BIN)/django-admin makemessages --all --no-obsolete && ../$(BIN)/django-admin compilemessages

# The locator map's country outlines, rebuilt from world-atlas (Natural Earth) via npm.
boundaries:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent world-atlas@2.0.2 >/dev/null && tar -xzf world-atlas-*.tgz) && \
	$(PYTHON) -m wagtail_evidence.geo.prepare "$$tmp/package/countries-50m.json" wagtail_evidence/geo/data/countries.json

clean:
	rm -rf $(VENV) .nox dist build site .pytest_cache example_site/demo.sqlite3 example_site/media
