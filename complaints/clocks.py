"""Complaint clocks on working calendars (REGULATIONS §3, §9): which department's working time each clock counts,
its due time from the pure ``csmgmt.core.calendar.due_time`` (the rule stored on the clock, the complaint's
pauses), "why due then", and the recompute of every running clock when a calendar changes."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.calendar import CalendarError, Unit, due_time
from staff.calendars.selectors import customer_service_calendar, customer_service_department, public_days, work_calendars

from .models import DEFAULT_HOURS, ClockKind, ClockLength, ClockState, ClockUnit, ComplaintClock, ComplaintEvent, \
    ComplaintPause

LIVE = (ClockState.RUNNING, ClockState.PAUSED)


def clock_rules() -> dict:
    """(kind, severity) -> (length, unit): the managers' settings over §3's defaults (calendar hours)."""
    rules = {key: (hours, ClockUnit.CALENDAR) for key, hours in DEFAULT_HOURS.items()}
    for kind, severity, length, unit in ClockLength.objects.values_list("kind", "severity", "hours", "unit"):
        if (kind, severity) in rules:
            rules[(kind, severity)] = (length, unit)
    return rules


def acting_department_id(complaint, kind):
    """Whose working time a clock counts (§9): the responsible department's for the department clock, customer
    service's for every other one."""
    if kind == ClockKind.DEPT_REPORT and complaint.responsible_department_id:
        return complaint.responsible_department_id
    dept = customer_service_department()
    return dept.pk if dept else None


class Calendars:
    """The WorkCalendars of the departments, built once per use (the public days read once)."""

    def __init__(self):
        self.days = public_days()
        self._cals: dict = {}

    def of(self, department_id):
        if department_id is None:
            return customer_service_calendar(days=self.days)
        if department_id not in self._cals:
            self._cals.update(work_calendars(_departments([department_id]), days=self.days))
        return self._cals[department_id]

    def preload(self, department_ids):
        missing = [pk for pk in set(department_ids) if pk is not None and pk not in self._cals]
        if missing:
            self._cals.update(work_calendars(_departments(missing), days=self.days))


def _departments(pks):
    from staff.models import Department

    return Department.objects.filter(pk__in=pks)


def pauses_of(complaint_id) -> list:
    return list(ComplaintPause.objects.filter(complaint_id=complaint_id).values_list("started_at", "ended_at"))


def compute(clock, *, calendars: Calendars, pauses, until=None, explain=True):
    """``clock``'s Due (``csmgmt.core.calendar.Due``) on its own rule; an open pause ends at ``until`` when given.
    A clock with a given due time (no length) keeps it."""
    if clock.length is None:
        return None
    if until is not None:
        pauses = [(a, b if b is not None else until) for a, b in pauses]
    pauses = [(a, b) for a, b in pauses if b is None or b > clock.started_at]
    calendar = calendars.of(clock.calendar_department_id)
    return due_time(start=clock.started_at, length=clock.length, unit=clock.unit, calendar=calendar, pauses=pauses,
                    explain=explain)


def clock_new(complaint, kind, start, rule, *, calendars=None, pauses=None) -> ComplaintClock:
    """A clock of ``kind`` from ``start`` on ``rule`` (length, unit), saved: running, or paused while the complaint
    waits on the customer (its due time is then the one it would have without the pause, until it resumes)."""
    length, unit = rule
    clock = ComplaintClock(complaint=complaint, kind=kind, started_at=start, unit=unit, length=length,
                           calendar_department_id=None if unit == ClockUnit.CALENDAR
                           else acting_department_id(complaint, kind))
    clock.due_at = start + dt.timedelta(hours=length)
    if unit != ClockUnit.CALENDAR or complaint.paused_at:
        calendars = calendars or Calendars()
        pauses = pauses_of(complaint.pk) if pauses is None else pauses
        due = compute(clock, calendars=calendars, pauses=[(a, b) for a, b in pauses if b is not None])
        clock.due_at = due.at
    if complaint.paused_at is not None:
        clock.state = ClockState.PAUSED
    clock.save()
    return clock


def decided_state(clock, at, *, calendars=None) -> str:
    """Met or missed, for a clock met at ``at`` (a paused one counts its pause up to ``at``)."""
    if clock.state == ClockState.PAUSED and clock.length is not None:
        due = compute(clock, calendars=calendars or Calendars(), pauses=pauses_of(clock.complaint_id), until=at)
        return ClockState.MET if at <= due.at else ClockState.MISSED
    return ClockState.MET if at <= clock.due_at else ClockState.MISSED


def clocks_pause(complaint, now) -> None:
    ComplaintPause.objects.create(complaint=complaint, started_at=now)
    ComplaintClock.objects.filter(complaint=complaint, state=ClockState.RUNNING).update(state=ClockState.PAUSED)


def clocks_resume(complaint, now) -> None:
    """The pause ends; each paused clock runs again, due later by the paused time (its own unit: paused working
    time for a working clock)."""
    ComplaintPause.objects.filter(complaint=complaint, ended_at__isnull=True).update(ended_at=now)
    calendars, pauses = Calendars(), pauses_of(complaint.pk)
    for clock in ComplaintClock.objects.filter(complaint=complaint, state=ClockState.PAUSED):
        due = compute(clock, calendars=calendars, pauses=pauses)
        clock.state = ClockState.RUNNING
        fields = ["state"]
        if due is not None and due.at != clock.due_at:
            clock.due_at = due.at
            fields.append("due_at")
            if clock.overdue_notified_at is not None and due.at > now:
                clock.overdue_notified_at = None
                fields.append("overdue_notified_at")
        clock.save(update_fields=fields)


def rule_text(clock) -> str:
    """Which rule a clock runs on: "48 working hours of 工程部", "72 calendar hours", "a given due time"."""
    if clock.length is None:
        return str(_("a given due time"))
    if clock.unit == ClockUnit.CALENDAR:
        return _("%(n)s calendar hours") % {"n": clock.length}
    name = clock.calendar_department.name if clock.calendar_department_id else _("customer service")
    if clock.unit == ClockUnit.WORKING_DAYS:
        return _("%(n)s working days of %(dept)s") % {"n": clock.length, "dept": name}
    return _("%(n)s working hours of %(dept)s") % {"n": clock.length, "dept": name}


def why_due(clock, *, calendars, pauses) -> str:
    """The working intervals a running clock counts, with the calendar they come from (§9), e.g.
    "工程部: 09-30 08:30–17:30, 10-08 08:30–17:30, 10-09 08:30–10:00"."""
    if clock.length is None or clock.unit == ClockUnit.CALENDAR and not pauses:
        return ""
    try:
        due = compute(clock, calendars=calendars, pauses=pauses)
    except CalendarError as exc:
        return str(exc)
    if due is None or due.at is None:
        return ""
    parts = []
    for a, b in due.counted:
        a, b = timezone.localtime(a), timezone.localtime(b)
        parts.append(f"{a:%m-%d %H:%M}–{b:%H:%M}" if a.date() == b.date() or b.time() == dt.time() and
                     b.date() == a.date() + dt.timedelta(days=1) else f"{a:%m-%d %H:%M}–{b:%m-%d %H:%M}")
    name = due.calendar if clock.unit != ClockUnit.CALENDAR else _("calendar time")
    return f"{name}: {', '.join(parts)}"


# --- a calendar changed: every running clock on working time is recomputed ---------------------------

RECOMPUTED = gettext_lazy("Clock recomputed on the changed calendar")


def clocks_recompute(departments, by, *, now=None) -> int:
    """Recompute every running (or paused) clock that counts the working time of ``departments`` (None: all);
    a decided clock never changes. Each moved clock gets a row in its complaint's trail with the old and new due
    times, and says when an overdue notice already sent is now before the due time (the notice is then re-armed).
    Returns how many clocks moved."""
    now = now or timezone.now()
    qs = (ComplaintClock.objects.filter(state__in=LIVE).exclude(unit=ClockUnit.CALENDAR)
          .exclude(length__isnull=True).order_by("pk"))
    if departments is not None:
        ids = [d.pk for d in departments]
        cs = customer_service_department()
        if cs is not None and cs.pk in ids:
            qs = qs.filter(Q(calendar_department_id__in=ids) | Q(calendar_department__isnull=True))
        else:
            qs = qs.filter(calendar_department_id__in=ids)
    calendars = Calendars()
    moved, events = [], []
    with transaction.atomic():
        clocks = [_Row(*row) for row in qs.select_for_update(of=("self",)).values_list(*_Row.FIELDS)]
        calendars.preload(c.calendar_department_id for c in clocks)
        paused = {c.complaint_id for c in clocks if c.paused_at is not None}
        pause_rows: dict = {}
        for a_id, s, e in ComplaintPause.objects.filter(
                complaint_id__in={c.complaint_id for c in clocks}).values_list("complaint_id", "started_at",
                                                                                "ended_at"):
            pause_rows.setdefault(a_id, []).append((s, e))
        for clock in clocks:
            pauses = [(a, b) for a, b in pause_rows.get(clock.complaint_id, []) if b is not None]
            try:
                due = compute(clock, calendars=calendars, pauses=pauses, explain=False)
            except CalendarError:
                continue
            if due is None or due.at is None or due.at == clock.due_at:
                continue
            old = clock.due_at
            clock.due_at = due.at
            data = {"clock": clock.kind, "old_due": old.isoformat(), "new_due": due.at.isoformat(),
                    "paused": clock.complaint_id in paused}
            comment = _("“%(clock)s”: due %(old)s → %(new)s.") % {
                "clock": ClockKind(clock.kind).label, "old": _local(old), "new": _local(due.at)}
            if clock.overdue_notified_at is not None and due.at > clock.overdue_notified_at:
                data["overdue_notice_at"] = clock.overdue_notified_at.isoformat()
                comment += " " + _("An overdue notice was sent at %(at)s, before the new due time.") % {
                    "at": _local(clock.overdue_notified_at)}
                if due.at > now:
                    clock.overdue_notified_at = None
            if clock.soon_notified_at is not None and due.at > now + dt.timedelta(minutes=30):
                clock.soon_notified_at = None
            moved.append(clock)
            events.append(ComplaintEvent(complaint_id=clock.complaint_id, action="clock_recomputed",
                                         from_stage=clock.stage, to_stage=clock.stage, by=by,
                                         at=now, comment=comment, data=data))
        _save_due_times(moved)
        ComplaintEvent.objects.bulk_create(events, batch_size=5000)
    return len(moved)


class _Row:
    """A clock as the recompute reads it: plain values (30,000 model instances cost seconds)."""

    FIELDS = ("pk", "complaint_id", "kind", "started_at", "length", "unit", "calendar_department_id", "due_at",
              "overdue_notified_at", "soon_notified_at", "complaint__stage", "complaint__paused_at")
    __slots__ = ("pk", "complaint_id", "kind", "started_at", "length", "unit", "calendar_department_id", "due_at",
                 "overdue_notified_at", "soon_notified_at", "stage", "paused_at")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)


def _save_due_times(clocks) -> None:
    """One UPDATE … FROM unnest(arrays) on PostgreSQL (``bulk_update``'s CASE per row is far slower at 30,000)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        for c in clocks:
            ComplaintClock.objects.filter(pk=c.pk).update(due_at=c.due_at, overdue_notified_at=c.overdue_notified_at,
                                                          soon_notified_at=c.soon_notified_at)
        return
    table = ComplaintClock._meta.db_table
    with connection.cursor() as cursor:
        for i in range(0, len(clocks), 10000):
            part = clocks[i:i + 10000]
            cursor.execute(
                f"UPDATE {table} AS c SET due_at = v.due_at, overdue_notified_at = v.ond, soon_notified_at = v.snd "
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[]) "
                "AS v(id, due_at, ond, snd) WHERE c.id = v.id",
                [[c.pk for c in part], [c.due_at for c in part], [c.overdue_notified_at for c in part],
                 [c.soon_notified_at for c in part]])


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def unit_valid(unit) -> bool:
    return unit in {u.value for u in Unit}
