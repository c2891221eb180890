# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

PO := locale/zh_Hans/LC_MESSAGES/django.po
MO := locale/zh_Hans/LC_MESSAGES/django.mo

.PHONY: install run test serve audit chromium gettext cjk-font messages bench validation clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed $(MO)

# The Chinese catalogue is committed as .po; its compiled .mo is built here (git-ignored).
$(MO): $(PO) | gettext
	msgfmt --check --output-file=$@ $<

# Update the catalogue after changing or adding user-facing strings (then translate the new entries).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-location --no-obsolete \
		--ignore 'tests/*' --ignore 'bench/*' --ignore 'deploy/*' --ignore 'staticfiles/*'
	sed -i '/^"POT-Creation-Date: /d' $(PO)  # no merge conflicts over timestamps

gettext:
	@command -v msgfmt >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; }

# The PDF embeds a CJK TrueType font (ReportLab cannot use the CFF outlines of Noto CJK).
cjk-font:
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-zenhei; }

# Development settings are asked for explicitly: without DEBUG=1 the settings are production's.
run: install cjk-font
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Each run also records its results in validation/runs/<database engine>.json for `make validation`.
test: install chromium cjk-font
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
serve: install cjk-font
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
	rm -rf $(VENV) staticfiles db.sqlite3 validation $(MO)
