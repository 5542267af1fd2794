# ijtech: `make run` serves the site on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run serve test lint format check migrate corpus dump bench bench-scale bench-search clean scale-demo

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

# The production server on this machine, DEBUG off. The key and host below are for local use
# only; a real deployment sets its own in the environment (see README, Running in production).
SERVE_ENV := DEBUG=false SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=local-serve-only-$(shell printf '%050d' 0)
serve: corpus
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "ijtech (gunicorn, DEBUG off) is starting at http://$(HOST)/"
	$(SERVE_ENV) BIND=$(HOST) $(BIN)/gunicorn -c ijtech/gunicorn.conf.py

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

dump: $(STAMP)
	$(BIN)/python manage.py dump_corpus

# Page figures in process (bench/run.py), then the side-by-side run under gunicorn and
# Datasette with wrk (bench/scale.py; SCALE_ARGS=--quick for a smoke run). See bench/README.md.
bench: corpus
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

bench-search: corpus
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# A PostgreSQL primary and streaming replica, two app servers and Redis on this machine:
# a record published through the primary shows on the public site through the replica.
# Needs root (pg_createcluster), postgresql-common and Redis (README, several machines).
scale-demo: $(STAMP)
	$(BIN)/python bench/scale_demo.py
