"""Reads of the working calendars: rows → the pure ``WorkCalendar`` value every clock is computed on."""

import datetime as dt

from django.db.models import Count, Q

from csmgmt.core.calendar import CalendarError, WorkCalendar, every_day_calendar, office_calendar, span

from ..models import CalendarException, Department, DepartmentCalendar, PublicDay

OFFICE_HOURS = ("08:30", "17:30")  # REGULATIONS §9 (our choice): Monday–Friday, other departments
CS_HOURS = ("08:00", "01:00")  # REGULATIONS §9 (our choice): every day, customer service


def default_weekly(department) -> list[list[list[str]]]:
    """§9's defaults: customer service every day 08:00–01:00; the others Monday–Friday 08:30–17:30."""
    if department.kind == Department.Kind.CUSTOMER_SERVICE:
        return [[list(CS_HOURS)]] * 7
    return [[list(OFFICE_HOURS)]] * 5 + [[], []]


def default_observes_holidays(department) -> bool:
    return department.kind != Department.Kind.CUSTOMER_SERVICE


def spans_of(rows) -> tuple:
    """[["08:00", "01:00"], …] → the pure calendar's minute spans."""
    return tuple(span(a, b) for a, b in rows)


def spans_text(rows) -> str:
    """[["08:00", "01:00"]] → "08:00–01:00" (empty: closed)."""
    return ", ".join(f"{a}–{b}" for a, b in rows)


def public_days() -> tuple[frozenset, frozenset]:
    """(holidays, make-up days): the current rows' dates (one query)."""
    holidays, makeup = set(), set()
    for day, kind in PublicDay.objects.filter(voided_at__isnull=True).values_list("date", "kind"):
        (holidays if kind == PublicDay.Kind.HOLIDAY else makeup).add(day)
    return frozenset(holidays), frozenset(makeup)


def hours_of(dept, row) -> tuple[list, bool, bool]:
    """(weekly spans, observes public holidays, is the §9 default) of ``dept``: its saved ``DepartmentCalendar`` row,
    or the default when it has none. The one rule the clocks and the calendar pages both read."""
    if row is not None:
        return row.weekly, row.observes_holidays, False
    return default_weekly(dept), default_observes_holidays(dept), True


def work_calendars(departments=None, *, days=None) -> dict[int, WorkCalendar]:
    """Department pk → its WorkCalendar (three queries whatever the number of departments; ``days`` is
    :func:`public_days` when the caller already has it)."""
    departments = list(Department.objects.all() if departments is None else departments)
    holidays, makeup = days or public_days()
    pks = [d.pk for d in departments]
    rows = {c.department_id: c for c in DepartmentCalendar.objects.filter(department_id__in=pks)}
    exceptions: dict[int, dict] = {}
    for e in CalendarException.objects.filter(department_id__in=pks, voided_at__isnull=True):
        exceptions.setdefault(e.department_id, {})[e.date] = spans_of(e.spans)
    out = {}
    for dept in departments:
        weekly, observes, _default = hours_of(dept, rows.get(dept.pk))
        out[dept.pk] = WorkCalendar(name=dept.name, weekly=tuple(spans_of(day) for day in weekly),
                                    holidays=holidays, makeup_days=makeup,
                                    exceptions=exceptions.get(dept.pk, {}), observes_holidays=observes)
    return out


def work_calendar(department, *, days=None) -> WorkCalendar:
    return work_calendars([department], days=days)[department.pk]


def customer_service_department():
    return Department.objects.filter(kind=Department.Kind.CUSTOMER_SERVICE, active=True).order_by("pk").first()


def customer_service_calendar(*, days=None) -> WorkCalendar:
    """The calendar of the customer-service department (§9's default when there is none)."""
    dept = customer_service_department()
    if dept is None:
        return every_day_calendar("客服部", hours=CS_HOURS)
    return work_calendar(dept, days=days)


def default_office_calendar(name: str, *, days=None) -> WorkCalendar:
    holidays, makeup = days or public_days()
    return office_calendar(name, holidays=holidays, makeup_days=makeup, hours=OFFICE_HOURS)


def holiday_on(day: dt.date):
    """The public holiday on ``day`` (a PublicDay) or None."""
    return (PublicDay.objects.filter(date=day, kind=PublicDay.Kind.HOLIDAY, voided_at__isnull=True)
            .order_by("pk").first())


def holidays_between(first: dt.date, last: dt.date) -> set[dt.date]:
    return set(PublicDay.objects.filter(kind=PublicDay.Kind.HOLIDAY, voided_at__isnull=True,
                                        date__range=(first, last)).values_list("date", flat=True))


def years_known() -> list[dict]:
    """Each year with notice rows: its holiday and make-up day counts, newest first (one query)."""
    return list(PublicDay.objects.filter(voided_at__isnull=True).values("date__year")
                .annotate(holidays=Count("pk", filter=Q(kind=PublicDay.Kind.HOLIDAY)),
                          makeup=Count("pk", filter=Q(kind=PublicDay.Kind.MAKEUP)))
                .order_by("-date__year"))


def year_has_notice(year: int) -> bool:
    return PublicDay.objects.filter(voided_at__isnull=True, date__year=year).exists()


def days_of_year(year: int):
    return PublicDay.objects.filter(voided_at__isnull=True, date__year=year).order_by("date")


def next_year_missing(today: dt.date) -> int | None:
    """In December, next year when it has no notice yet (the managers' home page warns), else None."""
    if today.month != 12 or year_has_notice(today.year + 1):
        return None
    return today.year + 1


def check_weekly(weekly) -> None:
    """Raise CalendarError when ``weekly`` is not seven days of valid, non-overlapping spans."""
    WorkCalendar(name="", weekly=tuple(spans_of(day) for day in weekly))
    if len(weekly) != 7:
        raise CalendarError("a week has 7 days")
