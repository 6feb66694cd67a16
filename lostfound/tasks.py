"""Scheduled lost-and-found work. Both tasks are safe to run twice (keyed notices, one batch a month)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services import custody_notify, handover_prepare


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def custody_check(day: str | None = None) -> int:
    """Runs every 15 minutes; acts once the configurable end of day has passed. Yesterday is looked
    at too, so an end of day close to midnight is never missed."""
    if day:
        return custody_notify(day=dt.date.fromisoformat(day))
    today = timezone.localdate()
    return sum(custody_notify(day=d) for d in (today - dt.timedelta(days=1), today))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def handover_prepare_month(period: str | None = None) -> int | None:
    """On the 1st: the list of items past retention for the custodian to hand to finance."""
    batch = handover_prepare(period=period or timezone.localdate().strftime("%Y%m"), by=None)
    return batch.pk if batch else None
