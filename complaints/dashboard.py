"""Dashboard panels for complaints (REGULATIONS §3, §8): open complaints by stage, clocks overdue, and
satisfaction for the last 12 months. One aggregate query each."""

import datetime as dt

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext

from csmgmt.core.panels import ChartData, Panel

from .models import OPEN_STAGES, ClockKind, ClockState, Complaint, ComplaintClock, Stage


def open_by_stage(request):
    counts = dict(Complaint.objects.filter(stage__in=OPEN_STAGES).values_list("stage").annotate(n=Count("id"))
                  .values_list("stage", "n"))
    labels = [Stage(s).label for s in OPEN_STAGES]
    values = [counts.get(s, 0) for s in OPEN_STAGES]
    return ChartData(labels=labels, series=[(pgettext("count", "Complaints"), values)],
                     headers=[_("Stage"), pgettext("count", "Complaints")],
                     empty=not any(values))


def clocks_overdue(request):
    """Running clocks past their due time, per clock (the partial index on running clocks' due time)."""
    counts = dict(ComplaintClock.objects.filter(state=ClockState.RUNNING, due_at__lt=timezone.now())
                  .values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    labels = [k.label for k in ClockKind]
    values = [counts.get(k.value, 0) for k in ClockKind]
    return ChartData(labels=labels, series=[(pgettext("count", "Overdue"), values)],
                     headers=[_("Clock"), pgettext("count", "Overdue")],
                     empty=not any(values))


def _months_back(today: dt.date, n: int) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _i in range(n):
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def satisfaction_12_months(request):
    """Average revisit satisfaction (1–5) of the complaints received in each of the last 12 months (as the
    workbook's "Average satisfaction"); a month without a revisit shows no point."""
    tz = timezone.get_current_timezone()
    months = _months_back(timezone.localdate(), 12)
    start = dt.datetime(months[0].year, months[0].month, 1, tzinfo=tz)
    rows = (Complaint.objects.filter(received_at__gte=start)
            .annotate(m=TruncMonth("received_at", tzinfo=tz)).values("m")
            .annotate(attitude=Avg("satisfaction_attitude"), result=Avg("satisfaction_result")).order_by("m"))
    by_month = {r["m"].date() if hasattr(r["m"], "date") else r["m"]: r for r in rows}

    def value(month, key):
        avg = by_month.get(month, {}).get(key)
        return round(float(avg), 2) if avg is not None else None

    attitude = [value(m, "attitude") for m in months]
    result = [value(m, "result") for m in months]
    return ChartData(labels=[f"{m:%Y-%m}" for m in months], kind="line",
                     series=[(_("Attitude satisfaction"), attitude), (_("Result satisfaction"), result)],
                     headers=[_("Month"), _("Attitude satisfaction"), _("Result satisfaction")],
                     empty=all(v is None for v in attitude + result))


PANELS = [
    Panel("complaints_open", gettext_lazy("Open complaints by stage"), "reports.dashboard", open_by_stage),
    Panel("complaints_overdue", gettext_lazy("Complaint clocks overdue"), "reports.dashboard", clocks_overdue),
    Panel("complaints_satisfaction", gettext_lazy("Satisfaction, last 12 months"), "reports.dashboard",
          satisfaction_12_months, width=12),
]
