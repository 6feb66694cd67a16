"""The weekly revisit analysis (周回访情况分析表, REGULATIONS §8; 004 L771): every Tuesday at 09:00 the
managers get a notice linking to the analysis of the past calendar week (Monday–Sunday): how many
revisits were recorded, the satisfaction distribution for attitude and for result, how many revisits
reopened the complaint, and the revisit clocks that fell due in the week and were not met on time.

``revisit_week_analysis`` reads (two aggregate queries, whatever the number of revisits);
``revisit_week_notify`` sends the notice once per week (keyed); ``revisit_week_workbook`` writes the
.xlsx download of the same numbers."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from csmgmt.core.sheets import PERCENT_FORMAT, safe_value

from .models import ClockKind, ClockState, ComplaintClock, ComplaintEvent, Satisfaction
from .workflow import REVISIT_ACTIONS

REOPEN_ACTIONS = ("reopen", "reopen_analysis")
LEVELS = [s.value for s in Satisfaction]  # 5 (very satisfied) … 1 (very dissatisfied)


@dataclass
class RevisitWeek:
    week_start: dt.date  # a Monday
    revisits: int
    reopened: int
    attitude: dict  # level (1..5) -> count
    result: dict
    overdue: int  # revisit clocks due in the week not met on time (missed, or still running)

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def reopened_rate(self):
        return self.reopened / self.revisits if self.revisits else None

    def distribution(self):
        """[(label, attitude count, result count)] from very satisfied down to very dissatisfied."""
        return [(Satisfaction(level).label, self.attitude.get(level, 0), self.result.get(level, 0))
                for level in LEVELS]


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def previous_week(today: dt.date) -> dt.date:
    """The Monday of the last full calendar week before ``today``'s week."""
    return week_of(today) - dt.timedelta(days=7)


def _bounds(week_start: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime(week_start.year, week_start.month, week_start.day, tzinfo=tz)
    end_day = week_start + dt.timedelta(days=7)
    return start, dt.datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz)


def _level(value):
    try:
        level = int(value)
    except (TypeError, ValueError):
        return None
    return level if level in LEVELS else None


def revisit_week_analysis(*, week_start: dt.date, now: dt.datetime | None = None) -> RevisitWeek:
    week_start = week_of(week_start)
    start, end = _bounds(week_start)
    now = now or timezone.now()
    groups = (ComplaintEvent.objects.filter(action__in=REVISIT_ACTIONS, at__gte=start, at__lt=end)
              .values("action", "data__satisfaction_attitude", "data__satisfaction_result")
              .annotate(n=Count("id")).order_by())
    revisits = reopened = 0
    attitude: dict = {}
    result: dict = {}
    for g in groups:
        n = g["n"]
        revisits += n
        if g["action"] in REOPEN_ACTIONS:
            reopened += n
        for source, target in (("data__satisfaction_attitude", attitude), ("data__satisfaction_result", result)):
            level = _level(g[source])
            if level is not None:
                target[level] = target.get(level, 0) + n
    overdue = ComplaintClock.objects.filter(kind=ClockKind.REVISIT, due_at__gte=start, due_at__lt=end).filter(
        Q(state=ClockState.MISSED) | Q(state=ClockState.RUNNING, due_at__lt=now)).count()
    return RevisitWeek(week_start=week_start, revisits=revisits, reopened=reopened, attitude=attitude, result=result,
                       overdue=overdue)


def revisit_week_link(week_start: dt.date) -> str:
    return f"{reverse('complaints:revisit_week')}?week={week_start:%Y-%m-%d}"


def revisit_week_notify(*, today: dt.date | None = None) -> int:
    """The Tuesday job: tell every active manager the past week's analysis is ready, once per week and
    manager (the notice key). Returns how many notices were sent now (0 on a second run)."""
    from csmgmt.core.notices import notification_send
    from csmgmt.core.roles import Role
    from staff.models import Employee

    week_start = previous_week(today or timezone.localdate())
    analysis = revisit_week_analysis(week_start=week_start)
    sent = 0
    managers = Employee.objects.filter(active=True, user__is_active=True, user__groups__name=Role.MANAGER).distinct()
    for manager in managers.select_related("user"):
        notice = notification_send(
            recipient=manager,
            message=gettext_lazy("Weekly revisit analysis %(start)s – %(end)s: %(revisits)s revisits, "
                                 "%(reopened)s reopened, %(overdue)s overdue."),
            params={"start": f"{analysis.week_start:%Y-%m-%d}", "end": f"{analysis.week_end:%Y-%m-%d}",
                    "revisits": analysis.revisits, "reopened": analysis.reopened, "overdue": analysis.overdue},
            link=revisit_week_link(week_start),
            key=f"revisit-week-{week_start:%Y-%m-%d}-{manager.pk}",
        )
        sent += notice is not None
    return sent


def revisit_week_workbook(analysis: RevisitWeek, path_or_buffer) -> None:
    """The .xlsx of the analysis: the figures, then the satisfaction distribution."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(pgettext("sheet", "Revisits")[:31])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 16
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    ws.append([safe_value(ws, _("Weekly revisit analysis"), font=bold),
               safe_value(ws, f"{analysis.week_start:%Y-%m-%d} – {analysis.week_end:%Y-%m-%d}")])
    ws.append([_("Revisits"), analysis.revisits])
    ws.append([_("Reopened"), analysis.reopened])
    ws.append([_("Reopened rate"), safe_value(ws, analysis.reopened_rate if analysis.reopened_rate is not None
                                                else "", PERCENT_FORMAT)])
    ws.append([_("Revisits overdue"), analysis.overdue])
    ws.append([])
    ws.append([safe_value(ws, _("Satisfaction"), font=bold), safe_value(ws, _("Attitude"), font=bold),
               safe_value(ws, _("Result"), font=bold)])
    for label, att, res in analysis.distribution():
        ws.append([safe_value(ws, str(label)), att, res])
    wb.save(path_or_buffer)
