"""The day cases of REGULATIONS §4, on the pure judging function (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from staff.attendance.rules import LeaveIn, PunchIn, ShiftSpec, judge_day, punches_of_day

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 10)
A = ShiftSpec("A", dt.time(8, 0), dt.time(17, 0))
N = ShiftSpec("N", dt.time(17, 30), dt.time(1, 0), crosses_midnight=True)
REST = ShiftSpec("REST", is_rest=True)


def at(text, day=DAY):
    """'08:00:59' on DAY, or '+1 00:30' on the next day."""
    if text.startswith("+1 "):
        day, text = day + dt.timedelta(days=1), text[3:]
    parts = [int(x) for x in text.split(":")]
    return dt.datetime(day.year, day.month, day.day, *parts, tzinfo=TZ)


def punches(*texts):
    out = []
    for t in texts:
        direction = ""
        if t.endswith(" in") or t.endswith(" out"):
            t, direction = t.rsplit(" ", 1)
        out.append(PunchIn(at(t), direction))
    return out


# (case, shift, punches, leave) -> (code, late minutes, early minutes, late beyond 30, early beyond 30)
CASES = [
    ("on time at exactly the start", A, ("08:00:00", "17:00:00"), None, ("P", 0, 0, False, False)),
    ("on time at 59 seconds past the start", A, ("08:00:59", "17:00:00"), None, ("P", 0, 0, False, False)),
    ("late by 1 minute", A, ("08:01:00", "17:00:00"), None, ("L", 1, 0, False, False)),
    ("late by 30 minutes", A, ("08:30:00", "17:05:00"), None, ("L", 30, 0, False, False)),
    ("late by 30 minutes 59 seconds", A, ("08:30:59", "17:05:00"), None, ("L", 30, 0, False, False)),
    ("late by 31 minutes", A, ("08:31:00", "17:00:00"), None, ("L", 31, 0, True, False)),
    ("early leave by 1 minute", A, ("07:50", "16:59:00"), None, ("E", 0, 1, False, False)),
    ("early leave by 30 minutes", A, ("07:50", "16:30:00"), None, ("E", 0, 30, False, False)),
    ("early leave by 31 minutes", A, ("07:50", "16:29:00"), None, ("E", 0, 31, False, True)),
    ("late and early on one day", A, ("08:10", "16:45"), None, ("LE", 10, 15, False, False)),
    ("late beyond 30 and early beyond 30", A, ("08:45", "16:15"), None, ("LE", 45, 45, True, True)),
    ("one punch only, in the morning", A, ("07:58",), None, ("M", 0, 0, False, False)),
    ("one punch only, in the evening", A, ("17:02",), None, ("M", 0, 0, False, False)),
    ("two punches both marked in", A, ("07:58 in", "08:05 in"), None, ("M", 0, 0, False, False)),
    ("marked directions are used", A, ("07:58 in", "12:00", "17:01 out"), None, ("P", 0, 0, False, False)),
    ("extra punches in between are ignored", A, ("07:58", "12:00", "13:00", "17:01"), None,
     ("P", 0, 0, False, False)),
    ("no punch at all", A, (), None, ("A", 0, 0, False, False)),
    ("approved leave", A, (), LeaveIn("full"), ("V", 0, 0, False, False)),
    ("approved leave with punches anyway", A, ("08:00", "17:00"), LeaveIn("full"), ("V", 0, 0, False, False)),
    ("half-day leave, first half; in by the midpoint", A, ("12:30:59", "17:00"), LeaveIn("first_half"),
     ("P", 0, 0, False, False)),
    ("half-day leave, first half; late after the midpoint", A, ("12:41", "17:00"), LeaveIn("first_half"),
     ("L", 11, 0, False, False)),
    ("half-day leave, second half; out at the midpoint", A, ("08:00", "12:30"), LeaveIn("second_half"),
     ("P", 0, 0, False, False)),
    ("half-day leave, second half; early before the midpoint", A, ("08:00", "12:00"), LeaveIn("second_half"),
     ("E", 0, 30, False, False)),
    ("half-day leave, other half without punches", A, (), LeaveIn("second_half"), ("A", 0, 0, False, False)),
    ("rest day", REST, (), None, ("R", 0, 0, False, False)),
    ("rest day with punches", REST, ("08:00", "17:00"), None, ("R", 0, 0, False, False)),
    ("night shift across midnight, on time", N, ("17:25", "+1 01:00:30"), None, ("P", 0, 0, False, False)),
    ("night shift, late and early across midnight", N, ("17:45", "+1 00:40"), None, ("LE", 15, 20, False, False)),
    ("night shift, early by 31 before midnight", N, ("17:30", "+1 00:29"), None, ("E", 0, 31, False, True)),
    ("night shift, only the morning punch", N, ("+1 01:02",), None, ("M", 0, 0, False, False)),
    ("punch 2 hours before start is in the window", A, ("06:00", "17:00"), None, ("P", 0, 0, False, False)),
]


@pytest.mark.parametrize(("case", "shift", "times", "leave", "expected"), CASES, ids=[c[0] for c in CASES])
def test_day_case(case, shift, times, leave, expected):
    roster = {DAY: shift}
    mine = punches_of_day(DAY, roster, punches(*times), TZ)
    result = judge_day(day=DAY, shift=shift, punches=mine, tz=TZ, leave=leave)
    assert (result.code, result.late_minutes, result.early_minutes, result.late_over, result.early_over) == expected


def test_day_without_roster_has_no_status():
    assert judge_day(day=DAY, shift=None, punches=punches("08:00", "17:00"), tz=TZ) is None


def test_half_day_leave_counts_half_a_day_and_full_leave_one():
    assert judge_day(day=DAY, shift=A, punches=[], tz=TZ, leave=LeaveIn("first_half")).leave_fraction == 0.5
    assert judge_day(day=DAY, shift=A, punches=[], tz=TZ, leave=LeaveIn("full")).leave_fraction == 1


def test_punches_outside_the_window_do_not_count():
    roster = {DAY: A}
    # 05:59 is before the 2-hour window, 21:01 after the 4-hour one
    assert punches_of_day(DAY, roster, punches("05:59", "21:01"), TZ) == []
    assert [p.at for p in punches_of_day(DAY, roster, punches("06:00", "21:00"), TZ)] == [at("06:00"), at("21:00")]


def test_punch_in_the_window_of_the_previous_nights_shift_belongs_to_that_night():
    night, today = DAY - dt.timedelta(days=1), DAY
    roster = {night: N, today: A}
    all_punches = [PunchIn(at("17:28", night)), PunchIn(at("01:02", today)), PunchIn(at("07:59", today)),
                   PunchIn(at("17:00", today))]
    night_punches = punches_of_day(night, roster, all_punches, TZ)
    day_punches = punches_of_day(today, roster, all_punches, TZ)
    assert [p.at for p in night_punches] == [at("17:28", night), at("01:02", today)]
    assert [p.at for p in day_punches] == [at("07:59", today), at("17:00", today)]
    assert judge_day(day=night, shift=N, punches=night_punches, tz=TZ).code == "P"
    assert judge_day(day=today, shift=A, punches=day_punches, tz=TZ).code == "P"


def test_previous_night_punch_does_not_count_on_a_day_without_night_roster():
    """00:58 is in no window of an A day (its window opens 06:00): the day is judged without it."""
    roster = {DAY: A}
    mine = punches_of_day(DAY, roster, [PunchIn(at("00:58")), PunchIn(at("08:00"))], TZ)
    assert judge_day(day=DAY, shift=A, punches=mine, tz=TZ).code == "M"


def test_overlapping_windows_give_the_punch_to_the_nearer_shift():
    night, today = DAY - dt.timedelta(days=1), DAY
    early_shift = ShiftSpec("X", dt.time(6, 0), dt.time(14, 0))  # window opens 04:00, N's closes 05:00
    roster = {night: N, today: early_shift}
    ps = [PunchIn(at("17:30", night)), PunchIn(at("01:30", today)), PunchIn(at("04:30", today)),
          PunchIn(at("14:00", today))]
    assert [p.at for p in punches_of_day(night, roster, ps, TZ)] == [at("17:30", night), at("01:30", today)]
    assert [p.at for p in punches_of_day(today, roster, ps, TZ)] == [at("04:30", today), at("14:00", today)]


@pytest.mark.parametrize(("now", "expected"), [
    ("16:00", ("", True)),   # the window is still open: no status yet
    ("+1 00:00", ("A", False)),  # A's window closed at 21:00
])
def test_open_day_is_pending_until_its_window_closes(now, expected):
    result = judge_day(day=DAY, shift=A, punches=[], tz=TZ, now=at(now))
    assert (result.code, result.pending) == expected


def test_grace_minutes_are_configurable():
    lenient = ShiftSpec("A", dt.time(8, 0), dt.time(17, 0), grace=5)
    ok = judge_day(day=DAY, shift=lenient, punches=punches("08:05:59", "16:55"), tz=TZ)
    late = judge_day(day=DAY, shift=lenient, punches=punches("08:06", "17:00"), tz=TZ)
    assert (ok.code, late.code, late.late_minutes) == ("P", "L", 6)
