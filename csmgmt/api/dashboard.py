"""Dashboard panel: this month's missed calls by day, and how many were called back (issue 21). One aggregate
query."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.panels import ChartData, Panel
from csmgmt.core.sheets import Period

from .models import ExchangeCall
from .reports import MISSED


def missed_this_month(request):
    today = timezone.localdate()
    period = Period(today.year, today.month)
    tz = timezone.get_current_timezone()
    rows = (ExchangeCall.objects.filter(MISSED, ringing_at__gte=period.start, ringing_at__lt=period.end)
            .annotate(day=TruncDate("ringing_at", tzinfo=tz)).values_list("day")
            .annotate(n=Count("id"), back=Count("id", filter=Q(callback_call__isnull=False)))
            .values_list("day", "n", "back"))
    by_day = {day: (n, back) for day, n, back in rows}
    days = [period.first_day + dt.timedelta(days=i) for i in range(today.day)]
    missed = [by_day.get(d, (0, 0))[0] for d in days]
    back = [by_day.get(d, (0, 0))[1] for d in days]
    return ChartData(labels=[d.strftime("%m-%d") for d in days],
                     series=[(_("Missed calls"), missed), (_("Called back"), back)],
                     headers=[_("Day"), _("Missed calls"), _("Called back")], empty=not any(missed))


PANELS = [Panel("missed_calls", gettext_lazy("Missed calls this month"), "reports.dashboard", missed_this_month,
                width=12)]
