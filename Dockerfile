# Production image: gunicorn for the web; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=ppid_portal.settings.production \
    HOME=/home/ppid XDG_CACHE_HOME=/home/ppid/.cache

# WeasyPrint (letters, receipts, reports) needs Pango and HarfBuzz's subsetter; DejaVu and Liberation are the
# letters' fonts; gettext compiles the English translation.
# OCR of scanned documents: Debian's OCRmyPDF (its own system Python and Ghostscript) with Tesseract, Indonesian + English.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      libfontconfig1 shared-mime-info fonts-dejavu-core fonts-liberation gettext \
      tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng ocrmypdf \
 && rm -rf /var/lib/apt/lists/*

# The runtime user has a home: fontconfig and WeasyPrint keep their caches under $HOME/.cache.
RUN useradd --create-home --home-dir /home/ppid --uid 1000 --user-group --shell /usr/sbin/nologin ppid

WORKDIR /app
COPY pyproject.toml ./
COPY constraints.txt scripts/requirements.py ./scripts/
# PPID_EXTRAS=sentry installs the optional error reporting (sentry-sdk); errors go to Sentry when SENTRY_DSN is set.
ARG PPID_EXTRAS=sentry
RUN python scripts/requirements.py ${PPID_EXTRAS:+--extra $PPID_EXTRAS} > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt -c scripts/constraints.txt
# .dockerignore keeps .env, the virtualenv, media and local databases out of the image.
COPY . .
RUN test ! -e .env \
 && SECRET_KEY=build ALLOWED_HOSTS=build EMAIL_URL=smtp://build PPID_SITE_URL=http://build \
    python manage.py collectstatic --noinput --verbosity 0 \
 && python manage.py compilemessages --ignore=.venv >/dev/null \
 && mkdir -p /app/media && chown ppid:ppid /app/media /app/staticfiles

USER ppid
EXPOSE 8000
# Workers, timeouts and logging: ppid_portal/gunicorn_conf.py (WEB_CONCURRENCY sets the worker count).
CMD ["gunicorn", "--config", "python:ppid_portal.gunicorn_conf", "ppid_portal.wsgi:application"]
