"""What several scoring services share: finding or creating a month, locking it, whether a day's month is
closed, and queueing a recomputation after the commit."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staff.models import Employee, ScoreMonth

from ..workflow import ScoringError

ZERO = Decimal("0")


def score_month_get_or_create(*, year: int, month: int) -> ScoreMonth:
    """The month's row, created open when it does not exist yet (safe against a concurrent creator)."""
    if not (1 <= month <= 12):
        raise ScoringError(_("There is no month %(m)s.") % {"m": month})
    try:
        with transaction.atomic():
            score_month, _created = ScoreMonth.objects.get_or_create(year=year, month=month)
    except IntegrityError:  # created by a concurrent caller between the get and the create
        score_month = ScoreMonth.objects.get(year=year, month=month)
    return score_month


def lock_month(*, year: int, month: int) -> ScoreMonth:
    """The month's row, locked until the end of the caller's transaction (created open if missing)."""
    score_month_get_or_create(year=year, month=month)
    return ScoreMonth.objects.select_for_update().get(year=year, month=month)


def month_is_closed(*, year: int, month: int) -> bool:
    return ScoreMonth.objects.filter(year=year, month=month, status=ScoreMonth.Status.CLOSED).exists()


def refuse_closed_day(date: dt.date) -> None:
    """A manual entry of a closed month is refused: the month's records are final."""
    if month_is_closed(year=date.year, month=date.month):
        raise ScoringError(_("%(y)s-%(m)02d is closed; a manager must reopen it first.")
                           % {"y": date.year, "m": date.month})


def history_user(employee: Employee | None):
    """The login behind the acting employee for the edit trail (django-simple-history); None for the product."""
    return employee.user if employee is not None else None


def rematerialise_after_commit(date: dt.date) -> None:
    """Recompute the day's month once the caller's transaction is committed (a task: ids, not objects)."""
    from ..tasks import scoring_materialise

    transaction.on_commit(lambda: scoring_materialise.delay(date.year, date.month))


def rematerialise_open_months() -> None:
    """Recompute every open month after the commit (a closed month keeps what it was closed with; the
    service leaves it alone even if it is closed meanwhile)."""
    from ..tasks import scoring_materialise

    months = list(ScoreMonth.objects.filter(status=ScoreMonth.Status.OPEN).values_list("year", "month"))
    transaction.on_commit(lambda: [scoring_materialise.delay(y, m) for y, m in months])
