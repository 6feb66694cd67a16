"""The Celery application. Broker: Redis when REDIS_URL is set, else kombu's filesystem
transport (no server). Beat uses django-celery-beat's database scheduler; the jobs it runs
are declared in each app's ``jobs.py`` and installed by ``csmgmt.jobs``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")

app = Celery("csmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
