# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := cd example_site && ../$(BIN)/python manage.py

.PHONY: install demo test bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[testing]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo $(if $(PASSWORD),--password "$(PASSWORD)")
	@echo
	@echo "Reader page: http://127.0.0.1:8000/syrian-fighters-nagorno-karabakh/"
	@echo "Admin:       http://127.0.0.1:8000/admin/ (admin, editor, verifier or moderator; password above)"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pytest -m bench tests/benchmarks -q -s -p no:randomly

messages: install
	cd wagtail_evidence && ../$(BIN)/django-admin makemessages --all --no-obsolete && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) dist build .pytest_cache example_site/demo.sqlite3 example_site/media
