"""Every write of the working calendars (REGULATIONS §9), by a manager, each with its trail (history rows with
who and when; replaced rows voided with a reason, never deleted). After each change every running clock that
counts working time is recomputed (the apps' listeners, ``csmgmt.core.registry``)."""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.calendar import CalendarError
from csmgmt.core.permissions import can
from csmgmt.core.registry import calendar_listeners

from ..models import CalendarException, DepartmentCalendar, Employee, PublicDay
from .selectors import check_weekly, spans_of

ABILITY = "calendars.manage"
SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})\s*$")


class CalendarRefused(Exception):
    """A calendar change the rules refuse; ``str(exc)`` is for the user. Nothing is saved."""


def _check(by: Employee) -> None:
    if not can(by.user, ABILITY):
        raise CalendarRefused(_("Only a manager edits the working calendars."))


def parse_spans(text: str) -> list[list[str]]:
    """"08:30-12:00, 13:30-17:30" → [["08:30", "12:00"], ["13:30", "17:30"]]; empty → [] (closed)."""
    out = []
    for part in re.split(r"[,，;；]", text or ""):
        if not part.strip():
            continue
        m = SPAN.match(part)
        if m is None:
            raise CalendarRefused(_("“%(text)s” is not working hours: write them as 08:30-17:30.") % {"text": part.strip()})
        a, b = (f"{int(x.split(':')[0]):02d}:{x.split(':')[1]}" for x in m.groups())
        out.append([a, b])
    try:
        spans_of(out)
        check_weekly([out] * 7)
    except (CalendarError, ValueError):
        raise CalendarRefused(_("“%(text)s”: each span starts and ends at a time of day (00:00–23:59), lasts at most "
                                "24 hours and does not overlap another.") % {"text": text}) from None
    return out


def _changed(departments, by) -> int:
    return sum(listener(departments, by) or 0 for listener in calendar_listeners())


def calendar_hours_save(*, by: Employee, department, weekly: list, observes_holidays: bool) -> int:
    """Save ``department``'s weekly hours (seven span lists, Monday first); returns the clocks recomputed."""
    _check(by)
    try:
        check_weekly(weekly)
    except (CalendarError, ValueError) as exc:
        raise CalendarRefused(_("These working hours are not possible: %(why)s") % {"why": exc}) from None
    with transaction.atomic():
        row = DepartmentCalendar.objects.select_for_update().filter(department=department).first()
        if row is not None and row.weekly == weekly and row.observes_holidays == observes_holidays:
            return 0
        row = row or DepartmentCalendar(department=department)
        row.weekly = weekly
        row.observes_holidays = observes_holidays
        row._history_user = by.user
        row.save()
        return _changed([department], by)


def calendar_exception_add(*, by: Employee, department, date: dt.date, spans: list, note: str = "") -> int:
    """A dated exception of ``department`` (no spans: closed that day); replaces (voids) the one of that date."""
    _check(by)
    with transaction.atomic():
        for old in CalendarException.objects.select_for_update().filter(department=department, date=date,
                                                                         voided_at__isnull=True):
            old.voided_at = timezone.now()
            old.void_reason = _("Replaced by a new exception for the same day.")
            old._history_user = by.user
            old.save()
        row = CalendarException(department=department, date=date, spans=spans, note=note[:200])
        row._history_user = by.user
        row.save()
        return _changed([department], by)


def calendar_exception_void(*, by: Employee, exception: CalendarException, reason: str) -> int:
    return _void(CalendarException, exception.pk, by=by, reason=reason, departments=lambda row: [row.department])


NOTICE_LINE = re.compile(r"^\s*(\S+)\s+(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|to|-|–|~)?\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*$")


def parse_notice(text: str, *, year: int) -> list[tuple[dt.date, str]]:
    """Lines "春节 2027-02-06 2027-02-12" (a range) or "春节 2027-02-14" (one day) → [(date, name)]."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        m = NOTICE_LINE.match(line)
        if m is None:
            raise CalendarRefused(_("“%(line)s”: write a name and a date, or a name and two dates (from, to).") % {
                "line": line.strip()})
        try:
            first = dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in m.group(2).split("-")))
            last = dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in (m.group(3) or m.group(2)).split("-")))
        except ValueError:
            raise CalendarRefused(_("“%(line)s”: not a date.") % {"line": line.strip()}) from None
        if last < first or (last - first).days > 31:
            raise CalendarRefused(_("“%(line)s”: the period ends before it starts or is longer than a month.") % {
                "line": line.strip()})
        for i in range((last - first).days + 1):
            day = first + dt.timedelta(days=i)
            if abs(day.year - year) > 1:
                raise CalendarRefused(_("“%(line)s” is not about %(year)s.") % {"line": line.strip(), "year": year})
            out.append((day, m.group(1)[:50]))
    return out


def public_notice_enter(*, by: Employee, year: int, holidays: str, makeup_days: str, greeting: str = "") -> int:
    """Enter a year's State Council notice: its holidays and make-up days (a date already listed is replaced, its
    old row voided). Returns the clocks recomputed."""
    _check(by)
    rows = ([(d, n, PublicDay.Kind.HOLIDAY) for d, n in parse_notice(holidays, year=year)]
            + [(d, n, PublicDay.Kind.MAKEUP) for d, n in parse_notice(makeup_days, year=year)])
    if not rows:
        raise CalendarRefused(_("Enter at least one holiday or make-up day."))
    dates = [d for d, _n, _k in rows]
    if len(set(dates)) != len(dates):
        raise CalendarRefused(_("A date is listed twice."))
    now = timezone.now()
    with transaction.atomic():
        for old in PublicDay.objects.select_for_update().filter(date__in=dates, voided_at__isnull=True):
            old.voided_at = now
            old.void_reason = _("Replaced by the notice entered for %(year)s.") % {"year": year}
            old._history_user = by.user
            old.save()
        for day, name, kind in rows:
            row = PublicDay(date=day, kind=kind, name=name, source=PublicDay.Source.MANAGER,
                            greeting=greeting if kind == PublicDay.Kind.HOLIDAY else "")
            row._history_user = by.user
            row.save()
        return _changed(None, by)


def public_day_void(*, by: Employee, day: PublicDay, reason: str) -> int:
    return _void(PublicDay, day.pk, by=by, reason=reason, departments=lambda row: None)


def _void(model, pk: int, *, by: Employee, reason: str, departments) -> int:
    """Void a calendar row (never deleted) with the reason, in its history; the clocks it moves are recomputed
    (``departments(row)``: the departments whose calendar changed, None for the shared public days). Voiding a
    voided row does nothing (0)."""
    _check(by)
    if not (reason or "").strip():
        raise CalendarRefused(_("Give the reason."))
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if row.voided_at is not None:
            return 0
        row.voided_at = timezone.now()
        row.void_reason = reason.strip()[:300]
        row._history_user = by.user
        row.save()
        return _changed(departments(row), by)


def holiday_greeting_set(*, by: Employee, year: int, name: str, greeting: str) -> int:
    """The answering script on the holidays called ``name`` in ``year`` (intake, REGULATIONS §2)."""
    _check(by)
    n = 0
    with transaction.atomic():
        for row in PublicDay.objects.select_for_update().filter(date__year=year, name=name, voided_at__isnull=True,
                                                                kind=PublicDay.Kind.HOLIDAY):
            if row.greeting != greeting:
                row.greeting = greeting
                row._history_user = by.user
                row.save()
                n += 1
    return n
