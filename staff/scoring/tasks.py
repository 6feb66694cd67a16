"""Celery tasks of this area (imported by staff/tasks.py). They take plain ids and are idempotent:
computing a month twice writes nothing the second time."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def scoring_materialise(year: int, month: int) -> bool:
    """Recompute one month's records as the product's own work. The service leaves a closed month alone (and
    a month with no active rule set): it refuses, and this returns False."""
    from .services.materialise import month_materialise
    from .workflow import ScoringError

    try:
        month_materialise(year=year, month=month, by=None)
    except ScoringError:
        return False
    return True


@shared_task(ignore_result=True)
def scoring_materialise_recent() -> int:
    """Nightly: the current month and the month before (while it is still open)."""
    from .selectors import month_shift

    today = timezone.localdate()
    done = 0
    for year, month in (month_shift(today.year, today.month, -1), (today.year, today.month)):
        done += bool(scoring_materialise(year, month))
    return done
