# Production image: gunicorn serves the app, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false \
    STATIC_ROOT=/app/var/staticfiles MEDIA_ROOT=/app/var/media
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --home /app csmgmt && mkdir -p /app/var/media && chown -R csmgmt /app/var
USER csmgmt
EXPOSE 8000
CMD ["gunicorn", "csmgmt.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
