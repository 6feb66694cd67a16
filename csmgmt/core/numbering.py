"""Human-readable record numbers like ``TS-202611-0042``, gap-free within a period and safe
under concurrency: the counter row is incremented with an UPDATE, which holds its row lock until
the caller's transaction ends, so two requests never get the same number."""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Counter


def number_next(*, prefix: str, period: str, width: int = 4) -> str:
    key = f"{prefix}-{period}"
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=1)
            except IntegrityError:  # another transaction created it first
                Counter.objects.filter(key=key).update(value=F("value") + 1)
        value = Counter.objects.values_list("value", flat=True).get(key=key)
    return f"{key}-{value:0{width}d}"
