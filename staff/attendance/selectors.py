"""Reads of attendance shared by pages, reports and scoring.

**Who is whose team (one rule, used everywhere):** a supervisor manages the active employees whose
``supervisor`` is them; a manager manages every active employee of their own department. Nobody
manages themselves (so nobody approves their own leave)."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.permissions import has_role
from csmgmt.core.roles import Role
from staff.models import (AttendanceSettings, Correction, DayStatus, DutyDaySignoff, DutyLogEntry, Employee,
                          LeaveDeputy, LeaveRequest, Punch, RosterEntry, Shift)


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


# --- team ---------------------------------------------------------------------------------------


def managed_employees(user):
    """The employees ``user`` rosters and approves for (see the module docstring)."""
    me = getattr(user, "employee", None)
    if me is None or not has_role(user, Role.SUPERVISOR):
        return Employee.objects.none()
    qs = Employee.objects.filter(active=True).exclude(pk=me.pk)
    if has_role(user, Role.MANAGER):
        qs = qs.filter(department_id=me.department_id)
    else:
        qs = qs.filter(supervisor=me)
    return qs.select_related("department").order_by("team", "employee_no")


def can_manage(user, employee: Employee) -> bool:
    me = getattr(user, "employee", None)
    if me is None or employee.pk == me.pk or not employee.active:
        return False
    if has_role(user, Role.MANAGER) and employee.department_id == me.department_id:
        return True
    return has_role(user, Role.SUPERVISOR) and employee.supervisor_id == me.pk


# --- the leave levels (REGULATIONS §4: two people) ----------------------------------------------------


def attendance_settings() -> AttendanceSettings:
    """The settings row, or the defaults (3 days) while no manager has saved any."""
    return AttendanceSettings.objects.filter(pk=1).first() or AttendanceSettings(pk=1)


def long_leave_days() -> int:
    """Leave longer than this many days needs a manager's approval after the first level (default 3)."""
    return attendance_settings().long_leave_days


def deputies_now(day: dt.date | None = None):
    """The deputies in force on ``day`` (default today): named, not withdrawn, the day within their period."""
    day = day or timezone.localdate()
    return LeaveDeputy.objects.filter(withdrawn_at__isnull=True, start_date__lte=day, end_date__gte=day)


def is_deputy_for(employee: Employee, supervisor_id: int | None, day: dt.date | None = None) -> bool:
    return supervisor_id is not None and deputies_now(day).filter(supervisor_id=supervisor_id,
                                                                  deputy=employee).exists()


def leave_rows_prime(rows, user):
    """Before a list page asks ``available_actions`` of each leave row: the threshold and the supervisors ``user``
    is the deputy of today, read once (two queries) instead of once a row."""
    me = getattr(user, "employee", None)
    if me is None:
        return rows
    threshold = long_leave_days()
    supervisors = frozenset(deputies_now().filter(deputy=me).values_list("supervisor_id", flat=True))
    for row in rows:
        row._long_leave_days = threshold
        row._deputy_supervisors = {me.pk: supervisors}
    return rows


def deputies_list():
    return LeaveDeputy.objects.select_related("supervisor", "deputy", "named_by", "withdrawn_by").order_by(
        "-start_date", "-id")


def has_own_supervisor(employee: Employee) -> bool:
    """Does the employee have an active supervisor (else a manager of the department gives the first level)?"""
    return employee.supervisor_id is not None and employee.supervisor.active


def certificate_due_by(leave: LeaveRequest) -> dt.datetime | None:
    """The end of the employee's first rostered working day after the leave (REGULATIONS §4: 假条必须在病假到期后
    第一天交给领导): until then a full-day sick leave's certificate may follow. ``None`` while that day is not
    rostered yet."""
    first = (RosterEntry.objects.filter(employee_id=leave.employee_id, date__gt=leave.end_date, shift__isnull=False,
                                        shift__is_rest=False).order_by("date").values_list("date", flat=True).first())
    if first is None:
        return None
    return dt.datetime.combine(first + dt.timedelta(days=1), dt.time.min, tzinfo=local_tz())


def certificates_late(now: dt.datetime):
    """Full-day sick leave still standing whose certificate is late (the supervisor decides: keep or 旷工)."""
    candidates = (LeaveRequest.objects.filter(kind=LeaveRequest.Kind.SICK, part=LeaveRequest.Part.FULL,
                                              certificate="", certificate_kept_at__isnull=True,
                                              state=LeaveRequest.State.APPROVED,
                                              end_date__lt=timezone.localdate(now))
                  .select_related("employee__supervisor", "employee__department__head"))
    return [leave for leave in candidates if (due := certificate_due_by(leave)) is not None and now >= due]


# --- shifts and roster --------------------------------------------------------------------------


def shifts_active():
    return Shift.objects.filter(active=True).order_by("is_rest", "start", "code")


def roster_shift_ids(employees, dates) -> dict:
    """{(employee_id, date): shift id or None} for those employees and dates: one query of plain values
    (a month of 200 employees is 6,200 cells), served by the (employee, date) unique index."""
    entries = RosterEntry.objects.filter(
        employee__in=[e.pk for e in employees], date__gte=min(dates), date__lte=max(dates)
    ).values_list("employee_id", "date", "shift_id")
    return {(employee_id, date): shift_id for employee_id, date, shift_id in entries}


def shift_start(employee: Employee, day: dt.date) -> dt.datetime | None:
    """When the employee's shift on ``day`` starts (``None`` when the day is not rostered or a rest day)."""
    from . import rules

    entry = RosterEntry.objects.filter(employee=employee, date=day, shift__isnull=False).select_related("shift").first()
    if entry is None or entry.shift.is_rest:
        return None
    return rules.span(day, rules.ShiftSpec.of(entry.shift), local_tz())[0]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_dates(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


# --- month grid (the workbook's Attendance sheet, the team grid, scoring) -------------------------

TOTAL_COLUMNS = [
    ("working_days", pgettext_lazy("roster", "Working days")),
    ("on_time", _("On time")),
    ("late", _("Late")),
    ("late_over_30", _("Late > 30 min")),
    ("early", _("Early leave")),
    ("early_over_30", _("Early leave > 30 min")),
    ("missed_punch", _("Missed punch")),
    ("absent", _("Absent")),
    ("leave_days", _("Leave days")),
    # REGULATIONS §8: leave by type (days, a half day counting 0.5); together they make "Leave days"
    *[(f"leave_{kind}", label) for kind, label in LeaveRequest.Kind.choices],
    ("days_worked", _("Days worked")),
    ("prorated", _("Days worked ÷ 21.75 (partial month)")),
]
# REGULATIONS §4 (000 L708): the standard working days of a month, for pro-rating a partial month
STANDARD_MONTH_DAYS = Decimal("21.75")
WORKED = {"P", "L", "E", "LE", "M"}  # days worked: on time, late, early leave, missed punch
LEAVE_KEYS = [f"leave_{kind}" for kind in LeaveRequest.Kind.values]

CODES = DayStatus.Code


@dataclass
class MonthRow:
    employee: Employee
    codes: dict = field(default_factory=dict)  # day number (1..31) -> code ("" when none)
    totals: dict = field(default_factory=dict)

    def code_list(self, days: int):
        return [self.codes.get(d, "") for d in range(1, days + 1)]

    def total_list(self):
        return [self.totals[k] for k, _label in TOTAL_COLUMNS]


def _empty_totals():
    totals = {k: 0 for k, _label in TOTAL_COLUMNS}
    totals["leave_days"] = Decimal("0")
    for key in LEAVE_KEYS:
        totals[key] = Decimal("0")
    totals["prorated"] = None  # a whole month: no ratio
    return totals


def partial_month(employee: Employee, first: dt.date, last: dt.date) -> bool:
    """Did ``employee`` join or leave during the month from ``first`` to ``last`` (so did not work it whole)?"""
    return bool((employee.joined_on and first < employee.joined_on <= last)
                or (employee.left_on and first <= employee.left_on < last))


def prorated(days_worked: int) -> Decimal:
    """Days worked ÷ 21.75, to 2 decimals (REGULATIONS §4, pro-rating)."""
    return (Decimal(days_worked) / STANDARD_MONTH_DAYS).quantize(Decimal("0.01"))


def attendance_month(*, year: int, month: int, employees=None) -> list[MonthRow]:
    """Per employee with a roster in the month: day codes (1..31) and totals. Three queries, whatever the
    size (plain values: a month of 200 employees is 6,000 roster cells and as many statuses), and a fourth
    for a month not over yet: the approved leave of the days not judged yet.

    Codes: P on time, L late (either threshold), E early leave (either), LE both, M missed punch,
    A absent, V on leave (also a day ahead inside an approved leave), R rest, "" not rostered (or the day
    not judged yet). Totals: "Working
    days" = rostered days other than REST; "Late" = late days within the threshold only (a late
    day beyond it counts in "Late > 30 min"), likewise early; "Absent" = 旷工 days only; "Leave days"
    = days on leave, a half day counting 0.5; "Days worked" = days on time, late, early leave or with a missed
    punch (beyond the thresholds too); for a month the employee joined or left in, "Days worked ÷ 21.75" (2
    decimals; blank for a whole month)."""
    dates = month_dates(year, month)
    entries = RosterEntry.objects.filter(date__gte=dates[0], date__lte=dates[-1], shift__isnull=False)
    if employees is not None:
        entries = entries.filter(employee__in=employees)
    codes: dict[int, dict] = {}
    totals: dict[int, dict] = {}
    for employee_id, date, is_rest in entries.values_list("employee_id", "date", "shift__is_rest"):
        if employee_id not in codes:
            codes[employee_id], totals[employee_id] = {}, _empty_totals()
        if is_rest:
            codes[employee_id][date.day] = CODES.REST
        else:
            totals[employee_id]["working_days"] += 1
            codes[employee_id][date.day] = ""
    if not codes:
        return []
    people = Employee.objects.filter(pk__in=list(codes)).select_related("department").order_by("employee_no")
    statuses = DayStatus.objects.filter(employee_id__in=list(codes), date__gte=dates[0], date__lte=dates[-1])
    for employee_id, date, code, late_over, early_over, leave_fraction, leave_kind in statuses.values_list(
            "employee_id", "date", "code", "late_over", "early_over", "leave_fraction", "leave_kind"):
        day_codes = codes[employee_id]
        day = date.day
        if day not in day_codes or day_codes[day] == CODES.REST:
            continue  # not rostered (any more) or a rest day: counts nowhere
        day_codes[day] = code
        _count(totals[employee_id], code, late_over, early_over, leave_fraction, leave_kind)
    _approved_leave_ahead(codes, dates)
    people = list(people)
    for e in people:
        if partial_month(e, dates[0], dates[-1]):
            totals[e.pk]["prorated"] = prorated(totals[e.pk]["days_worked"])
    return [MonthRow(e, codes[e.pk], totals[e.pk]) for e in people]


def _approved_leave_ahead(codes: dict, dates: list) -> None:
    """A rostered working day not judged yet (today, the days ahead) inside an approved leave shows V: the
    team sees who is away before the day comes. It counts in the totals once the day is judged. No query for
    a month that is over (its days are judged by then; the workbook reads past months at a fixed cost)."""
    if dates[-1] < timezone.localdate():
        return
    leaves = LeaveRequest.objects.filter(employee_id__in=list(codes), state=LeaveRequest.State.APPROVED,
                                         start_date__lte=dates[-1], end_date__gte=dates[0])
    for employee_id, start, end in leaves.values_list("employee_id", "start_date", "end_date"):
        day_codes = codes[employee_id]
        for date in dates:
            if start <= date <= end and day_codes.get(date.day) == "":
                day_codes[date.day] = CODES.LEAVE


def _count(totals, code, late_over, early_over, leave_fraction, leave_kind=""):
    if code == CODES.PRESENT:
        totals["on_time"] += 1
    if code in (CODES.LATE, CODES.LATE_EARLY):
        totals["late_over_30" if late_over else "late"] += 1
    if code in (CODES.EARLY, CODES.LATE_EARLY):
        totals["early_over_30" if early_over else "early"] += 1
    if code == CODES.MISSED:
        totals["missed_punch"] += 1
    if code == CODES.ABSENT:
        totals["absent"] += 1
    totals["leave_days"] += leave_fraction or Decimal("0")
    if leave_fraction and f"leave_{leave_kind}" in totals:
        totals[f"leave_{leave_kind}"] += leave_fraction
    if code in WORKED:
        totals["days_worked"] += 1


def attendance_score_events(*, year: int, month: int) -> list[dict]:
    """For scoring: one ``{"employee_id", "date", "kind", "source"}`` per occurrence in the month, kind in
    late, late_over_30, early, early_over_30, missed_punch (still a missed punch, i.e. not corrected),
    absent (per day), comp_leave_day (per day with compensatory leave, half days included). One query."""
    dates = month_dates(year, month)
    statuses = (
        DayStatus.objects.filter(date__gte=dates[0], date__lte=dates[-1])
        .filter(Q(code__in=["L", "E", "LE", "M", "A"]) | Q(leave_kind=LeaveRequest.Kind.COMP, leave_fraction__gt=0))
        .values("id", "employee_id", "date", "code", "late_over", "early_over", "leave_kind", "leave_fraction")
        .order_by("employee_id", "date")
    )
    events = []
    for s in statuses:
        base = {"employee_id": s["employee_id"], "date": s["date"], "source": f"attendance:day:{s['id']}"}
        code = s["code"]
        if code in ("L", "LE"):
            events.append({**base, "kind": "late_over_30" if s["late_over"] else "late"})
        if code in ("E", "LE"):
            events.append({**base, "kind": "early_over_30" if s["early_over"] else "early"})
        if code == "M":
            events.append({**base, "kind": "missed_punch"})
        if code == "A":
            events.append({**base, "kind": "absent"})
        if s["leave_kind"] == LeaveRequest.Kind.COMP and s["leave_fraction"]:
            events.append({**base, "kind": "comp_leave_day"})
    return events


# --- my attendance ------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    shift: Shift | None = None
    status: DayStatus | None = None
    punches: list = field(default_factory=list)
    in_month: bool = True


def my_month(employee: Employee, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month with each day's shift, status and punches. Three queries.
    A punch is shown under the day whose shift it belongs to (a night shift's morning punch under
    the evening it started), otherwise under its own date."""
    from . import rules

    dates = month_dates(year, month)
    first = week_start(dates[0])
    last = dates[-1] + dt.timedelta(days=6 - dates[-1].weekday())
    roster = {e.date: e.shift for e in RosterEntry.objects.filter(
        employee=employee, date__gte=first - dt.timedelta(days=1), date__lte=last + dt.timedelta(days=1),
        shift__isnull=False).select_related("shift")}
    statuses = {s.date: s for s in DayStatus.objects.filter(employee=employee, date__gte=first, date__lte=last)}
    tz = local_tz()
    lo = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(last + dt.timedelta(days=2), dt.time.min, tzinfo=tz)
    rows = list(Punch.objects.filter(employee=employee, at__gte=lo, at__lt=hi).order_by("at"))
    specs = {d: rules.ShiftSpec.of(s) for d, s in roster.items()}
    by_time = {}
    for p in rows:
        by_time.setdefault(p.at, p)
    inputs = [rules.PunchIn(p.at.astimezone(tz), p.direction) for p in rows]
    punches, placed = defaultdict(list), set()
    for day in sorted(specs):
        for p in rules.punches_of_day(day, specs, inputs, tz):
            if p.at not in placed:
                placed.add(p.at)
                punches[day].append(by_time[p.at])
    for p in rows:
        if p.at not in placed:
            punches[p.at.astimezone(tz).date()].append(p)
    weeks, day = [], first
    while day <= last:
        week = []
        for _i in range(7):
            week.append(CalendarDay(day, roster.get(day), statuses.get(day), sorted(punches.get(day, []),
                                                                                   key=lambda p: p.at),
                                    day.month == month))
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def leave_of(employee: Employee):
    return LeaveRequest.objects.filter(employee=employee).order_by("-start_date", "-id")


def corrections_of(employee: Employee):
    return Correction.objects.filter(employee=employee).order_by("-created", "-id")


# --- approvals ----------------------------------------------------------------------------------


def first_level_employees(user):
    """The active employees whose leave ``user`` gives the first level for: their own reports, the reports of a
    supervisor they are the deputy of today, and (managers) the employees of their department with no active
    supervisor. Never themselves."""
    me = getattr(user, "employee", None)
    if me is None or not has_role(user, Role.SUPERVISOR):
        return Employee.objects.none()
    q = Q(supervisor=me) | Q(supervisor__in=deputies_now().filter(deputy=me).values("supervisor_id"))
    if has_role(user, Role.MANAGER):
        q |= Q(department_id=me.department_id) & (Q(supervisor__isnull=True) | Q(supervisor__active=False))
    return Employee.objects.filter(q, active=True).exclude(pk=me.pk)


def may_see_leave_of(user, employee: Employee) -> bool:
    """The team rule, or the first level (a deputy sees the leave they decide)."""
    return can_manage(user, employee) or first_level_employees(user).filter(pk=employee.pk).exists()


def pending_leave_for(user):
    """Leave requests waiting for ``user``'s decision: the first level for the employees of
    :func:`first_level_employees`, and (managers) long leave at the manager level in their department; a late
    certificate (the first level decides) is listed too. Soonest first shift first (:func:`with_leave_deadline`)."""
    me = getattr(user, "employee", None)
    if me is None:
        return LeaveRequest.objects.none()
    first = first_level_employees(user)
    q = Q(state=LeaveRequest.State.PENDING_SUPERVISOR, employee__in=first)
    if has_role(user, Role.MANAGER):
        q |= Q(state=LeaveRequest.State.PENDING_MANAGER, employee__in=managed_employees(user))
    return (with_leave_deadline(LeaveRequest.objects.filter(q))
            .select_related("employee__department", "employee__supervisor")
            .order_by(F("first_shift_day").asc(), F("first_shift_start").asc(nulls_first=True), "id"))


def with_leave_deadline(qs):
    """A leave request's deadline (issue 17) is its first shift: the start of the first rostered working shift
    within its days, or the start of its first day when none is rostered. Annotated in the query
    (``first_shift_day``, ``first_shift_start``: one correlated lookup each, on the roster's (employee, date)
    index) so the list sorts by it; :func:`leave_deadline` turns them into the instant."""
    shifts = (RosterEntry.objects.filter(employee_id=OuterRef("employee_id"), date__gte=OuterRef("start_date"),
                                         date__lte=OuterRef("end_date"), shift__isnull=False, shift__is_rest=False)
              .order_by("date"))
    return qs.annotate(first_shift_day=Coalesce(Subquery(shifts.values("date")[:1]), F("start_date")),
                       first_shift_start=Subquery(shifts.values("shift__start")[:1]))


def leave_deadline(leave) -> tuple[dt.datetime, dt.datetime]:
    """(due, clock started) of a leave row of :func:`with_leave_deadline`: its first shift's start (local time;
    midnight of its first day when no shift is rostered), counted from when it was requested."""
    start = leave.first_shift_start or dt.time.min
    return dt.datetime.combine(leave.first_shift_day, start, tzinfo=local_tz()), leave.created


def pending_corrections_for(user):
    """Corrections waiting for ``user``'s decision, soonest month close first (:func:`correction_deadline`)."""
    return (Correction.objects.filter(state=Correction.State.PENDING, employee__in=managed_employees(user))
            .annotate(closing_month=TruncMonth("date"))
            .select_related("employee__department").order_by("closing_month", "date", "id"))


def correction_deadline(correction) -> tuple[dt.datetime, dt.datetime]:
    """(due, clock started) of a correction: the close of its day's month — the end of the month, when its missed
    punches count (REGULATIONS §5 "not corrected by month end") and the month's figures are taken (§8) — counted
    from when it was requested."""
    day = correction.date
    first_next = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return dt.datetime.combine(first_next, dt.time.min, tzinfo=local_tz()), correction.created


APPROVALS_BADGE_CAPTION = _("Leave requests and attendance corrections waiting for your decision")


def pending_leave_rows(user, limit: int = 100) -> list:
    """The approvals page's leave rows, each with ``deadline_due`` / ``deadline_started`` (csmgmt.core.deadlines)."""
    rows = list(pending_leave_for(user)[:limit])
    for row in rows:
        row.deadline_due, row.deadline_started = leave_deadline(row)
        row.deadline_label = _("first shift")
    return rows


def pending_correction_rows(user, limit: int = 100) -> list:
    """The approvals page's correction rows, each with ``deadline_due`` / ``deadline_started``."""
    rows = list(pending_corrections_for(user)[:limit])
    for row in rows:
        row.deadline_due, row.deadline_started = correction_deadline(row)
        row.deadline_label = _("month close")
    return rows


def pending_count(user) -> int:
    me = getattr(user, "employee", None)
    if me is None or not has_role(user, Role.SUPERVISOR):
        return 0
    return pending_leave_for(user).count() + pending_corrections_for(user).count()


# --- duty log -----------------------------------------------------------------------------------


def duty_entries():
    return DutyLogEntry.objects.select_related("shift", "outgoing", "incoming", "addendum_to__shift").order_by(
        "-date", "-created", "-id")


def duty_last_entry():
    """The last handover entry the outgoing employee has signed (what the incoming one must read)."""
    return duty_entries().filter(outgoing_signed_at__isnull=False).first()


def duty_signoffs(dates):
    return {s.date: s for s in DutyDaySignoff.objects.filter(date__in=dates).select_related("supervisor")}


def leave_trail(leave) -> list:
    """The leave's moves, oldest first, each with ``deputy_for``: the name of the supervisor a named deputy decided
    for (REGULATIONS §4: a deputy's decision is recorded as such), or "". Two queries whatever the trail's length."""
    events = list(leave.events.select_related("by").order_by("at", "id"))
    ids = {(e.data or {}).get("as_deputy_for") for e in events} - {None}
    names = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for e in events:
        e.deputy_for = names.get((e.data or {}).get("as_deputy_for"), "")
    return events
