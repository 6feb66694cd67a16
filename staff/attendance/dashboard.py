"""Dashboard panel: today's attendance (REGULATIONS §4, §8) — of the employees rostered to work today,
how many were on time, late, absent, on leave, otherwise (early leave, missed punch), or not judged yet.
Two aggregate queries (today's roster, today's statuses)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext

from csmgmt.core.panels import ChartData, Panel
from staff.models import DayStatus, RosterEntry

CODES = DayStatus.Code


def todays_attendance(request):
    today = timezone.localdate()
    rostered = RosterEntry.objects.filter(date=today, shift__isnull=False, shift__is_rest=False).count()
    counts = DayStatus.objects.filter(date=today, shift__isnull=False).exclude(code__in=["", CODES.REST]).aggregate(
        on_time=Count("id", filter=Q(code=CODES.PRESENT)),
        late=Count("id", filter=Q(code__in=[CODES.LATE, CODES.LATE_EARLY])),
        absent=Count("id", filter=Q(code=CODES.ABSENT)),
        leave=Count("id", filter=Q(code=CODES.LEAVE)),
        other=Count("id", filter=Q(code__in=[CODES.EARLY, CODES.MISSED])),
        judged=Count("id"),
    )
    pending = max(rostered - counts["judged"], 0)
    labels = [_("On time"), _("Late"), _("Absent"), _("On leave"), _("Early leave or missed punch"),
              _("Not judged yet")]
    values = [counts["on_time"], counts["late"], counts["absent"], counts["leave"], counts["other"], pending]
    # colours by meaning: on time green, late amber, absent red, leave blue, early/missed orange, pending grey
    colours = ["#198754", "#ffc107", "#dc3545", "#0d6efd", "#fd7e14", "#adb5bd"]
    return ChartData(labels=labels, series=[(pgettext("count", "Employees"), values)], kind="doughnut",
                     headers=[_("Status"), pgettext("count", "Employees")], empty=not rostered and not any(values),
                     colours=colours)


PANELS = [Panel("attendance_today", gettext_lazy("Today's attendance"), "reports.dashboard", todays_attendance)]
