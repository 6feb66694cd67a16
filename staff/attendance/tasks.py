"""Celery tasks of this area (imported by staff/tasks.py)."""
import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task
def attendance_settle_yesterday(date: str | None = None, after_id: int = 0) -> int:
    """Settle the day before (absent where nothing came). Bounded batches: a batch that was full
    queues the next one. Idempotent: judging a day again stores the same status."""
    from .services.days import attendance_settle_day

    day = dt.date.fromisoformat(date) if date else timezone.localdate() - dt.timedelta(days=1)
    last = attendance_settle_day(date=day, after_id=after_id)
    if last is not None:
        attendance_settle_yesterday.delay(day.isoformat(), last)
    return last or 0


@shared_task
def attendance_certificates_late() -> int:
    """Tell the first level of each sick leave whose certificate is late, once each (keyed notices)."""
    from .services.leave import leave_certificates_flag

    return leave_certificates_flag()
