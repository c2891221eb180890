# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test serve audit chromium bench validation clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

# Development settings are asked for explicitly: without DEBUG=1 the settings are production's.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Each run also records its results in validation/runs/<database engine>.json for `make validation`.
test: install chromium
	$(BIN)/pytest --requirements-runs=validation/runs

# Validation evidence (docs/validation/README.md): traceability matrix and test report in validation/,
# from the runs `make test` recorded on SQLite and PostgreSQL (each is run here only if it is absent).
VALIDATION_PG_URL ?= postgres://postgres@127.0.0.1:5432/nalirifox
validation/runs/sqlite.json:
	env -u DATABASE_URL $(MAKE) test
validation/runs/postgresql.json:
	DATABASE_URL=$(VALIDATION_PG_URL) $(MAKE) test
validation: install validation/runs/sqlite.json validation/runs/postgresql.json
	$(BIN)/python -m tests.traceability.matrix --engines sqlite,postgresql

# Production configuration on this machine: DEBUG=0, gunicorn + WhiteNoise, collectstatic, migrate,
# against PostgreSQL (DATABASE_URL; the database is created if missing). See docs/production.md.
serve: install
	PORT=$(PORT) bash deploy/serve.sh

# Security checks (CI): bandit high-severity findings and pip-audit known vulnerabilities fail.
audit: install
	$(BIN)/python deploy/audit.py

# Browser tests drive Debian's Chromium; install it when absent (needs root, as on CI).
chromium:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# Figures, not assertions; bench/load.py needs `make serve` running (see docs/production.md).
bench: install
	DEBUG=1 $(BIN)/python bench/engine.py
	DEBUG=1 $(BIN)/python bench/pages.py
	DEBUG=1 $(BIN)/python bench/exports.py
	$(BIN)/python bench/keystrokes.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 validation
