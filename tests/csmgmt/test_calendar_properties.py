"""Properties of the due-time function (hypothesis), on random calendars: spans per weekday between 06:00 and
06:00 the next morning (so some cross midnight), random holidays, make-up days and dated exceptions."""

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from csmgmt.core.calendar import SHANGHAI, WorkCalendar, due_at

BASE = dt.date(2026, 1, 1)
WORKING = ("working_hours", "working_days")


@st.composite
def day_spans(draw):
    """0–2 spans inside 06:00 … 30:00 (minutes), never overlapping."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=96), min_size=0, max_size=4, unique=True)))
    cuts = cuts[: len(cuts) // 2 * 2]
    spans = ((360 + cuts[i] * 15, 360 + cuts[i + 1] * 15) for i in range(0, len(cuts), 2))
    return tuple((a, b) for a, b in spans if a < 24 * 60)  # a span starts on its own day


def dates():
    return st.integers(min_value=0, max_value=120).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def calendars(draw):
    weekly = tuple(draw(day_spans()) for _ in range(7))
    assume(any(weekly))
    return WorkCalendar(
        name="随机", weekly=weekly,
        holidays=frozenset(draw(st.lists(dates(), max_size=15))),
        makeup_days=frozenset(draw(st.lists(dates(), max_size=4))),
        exceptions=draw(st.dictionaries(dates(), day_spans(), max_size=4)),
        observes_holidays=draw(st.booleans()),
    )


@st.composite
def uniform_calendars(draw):
    """Every working day has the same one span (so a time of day on one working day exists on every other)."""
    one = draw(day_spans().filter(lambda s: len(s) == 1))
    open_days = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    return WorkCalendar(name="整齐", weekly=tuple(one if o else () for o in open_days),
                        holidays=frozenset(draw(st.lists(dates(), max_size=15))),
                        makeup_days=frozenset(draw(st.lists(dates(), max_size=4))))


def moments():
    return st.integers(min_value=0, max_value=100 * 24 * 4).map(
        lambda q: dt.datetime.combine(BASE, dt.time(), tzinfo=SHANGHAI) + dt.timedelta(minutes=15 * q))


@st.composite
def pause_lists(draw, max_size=3):
    out = []
    for start in draw(st.lists(moments(), max_size=max_size)):
        out.append((start, start + dt.timedelta(minutes=15 * draw(st.integers(min_value=1, max_value=800)))))
    return out


def lengths(unit):
    if unit == "working_days":
        return st.integers(min_value=0, max_value=12)
    return st.integers(min_value=0, max_value=400).map(lambda q: q / 4)  # quarter hours: exact in binary


units = st.sampled_from(["calendar", *WORKING])


def due(start, length, unit, cal, pauses=()):
    return due_at(start=start, length=length, unit=unit, calendar=cal, pauses=pauses)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), unit=units, data=st.data(), pauses=pause_lists())
def test_due_is_never_before_start(cal, start, unit, data, pauses):
    length = data.draw(lengths(unit))
    assert due(start, length, unit, cal, pauses) >= start


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), unit=units, data=st.data(), pauses=pause_lists())
def test_a_longer_length_is_never_due_earlier(cal, start, unit, data, pauses):
    a, b = sorted([data.draw(lengths(unit)), data.draw(lengths(unit))])
    assert due(start, a, unit, cal, pauses) <= due(start, b, unit, cal, pauses)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), unit=units, data=st.data(), pauses=pause_lists(), extra=pause_lists(1))
def test_adding_a_pause_is_never_due_earlier(cal, start, unit, data, pauses, extra):
    length = data.draw(lengths(unit))
    assert due(start, length, unit, cal, pauses) <= due(start, length, unit, cal, pauses + extra)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), length=lengths("calendar"))
def test_calendar_time_is_plain_addition(cal, start, length):
    assert due(start, length, "calendar", cal) == start + dt.timedelta(hours=length)


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), unit=st.sampled_from(["calendar", "working_hours"]),
       a=lengths("working_hours"), b=lengths("working_hours").filter(bool), pauses=pause_lists())
def test_split_in_two_and_chained_is_the_same(cal, start, unit, a, b, pauses):
    middle = due(start, a, unit, cal, pauses)
    assert due(middle, b, unit, cal, pauses) == due(start, a + b, unit, cal, pauses)


@settings(max_examples=200, deadline=None)
@given(cal=uniform_calendars(), start=moments(), a=lengths("working_days"), b=lengths("working_days"))
def test_working_days_split_in_two_and_chained_is_the_same(cal, start, a, b):
    middle = due(start, a, "working_days", cal)
    assert due(middle, b, "working_days", cal) == due(start, a + b, "working_days", cal)


def _inside_working_hours(cal, moment):
    local = moment.astimezone(SHANGHAI).replace(tzinfo=None)
    for x, y, _day in cal.intervals(local - dt.timedelta(days=2)):
        if x <= local <= y:
            return True
        if x > local:
            return False


@settings(max_examples=200, deadline=None)
@given(cal=calendars(), start=moments(), unit=st.sampled_from(WORKING), data=st.data(), pauses=pause_lists())
def test_working_time_always_ends_inside_working_hours(cal, start, unit, data, pauses):
    at = due(start, data.draw(lengths(unit)), unit, cal, pauses)
    assert _inside_working_hours(cal, at)
