"""Celery tasks of this area (imported by staff/tasks.py). They take plain ids and are idempotent:
computing a month twice writes nothing the second time."""

from celery import shared_task
from django.utils import timezone

from staff.models import ScoreMonth


@shared_task(ignore_result=True)
def scoring_materialise(year: int, month: int) -> bool:
    """Recompute one open month's records; a closed month (or no active rule set) is left alone."""
    from .services import ScoringError, month_materialise

    if ScoreMonth.objects.filter(year=year, month=month, status=ScoreMonth.Status.CLOSED).exists():
        return False
    try:
        month_materialise(year=year, month=month)
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
