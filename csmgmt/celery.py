"""The Celery application. Broker: Redis when REDIS_URL is set, else kombu's filesystem
transport (no server). Beat uses django-celery-beat's database scheduler; the jobs it runs
are declared in each app's ``jobs.py`` and installed by ``csmgmt.jobs``."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")

app = Celery("csmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _imports_yield_the_cpu(**_kwargs):
    """A worker process of the imports queue alone runs at a lower CPU priority (``IMPORTS_WORKER_NICE``, 10 by
    default): on cores it shares with the default worker, a report or a reminder is served first and a heavy import
    takes what is left (bench/heavy_import.py: the monthly workbook took 2× its time alone while four heavy files
    were being rejected). Only pool processes (prefork) are lowered: a solo or threaded worker inside another
    process (the tests' worker) is left alone."""
    from django.conf import settings

    consumed = set(app.amqp.queues.consume_from or ())
    nice = getattr(settings, "IMPORTS_WORKER_NICE", 0)
    if nice and consumed == {settings.IMPORTS_QUEUE}:
        os.nice(nice)
