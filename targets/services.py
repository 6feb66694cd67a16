"""Writes of the targets app: a manager's target (REGULATIONS §10), and the department's stored month figures for
the trend (bookkeeping, recomputed in place by the nightly job)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import has_role
from csmgmt.core.registry import FIGURES, figure_sources
from csmgmt.core.roles import Role
from csmgmt.core.sheets import Period
from staff.models import Employee

from .models import Figure, MonthFigure, Target
from .selectors import live_months, month_shift, this_month

# the scale of each figure's target: rates in per cent, satisfaction 1–5, the QA score out of 100
LIMITS = {"satisfaction": (Decimal(1), Decimal(5))}
DEFAULT_LIMITS = (Decimal(0), Decimal(100))


class TargetError(Exception):
    """A refusal shown to the manager as a message."""


def target_set(*, figure: str, month: Period, value: Decimal, by: Employee) -> Target:
    """Set the target of ``figure`` from ``month`` on (until a later month's target). The same month set again
    edits its row (the trail keeps the old value)."""
    if by is None or not has_role(by.user, Role.MANAGER):
        raise TargetError(_("Only a manager sets targets."))
    if figure not in FIGURES:
        raise TargetError(_("Choose a figure."))
    low, high = LIMITS.get(figure, DEFAULT_LIMITS)
    if value is None or not low <= value <= high:
        raise TargetError(_("The target of %(figure)s must be between %(low)s and %(high)s.") % {
            "figure": Figure(figure).label, "low": low, "high": high})
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(figure=figure, applies_from=month.first_day).first()
        if target is None:
            target = Target(figure=figure, applies_from=month.first_day)
        elif target.value == value:
            return target  # nothing changes: no new line in the trail
        target.value, target.set_by = value, by
        target._history_user = by.user
        target.save()
    return target


def month_figures_store(*, months: int = 13, now=None) -> int:
    """Compute and store the department's figures of the ``months`` months that ended last (one query per source,
    grouped by month), replacing what was stored; returns how many months were stored. Safe to run twice."""
    now = now or timezone.now()
    last = month_shift(this_month(now), -1)
    periods = [month_shift(last, -i) for i in range(months - 1, -1, -1)]
    computed = live_months(periods, now=now)
    with transaction.atomic():
        for p in periods:
            figures = computed.get((p.year, p.month), {})
            for figure in FIGURES:
                if not figure_sources(figure) and figure not in figures:
                    continue  # no source: nothing to store (the trend shows "—")
                num, den = figures.get(figure, (Decimal(0), Decimal(0)))
                MonthFigure.objects.update_or_create(month=p.first_day, figure=figure, defaults={
                    "numerator": num, "denominator": den, "computed_at": now})
    return len(periods)
