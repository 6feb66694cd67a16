"""Dashboard panel: calls today by hour."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext

from csmgmt.core.panels import ChartData, Panel

from .models import Call


def _hourly(day: dt.date) -> dict[int, tuple[int, int]]:
    """Calls received on ``day`` (local time) per hour: (all calls, valid inbound calls), voided ones left out. The
    day is a range on ``received_at`` (from its first local instant to the next day's), so the received-at index
    serves it; ``received_at__date=day`` would cast every row of the table to a local date first."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return {
        hour: (n, valid) for hour, n, valid in
        Call.objects.filter(received_at__gte=start, received_at__lt=end).exclude(status=Call.Status.VOIDED)
        .annotate(hour=ExtractHour("received_at")).values_list("hour")
        .annotate(n=Count("id"), valid=Count("id", filter=Q(direction=Call.Direction.INBOUND, valid=True)))
        .values_list("hour", "n", "valid")
    }


def calls_by_hour(day: dt.date) -> list[int]:
    """Calls received on ``day`` (local time) per hour 0–23, voided ones left out."""
    counts = _hourly(day)
    return [counts.get(h, (0, 0))[0] for h in range(24)]


def calls_today_by_hour(request):
    counts = _hourly(timezone.localdate())
    hours = list(range(24))
    values = [counts.get(h, (0, 0))[0] for h in hours]
    valid = [counts.get(h, (0, 0))[1] for h in hours]
    return ChartData(labels=[f"{h:02d}:00" for h in hours],
                     series=[(pgettext("count", "Calls"), values), (_("Valid calls (有效电话)"), valid)],
                     headers=[_("Hour"), pgettext("count", "Calls"), _("Valid calls (有效电话)")], empty=not any(values))


PANELS = [Panel("calls_today", gettext_lazy("Calls today by hour"), "reports.dashboard", calls_today_by_hour, width=12)]
