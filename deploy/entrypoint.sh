#!/bin/sh
# Container start: apply migrations, then hand the process over to gunicorn (static files were
# collected when the image was built; WhiteNoise serves them).
set -eu
python manage.py migrate --noinput
exec gunicorn --config deploy/gunicorn.conf.py nalirifox_screen.wsgi:application
