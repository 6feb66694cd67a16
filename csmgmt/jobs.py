"""Installs every app's scheduled jobs into django-celery-beat (run after ``migrate``).

A job is created when missing and never overwritten afterwards, so a manager's edit of its
schedule in the admin survives restarts and migrations."""

import json

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from .core.registry import jobs


def jobs_install(*, using: str = "default") -> int:
    created = 0
    with transaction.atomic(using=using):
        for job in jobs():
            if PeriodicTask.objects.using(using).filter(name=job.name).exists():
                continue
            fields = {"name": job.name, "task": job.task, "kwargs": json.dumps(job.kwargs),
                      "description": str(job.description)}
            if job.every_seconds:
                fields["interval"], _ = IntervalSchedule.objects.using(using).get_or_create(
                    every=job.every_seconds, period=IntervalSchedule.SECONDS
                )
            else:
                spec = {"minute": "0", "hour": "*", "day_of_week": "*", "day_of_month": "*",
                        "month_of_year": "*", **job.crontab}
                fields["crontab"], _ = CrontabSchedule.objects.using(using).get_or_create(
                    timezone=settings.TIME_ZONE, **spec
                )
            PeriodicTask.objects.using(using).create(**fields)
            created += 1
    return created
