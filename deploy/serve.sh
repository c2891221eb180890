#!/usr/bin/env bash
# `make serve`: the production configuration (DEBUG=0, gunicorn + WhiteNoise, collectstatic, migrate)
# on this machine, against PostgreSQL. See docs/production.md.
#
#   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/nalirifox (the database is created if missing)
#   SECRET_KEY    default: read from SECRET_KEY_FILE (.secret_key), generated there once if absent
#   HOST, PORT    default 127.0.0.1 and 8000
#   SECURE_SSL_REDIRECT  default 0 here (plain http on this machine; TLS belongs to the proxy in front)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

export DEBUG=0
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nalirifox}
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}

if [ -z "${SECRET_KEY:-}" ]; then
  key_file=${SECRET_KEY_FILE:-.secret_key}
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$key_file")
    echo "serve: generated a new SECRET_KEY in $key_file (git-ignored; keep it: it signs sessions)" >&2
  fi
  SECRET_KEY=$(cat "$key_file")
  export SECRET_KEY
fi

"$PY" deploy/ensure_database.py
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput --verbosity 1
echo "serve: http://$HOST:$PORT/ (DEBUG=0, gunicorn; Ctrl-C stops)" >&2
exec "$GUNICORN" --config deploy/gunicorn.conf.py nalirifox_screen.wsgi:application
