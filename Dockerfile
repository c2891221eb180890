# NALIRIFOX Screen: production image (gunicorn + WhiteNoise, DEBUG=0). See docs/production.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app

# The application runs as an unprivileged user; the code and static files stay owned by root (read-only).
RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app

# gettext compiles the Chinese catalogue; WenQuanYi Zen Hei is the CJK TrueType font the PDF embeds.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-wqy-zenhei \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time (the hashed, compressed names WhiteNoise serves).
# The key below exists only for this build step; the container refuses to start without a real SECRET_KEY.
RUN SECRET_KEY=collectstatic-build-step-only-never-used-at-run-time-000000 \
    python manage.py collectstatic --noinput --verbosity 0 \
 && msgfmt --check -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po \
 && chmod 0755 deploy/entrypoint.sh

USER app
EXPOSE 8000

# Migrations, then gunicorn (deploy/gunicorn.conf.py).
CMD ["deploy/entrypoint.sh"]
