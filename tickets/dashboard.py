"""Dashboard panel: calls today by hour."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.panels import ChartData, Panel

from .models import Call


def calls_today_by_hour(request):
    today = timezone.localdate()
    counts = {
        hour: (n, valid) for hour, n, valid in
        Call.objects.filter(received_at__date=today).exclude(status=Call.Status.VOIDED)
        .annotate(hour=ExtractHour("received_at")).values_list("hour")
        .annotate(n=Count("id"), valid=Count("id", filter=Q(direction=Call.Direction.INBOUND, valid=True)))
        .values_list("hour", "n", "valid")
    }
    hours = list(range(24))
    values = [counts.get(h, (0, 0))[0] for h in hours]
    valid = [counts.get(h, (0, 0))[1] for h in hours]
    return ChartData(labels=[f"{h:02d}:00" for h in hours],
                     series=[(_("Calls"), values), (_("Valid calls (有效电话)"), valid)],
                     headers=[_("Hour"), _("Calls"), _("Valid calls (有效电话)")], empty=not any(values))


PANELS = [Panel("calls_today", gettext_lazy("Calls today by hour"), "reports.dashboard", calls_today_by_hour, width=12)]
