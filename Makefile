# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := cd example_site && ../$(BIN)/python manage.py

.PHONY: install demo test matrix bench messages clean

$(STAMP): pyproject.toml
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
	@echo "Admin:       http://127.0.0.1:8000/admin/ (admin, editor, verifier or moderator; password above)"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs against the built wheel (noxfile.py): `make test` in the main
# cell of the version matrix, `make matrix` in every cell. For a quick loop on the
# working tree: .venv/bin/python -m pytest
MAIN_CELL := tests-3.11-django5.2-wagtail8.0
# pyenv keeps the cells' interpreters side by side; let nox find all of them.
NOX := $(if $(shell command -v pyenv),PYENV_VERSION="$$(pyenv versions --bare | grep -E '^3\.1[1-9]\.[0-9]+$$' | paste -sd: -)") $(BIN)/nox

test: install
	$(NOX) -s $(MAIN_CELL) $(NOX_ARGS) -- $(PYTEST_ARGS)

matrix: install
	$(NOX) -- $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pytest -m bench tests/benchmarks -q -s -p no:randomly

# 20 readers and an editor against gunicorn and PostgreSQL on 127.0.0.1:5432 for
# 60 s; a quick run: make loadtest LOADTEST_ARGS="--duration 5"
.PHONY: loadtest
loadtest: install
	$(BIN)/python -m tests.load.run $(LOADTEST_ARGS)

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

clean:
	rm -rf $(VENV) .nox dist build site .pytest_cache example_site/demo.sqlite3 example_site/media
