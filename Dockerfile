# The production image: one image for web (gunicorn), Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=strategy_tracker.settings.production

WORKDIR /app
# libmagic: evidence files are checked by their bytes. Pango (with HarfBuzz) and DejaVu
# fonts (and WenQuanYi for Chinese): WeasyPrint renders the briefing PDFs, Arabic shaped
# and right to left.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 libpango-1.0-0 \
       libpangoft2-1.0-0 fonts-dejavu-core fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 tracker
COPY pyproject.toml README.md requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY strategy_tracker ./strategy_tracker
COPY principles ./principles
COPY stakeholders ./stakeholders
COPY objectives ./objectives
RUN pip install --no-cache-dir --no-deps .
COPY manage.py ./
COPY templates ./templates
COPY fixtures ./fixtures
# collectstatic needs settings but no real secrets or database.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input -v 0
RUN mkdir -p /app/var/evidence && chown tracker /app/var/evidence
USER tracker
EXPOSE 8000
CMD ["gunicorn", "strategy_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
