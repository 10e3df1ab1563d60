# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ppid_portal.settings.production

# WeasyPrint needs Pango; fonts for the letters; gettext to compile translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY constraints.txt scripts/requirements.py ./scripts/
RUN python scripts/requirements.py > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt -c scripts/constraints.txt
COPY . .
RUN export SECRET_KEY=build ALLOWED_HOSTS=build EMAIL_URL=smtp://build PPID_SITE_URL=http://build \
 && python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv

RUN useradd --system --uid 1000 ppid && mkdir -p /app/media && chown ppid /app/media
USER ppid
EXPOSE 8000
CMD ["gunicorn", "ppid_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
