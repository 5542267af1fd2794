# ijtech: `make run` serves the site on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format check migrate corpus dump bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("ijtech needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

corpus: migrate
	$(BIN)/python manage.py load_corpus

run: corpus
	@echo
	@echo "ijtech is starting at http://$(HOST)/  (admin at http://$(HOST)/admin/)"
	@echo "To sign in as an editor or reviewer, in another terminal:"
	@echo "  $(BIN)/python manage.py createsuperuser        # an administrator"
	@echo "  $(BIN)/python manage.py create_editor NAME --role editor|reviewer"
	@echo
	$(BIN)/python manage.py runserver $(HOST)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

dump: $(STAMP)
	$(BIN)/python manage.py dump_corpus

bench: corpus
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
