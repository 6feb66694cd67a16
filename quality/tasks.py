"""Celery tasks of quality inspection: take plain values, safe to run twice."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def draw_last_month() -> bool:
    """Early each month: draw last month (as the product, ``by=None``). A month already drawn is left alone:
    returns False."""
    from .services.draws import draw_month
    from .workflow import QualityError

    first = timezone.localdate().replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    try:
        draw_month(month=last_month, by=None)
    except QualityError:
        return False
    return True
