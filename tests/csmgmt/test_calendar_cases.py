"""Due times on working calendars (REGULATIONS §9), computed by hand from the rule, one case a row.

The 2026 dates are the State Council's notice as the ``chinese-calendar`` package (1.11.0) carries it, written
out here: Spring Festival 02-15…02-23 off, make-up Saturdays 02-14 and 02-28; Mid-autumn 09-25…09-27 and
National Day 10-01…10-07 off, make-up Sunday 09-20 and Saturday 10-10; New Year 01-01…01-03 off, make-up Sunday
01-04. 2026-12-04 is a Friday.

Office calendar (工程部): Monday–Friday 08:30–17:30 (9 hours a day), closed on holidays, open on make-up days.
Customer service (客服部): every day 08:00–01:00 the next morning (17 hours), holidays included.
"""

import datetime as dt

import pytest

from csmgmt.core.calendar import (SHANGHAI, NoWorkingTime, WorkCalendar, due_at, due_time, every_day_calendar,
                                  office_calendar, span)


def d(text):
    return dt.date.fromisoformat(text)


def t(text):
    """'2026-09-29 10:00' in Beijing time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def days(first, last):
    a, b = d(first), d(last)
    return {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}


HOLIDAYS_2026 = (days("2026-01-01", "2026-01-03") | days("2026-02-15", "2026-02-23")
                 | days("2026-04-04", "2026-04-06") | days("2026-05-01", "2026-05-05")
                 | days("2026-06-19", "2026-06-21") | days("2026-09-25", "2026-09-27")
                 | days("2026-10-01", "2026-10-07"))
MAKEUP_2026 = {d("2026-01-04"), d("2026-02-14"), d("2026-02-28"), d("2026-05-09"), d("2026-09-20"),
               d("2026-10-10")}

OFFICE = office_calendar("工程部", holidays=HOLIDAYS_2026, makeup_days=MAKEUP_2026)
CS = every_day_calendar("客服部")
PLAIN_OFFICE = office_calendar("工程部")
CLOSED_TUE = office_calendar("工程部", exceptions={d("2026-12-08"): ()})
SHORT_TUE = office_calendar("工程部", exceptions={d("2026-12-08"): (span("13:00", "15:00"),)})
LUNCH = WorkCalendar(name="财务部", weekly=((span("08:30", "12:00"), span("13:30", "17:30")),) * 5 + ((), ()))
LATE_MONDAY = WorkCalendar(name="保安部", weekly=((span("09:00", "18:00"),),) + ((span("08:30", "17:30"),),) * 4
                           + ((), ()), holidays=HOLIDAYS_2026, makeup_days=MAKEUP_2026)

H, D, C = "working_hours", "working_days", "calendar"

CASES = [
    # --- National Day 2026 on the office calendar ---
    ("nd-48h-before-holiday", OFFICE, "2026-09-29 10:00", 48, H, (), "2026-10-12 13:00"),
    ("nd-2d-from-eve", OFFICE, "2026-09-30 16:00", 2, D, (), "2026-10-09 16:00"),
    ("nd-3d-lands-on-makeup-sat", OFFICE, "2026-09-30 16:00", 3, D, (), "2026-10-10 16:00"),
    ("nd-4d-skips-sunday", OFFICE, "2026-09-30 16:00", 4, D, (), "2026-10-12 16:00"),
    ("nd-1d-started-after-hours", OFFICE, "2026-09-30 18:00", 1, D, (), "2026-10-09 08:30"),
    ("nd-3h-started-after-hours", OFFICE, "2026-09-30 18:00", 3, H, (), "2026-10-08 11:30"),
    ("nd-48-calendar-hours", OFFICE, "2026-09-30 18:00", 48, C, (), "2026-10-02 18:00"),
    ("nd-1h-half-before", OFFICE, "2026-09-30 17:00", 1, H, (), "2026-10-08 09:00"),
    ("nd-started-on-holiday", OFFICE, "2026-10-03 11:00", 2, H, (), "2026-10-08 10:30"),
    ("nd-1d-started-on-holiday", OFFICE, "2026-10-05 09:00", 1, D, (), "2026-10-09 08:30"),
    ("makeup-sunday-from-saturday", OFFICE, "2026-09-19 10:00", 2, H, (), "2026-09-20 10:30"),
    ("makeup-sunday-8h", OFFICE, "2026-09-20 10:00", 8, H, (), "2026-09-21 09:00"),
    ("mid-autumn-4h", OFFICE, "2026-09-24 15:00", 4, H, (), "2026-09-28 10:00"),
    ("mid-autumn-1d", OFFICE, "2026-09-24 15:00", 1, D, (), "2026-09-28 15:00"),
    ("makeup-sat-1d", OFFICE, "2026-10-10 09:00", 1, D, (), "2026-10-12 09:00"),
    ("makeup-sat-9h", OFFICE, "2026-10-10 09:00", 9, H, (), "2026-10-12 09:00"),
    ("makeup-sat-before-hours", OFFICE, "2026-10-10 07:00", 1, H, (), "2026-10-10 09:30"),
    ("makeup-sat-works-monday-hours", LATE_MONDAY, "2026-10-10 08:30", 1, H, (), "2026-10-10 10:00"),
    ("late-monday-tuesday-hours", LATE_MONDAY, "2026-10-13 08:30", 1, H, (), "2026-10-13 09:30"),
    ("late-monday-friday-to-monday", LATE_MONDAY, "2026-10-16 17:00", 1, H, (), "2026-10-19 09:30"),
    # --- Spring Festival 2026 ---
    ("sf-48h", OFFICE, "2026-02-13 14:00", 48, H, (), "2026-02-27 17:00"),
    ("sf-3d", OFFICE, "2026-02-13 14:00", 3, D, (), "2026-02-25 14:00"),
    ("sf-makeup-sat-1d", OFFICE, "2026-02-14 10:00", 1, D, (), "2026-02-24 10:00"),
    ("sf-makeup-sat-after-hours", OFFICE, "2026-02-14 18:00", 2, H, (), "2026-02-24 10:30"),
    ("sf-started-on-holiday", OFFICE, "2026-02-16 10:00", 1, H, (), "2026-02-24 09:30"),
    ("sf-second-makeup-sat-2d", OFFICE, "2026-02-27 16:00", 2, D, (), "2026-03-02 16:00"),
    ("sf-second-makeup-sat-3h", OFFICE, "2026-02-27 16:00", 3, H, (), "2026-02-28 10:00"),
    ("sf-168-calendar-hours", OFFICE, "2026-02-13 14:00", 168, C, (), "2026-02-20 14:00"),
    ("new-year-2d", OFFICE, "2025-12-31 16:00", 2, D, (), "2026-01-05 16:00"),
    ("new-year-makeup-sunday-2h", OFFICE, "2026-01-02 10:00", 2, H, (), "2026-01-04 10:30"),
    # --- outside working hours, ordinary weeks ---
    ("before-hours", OFFICE, "2026-12-07 07:00", 2, H, (), "2026-12-07 10:30"),
    ("after-hours", OFFICE, "2026-12-07 20:00", 2, H, (), "2026-12-08 10:30"),
    ("friday-evening-1d", OFFICE, "2026-12-04 18:00", 1, D, (), "2026-12-08 08:30"),
    ("saturday-3h", OFFICE, "2026-12-05 12:00", 3, H, (), "2026-12-07 11:30"),
    ("at-closing-time", OFFICE, "2026-12-07 17:30", 1, H, (), "2026-12-08 09:30"),
    ("whole-day-ends-at-closing", OFFICE, "2026-12-07 08:30", 9, H, (), "2026-12-07 17:30"),
    ("zero-hours-in-hours", OFFICE, "2026-12-07 08:30", 0, H, (), "2026-12-07 08:30"),
    ("zero-days-in-hours", OFFICE, "2026-12-07 12:00", 0, D, (), "2026-12-07 12:00"),
    ("zero-hours-at-weekend", OFFICE, "2026-12-05 07:00", 0, H, (), "2026-12-07 08:30"),
    ("friday-2h-over-weekend", OFFICE, "2026-12-04 16:00", 2, H, (), "2026-12-07 09:00"),
    ("friday-2d", OFFICE, "2026-12-04 16:00", 2, D, (), "2026-12-08 16:00"),
    ("quarter-hours", OFFICE, "2026-12-07 17:00", 0.75, H, (), "2026-12-08 08:45"),
    # --- the customer-service night span across midnight ---
    ("cs-night-3h", CS, "2026-12-04 23:00", 3, H, (), "2026-12-05 09:00"),
    ("cs-after-midnight-2h", CS, "2026-12-05 00:30", 2, H, (), "2026-12-05 09:30"),
    ("cs-closed-hours-2h", CS, "2026-12-05 03:00", 2, H, (), "2026-12-05 10:00"),
    ("cs-on-national-day", CS, "2026-10-01 10:00", 2, H, (), "2026-10-01 12:00"),
    ("cs-spring-festival-night", CS, "2026-02-15 22:00", 4, H, (), "2026-02-16 09:00"),
    ("cs-after-midnight-1d", CS, "2026-12-05 00:30", 1, D, (), "2026-12-06 00:30"),
    ("cs-closed-hours-1d", CS, "2026-12-05 03:00", 1, D, (), "2026-12-06 08:00"),
    ("cs-2d", CS, "2026-12-04 12:00", 2, D, (), "2026-12-06 12:00"),
    ("cs-17h", CS, "2026-12-04 12:00", 17, H, (), "2026-12-05 12:00"),
    ("cs-13h-ends-at-one", CS, "2026-12-04 12:00", 13, H, (), "2026-12-05 01:00"),
    ("cs-last-minute", CS, "2026-12-04 00:59", 1, H, (), "2026-12-04 08:59"),
    ("cs-before-opening", CS, "2026-12-04 07:59", 2, H, (), "2026-12-04 10:00"),
    ("cs-holiday-1d", CS, "2026-02-17 10:00", 1, D, (), "2026-02-18 10:00"),
    ("cs-new-year-3d", CS, "2026-12-31 20:00", 3, D, (), "2027-01-03 20:00"),
    # --- pauses ---
    ("pause-across-national-day", OFFICE, "2026-09-29 10:00", 48, H,
     (("2026-09-30 15:00", "2026-10-08 10:00"),), "2026-10-12 17:00"),
    ("pause-across-national-day-2d", OFFICE, "2026-09-30 10:00", 2, D,
     (("2026-09-30 15:00", "2026-10-08 10:00"),), "2026-10-09 14:00"),
    ("pause-calendar-hours", OFFICE, "2026-09-30 10:00", 48, C,
     (("2026-10-01 00:00", "2026-10-08 00:00"),), "2026-10-09 10:00"),
    ("pause-on-holiday-only", OFFICE, "2026-09-30 16:00", 2, H,
     (("2026-10-02 10:00", "2026-10-03 10:00"),), "2026-10-08 09:00"),
    ("open-pause-before-due", OFFICE, "2026-12-07 09:00", 2, H, (("2026-12-07 10:00", None),), None),
    ("open-pause-after-due", OFFICE, "2026-12-07 09:00", 2, H, (("2026-12-07 12:00", None),), "2026-12-07 11:00"),
    ("pause-over-start", OFFICE, "2026-12-07 09:00", 2, H, (("2026-12-07 08:00", "2026-12-07 10:00"),),
     "2026-12-07 12:00"),
    ("cs-pause-over-night", CS, "2026-12-04 23:00", 3, H, (("2026-12-04 23:30", "2026-12-05 08:30"),),
     "2026-12-05 11:00"),
    ("overlapping-pauses", OFFICE, "2026-12-07 09:00", 2, H,
     (("2026-12-07 10:00", "2026-12-07 11:00"), ("2026-12-07 10:30", "2026-12-07 11:30")), "2026-12-07 12:30"),
    ("pause-in-days", OFFICE, "2026-12-07 09:00", 1, D, (("2026-12-07 12:00", "2026-12-07 14:00"),),
     "2026-12-08 11:00"),
    ("pause-calendar-2h", CS, "2026-12-04 10:00", 2, C, (("2026-12-04 10:30", "2026-12-04 11:00"),),
     "2026-12-04 12:30"),
    # --- the department's own dated exceptions, lunch breaks ---
    ("own-closed-day", CLOSED_TUE, "2026-12-07 16:00", 3, H, (), "2026-12-09 10:00"),
    ("own-short-day", SHORT_TUE, "2026-12-07 16:00", 3, H, (), "2026-12-08 14:30"),
    ("short-day-after-its-hours", SHORT_TUE, "2026-12-07 16:00", 1, D, (), "2026-12-08 15:00"),
    ("short-day-before-its-hours", SHORT_TUE, "2026-12-07 10:00", 1, D, (), "2026-12-08 13:00"),
    ("lunch-break-hours", LUNCH, "2026-12-07 11:00", 2, H, (), "2026-12-07 14:30"),
    ("started-in-lunch-1d", LUNCH, "2026-12-07 12:30", 1, D, (), "2026-12-08 13:30"),
    ("calendar-2h-over-midnight", CS, "2026-12-04 23:00", 2, C, (), "2026-12-05 01:00"),
    ("calendar-72h", OFFICE, "2026-09-30 18:00", 72, C, (), "2026-10-03 18:00"),
    ("no-holidays-known", PLAIN_OFFICE, "2026-09-30 16:00", 2, D, (), "2026-10-02 16:00"),
]


@pytest.mark.parametrize("name,calendar,start,length,unit,pauses,expected", CASES, ids=[c[0] for c in CASES])
def test_due_time_by_hand(name, calendar, start, length, unit, pauses, expected):
    pauses = [(t(a), t(b) if b else None) for a, b in pauses]
    got = due_at(start=t(start), length=length, unit=unit, calendar=calendar, pauses=pauses)
    assert got == (t(expected) if expected else None)


def test_at_least_sixty_cases():
    assert len(CASES) >= 60


def test_calendar_edited_while_a_clock_runs():
    """Monday 16:00 + 9 working hours is Tuesday 16:00; the department then closes on Tuesday: Wednesday 16:00."""
    start = t("2026-12-07 16:00")
    assert due_at(start=start, length=9, unit=H, calendar=PLAIN_OFFICE) == t("2026-12-08 16:00")
    assert due_at(start=start, length=9, unit=H, calendar=CLOSED_TUE) == t("2026-12-09 16:00")


def test_counted_intervals_say_why():
    due = due_time(start=t("2026-09-29 10:00"), length=48, unit=H, calendar=OFFICE)
    assert [(a.strftime("%m-%d %H:%M"), b.strftime("%H:%M")) for a, b in due.counted] == [
        ("09-29 10:00", "17:30"), ("09-30 08:30", "17:30"), ("10-08 08:30", "17:30"), ("10-09 08:30", "17:30"),
        ("10-10 08:30", "17:30"), ("10-12 08:30", "13:00")]
    assert due.calendar == "工程部"


def test_a_calendar_without_working_time_raises():
    nothing = WorkCalendar(name="空", weekly=((),) * 7)
    with pytest.raises(NoWorkingTime):
        due_at(start=t("2026-12-07 09:00"), length=1, unit=H, calendar=nothing)
    with pytest.raises(NoWorkingTime):
        due_at(start=t("2026-12-07 09:00"), length=1, unit=D, calendar=nothing)


def test_only_dated_working_time_runs_out():
    """Working only on one dated day: a clock needing more than that day has raises, never loops."""
    one_day = WorkCalendar(name="临时", weekly=((),) * 7, exceptions={d("2026-12-08"): (span("09:00", "10:00"),)})
    assert due_at(start=t("2026-12-07 09:00"), length=0.5, unit=H, calendar=one_day) == t("2026-12-08 09:30")
    with pytest.raises(NoWorkingTime):
        due_at(start=t("2026-12-07 09:00"), length=2, unit=H, calendar=one_day)


def test_a_long_run_of_holidays_is_crossed():
    """Holidays for 30 days in a row (more than any week-long guard) are crossed, not given up on."""
    long_break = office_calendar("工程部", holidays=days("2026-12-01", "2026-12-30"))
    assert due_at(start=t("2026-11-30 17:00"), length=1, unit=H, calendar=long_break) == t("2026-12-31 09:00")
