"""Working calendars and due times (REGULATIONS §9): one pure function, no database inside.

A :class:`WorkCalendar` is a value: weekly working spans per weekday (a span may cross midnight, as the
customer-service department's 08:00–01:00 does: it belongs to the day it starts on), dated exceptions (a day's
own spans, or none: the department is closed), public holidays (closed, when the calendar observes them) and
make-up working days (补班: they work the Monday spans).

:func:`due_time` computes when a clock is due from its start, length, unit, calendar and pauses:

- ``calendar``: plain elapsed time (paused time not counted);
- ``working_hours``: the length counts working minutes of the calendar, from the first working moment at or
  after the start;
- ``working_days``: due at the same time of day on the Nth working day after the day of the first working
  moment (a clock started outside working hours starts counting at the next working moment). When that time of
  day is not working time on the Nth day *(our choice)*: before its first span, the span's start; after its
  last, the last span's end; between two spans, the earlier span's end. Working time paused between the first
  working moment and that due time is then added on as working hours.

Paused time never counts. A pause still open (``end`` None) that starts before the clock would be due leaves
the due time unknown (None). There is no iteration cap that gives up: a calendar with no working time ahead
raises :class:`NoWorkingTime`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

DAY = 24 * 60  # minutes
SHANGHAI = ZoneInfo("Asia/Shanghai")
_FAR = dt.datetime(9000, 1, 1)


class Unit(StrEnum):
    CALENDAR = "calendar"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


class CalendarError(ValueError):
    """A calendar or a length the rules refuse (``str(exc)`` says why)."""


class NoWorkingTime(CalendarError):
    """The calendar has no working time at or after the moment asked for."""


Span = tuple[int, int]  # minutes from the day's midnight: start in [0, 1440), end > start, end - start <= 1440


def span(start: str, end: str) -> Span:
    """``span("08:00", "01:00")`` → (480, 1500): an end at or before the start is on the next day."""
    a = _minutes(start)
    b = _minutes(end)
    if b <= a:
        b += DAY
    return (a, b)


def _minutes(text: str) -> int:
    hh, mm = text.split(":")
    value = int(hh) * 60 + int(mm)
    if not 0 <= value <= DAY:
        raise CalendarError(f"{text} is not a time of day")
    return value % DAY


def _check_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    spans = tuple(sorted((int(a), int(b)) for a, b in spans))
    last_end = None
    for a, b in spans:
        if not 0 <= a < DAY or b <= a or b - a > DAY:
            raise CalendarError(f"span {a}-{b}: a span starts within its day and lasts more than 0, at most 24 hours")
        if last_end is not None and a < last_end:
            raise CalendarError(f"span {a}-{b} overlaps the one before it")
        last_end = b
    return spans


@dataclass(frozen=True)
class WorkCalendar:
    """A department's working time. ``weekly[0]`` is Monday's spans … ``weekly[6]`` Sunday's."""

    name: str
    weekly: tuple[tuple[Span, ...], ...]
    holidays: frozenset[dt.date] = frozenset()
    makeup_days: frozenset[dt.date] = frozenset()
    exceptions: Mapping[dt.date, tuple[Span, ...]] = field(default_factory=dict)
    observes_holidays: bool = True
    tz: dt.tzinfo = SHANGHAI

    def __post_init__(self):
        if len(self.weekly) != 7:
            raise CalendarError("a week has 7 days")
        object.__setattr__(self, "weekly", tuple(_check_spans(s) for s in self.weekly))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_days", frozenset(self.makeup_days))
        object.__setattr__(self, "exceptions", {d: _check_spans(s) for d, s in dict(self.exceptions).items()})
        dated = [*self.exceptions]
        if self.observes_holidays:
            dated += [*self.holidays, *self.makeup_days]
        # after this day only the weekly spans apply: a walk past it a week long has found them all
        object.__setattr__(self, "_last_dated", max(dated) if dated else dt.date.min)
        object.__setattr__(self, "_days", {})  # day -> its spans as local naive datetimes (a cache)

    def spans_on(self, day: dt.date) -> tuple[Span, ...]:
        """The working spans that start on ``day``: its exception, else closed on a holiday, the Monday spans on a
        make-up day, else the weekday's."""
        if day in self.exceptions:
            return self.exceptions[day]
        if self.observes_holidays:
            if day in self.holidays:
                return ()
            if day in self.makeup_days:
                return self.weekly[0]
        return self.weekly[day.weekday()]

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.spans_on(day))

    def intervals(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime, dt.date]]:
        """Working intervals (local naive start, end, the day they belong to) that end after ``start`` (local
        naive), in order, never overlapping: a span reaching into the next day's first one is cut there.
        Raises :class:`NoWorkingTime` when none is left."""
        day = start.date() - dt.timedelta(days=1)  # yesterday's span may run past midnight
        cursor = start
        empty_since = None
        cache = self._days
        while True:
            spans = cache.get(day)
            if spans is None:
                base = dt.datetime.combine(day, dt.time())
                spans = cache[day] = tuple((base + dt.timedelta(minutes=a), base + dt.timedelta(minutes=b))
                                           for a, b in self.spans_on(day))
            for x, y in spans:
                if x < cursor:
                    x = cursor
                if y > x:
                    yield x, y, day
                    cursor = y
            if spans:
                empty_since = None
            elif day > self._last_dated:
                empty_since = empty_since or day
                if (day - empty_since).days >= 7:
                    raise NoWorkingTime(f"{self.name}: no working time after {start:%Y-%m-%d %H:%M}")
            day += dt.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """A computed due time (aware, or None while an open pause holds the clock) and the intervals counted
    (aware start, end pairs: the working time, less pauses, from the first counted moment to the due time)."""

    at: dt.datetime | None
    counted: tuple[tuple[dt.datetime, dt.datetime], ...]
    calendar: str


def _local(moment: dt.datetime, tz) -> dt.datetime:
    if moment.tzinfo is None:
        raise CalendarError("due times are computed from aware datetimes")
    return moment.astimezone(tz).replace(tzinfo=None)


def _pauses(pauses, tz) -> tuple[list[tuple[dt.datetime, dt.datetime]], dt.datetime | None]:
    """Closed pauses merged and sorted (local naive), and the start of the earliest open one (or None)."""
    closed, open_at = [], None
    for a, b in pauses:
        a = _local(a, tz)
        if b is None:
            open_at = a if open_at is None else min(open_at, a)
            continue
        b = _local(b, tz)
        if b > a:
            closed.append((a, b))
    closed.sort()
    merged: list[list[dt.datetime]] = []
    for a, b in closed:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if open_at is not None:  # an open pause swallows every later closed one
        merged = [[a, min(b, open_at)] for a, b in merged if a < open_at]
    return [(a, b) for a, b in merged], open_at


class _Open(Exception):
    """Counting reached the start of an open pause."""


def _unpaused(x, y, pauses, starts, open_at):
    """The pieces of [x, y) outside the pauses; raises _Open when [x, y) reaches an open pause."""
    i = max(bisect.bisect_right(starts, x) - 1, 0)
    while x < y:
        if open_at is not None and x >= open_at:
            raise _Open
        limit = y if open_at is None else min(y, open_at)
        while i < len(pauses) and pauses[i][1] <= x:
            i += 1
        if i < len(pauses) and pauses[i][0] <= x:
            x = pauses[i][1]
            continue
        end = min(limit, pauses[i][0]) if i < len(pauses) else limit
        if end > x:
            yield x, end
        x = end
        if open_at is not None and x >= open_at and x < y:
            raise _Open


def _advance(intervals, length: dt.timedelta, pauses, starts, open_at, counted):
    """The moment ``length`` of unpaused time of ``intervals`` is used up (the first unpaused moment for a
    zero length); appends the pieces counted."""
    remaining = length
    for x, y, *_ in intervals:
        for a, b in _unpaused(x, y, pauses, starts, open_at):
            if b - a >= remaining:
                if remaining:
                    counted.append((a, a + remaining))
                return a + remaining
            remaining -= b - a
            counted.append((a, b))
    raise AssertionError("intervals never end")  # pragma: no cover: intervals() raises NoWorkingTime


def _nth_day_at(cal: WorkCalendar, first: dt.datetime, first_day: dt.date, n: int) -> dt.datetime:
    """The same time of day as ``first`` (counted from the midnight of ``first_day``, so a night span's 00:30 is
    24:30) on the Nth working day after ``first_day``, held inside that day's spans."""
    offset = (first - dt.datetime.combine(first_day, dt.time())) / dt.timedelta(minutes=1)
    day, found, idle = first_day, 0, 0
    while found < n:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            found, idle = found + 1, 0
        elif day > cal._last_dated:  # only the weekly spans apply now: a whole week idle has none
            idle += 1
            if idle >= 7:
                raise NoWorkingTime(f"{cal.name}: no working day after {day:%Y-%m-%d}")
    spans = cal.spans_on(day)
    target = spans[0][0]
    for a, b in spans:
        if offset >= a:
            target = min(offset, b)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=target)


def due_time(*, start: dt.datetime, length: int | float, unit: Unit | str, calendar: WorkCalendar,
             pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (), explain: bool = True) -> Due:
    """When a clock started at ``start`` (aware) and running ``length`` (hours, or working days for
    ``working_days``; ≥ 0) is due, on ``calendar``, with paused time (``pauses``: aware (start, end or None))
    not counted. See the module's docstring for the rule. ``explain=False`` leaves ``counted`` empty (faster)."""
    unit = Unit(unit)
    if length < 0:
        raise CalendarError("a clock's length cannot be negative")
    if unit == Unit.WORKING_DAYS and int(length) != length:
        raise CalendarError("a length in working days is a whole number")
    tz = dt.timezone.utc if unit == Unit.CALENDAR else calendar.tz
    closed, open_at = _pauses(pauses, tz)
    starts = [a for a, _ in closed]
    s = _local(start, tz)
    counted: list = []

    def aware(pieces, at):
        return Due(at=None if at is None else at.replace(tzinfo=tz).astimezone(start.tzinfo),
                   counted=tuple((a.replace(tzinfo=tz), b.replace(tzinfo=tz)) for a, b in pieces) if explain else (),
                   calendar=calendar.name)

    try:
        if unit == Unit.CALENDAR:
            return aware(counted, _advance([(s, _FAR)], dt.timedelta(hours=length), closed, starts, open_at,
                                           counted))
        if unit == Unit.WORKING_HOURS:
            return aware(counted, _advance(calendar.intervals(s), dt.timedelta(hours=length), closed, starts,
                                           open_at, counted))
        # working days: the first working, unpaused moment and the day it belongs to
        first = first_day = None
        for x, y, day in calendar.intervals(s):
            piece = next(_unpaused(x, y, closed, starts, open_at), None)
            if piece is not None:
                first, first_day = piece[0], day
                break
        target = _nth_day_at(calendar, first, first_day, int(length))
        lost = dt.timedelta()
        for x, y, _day in calendar.intervals(first):
            y = min(y, target)
            if y > x:
                pieces = list(_unpaused(x, y, closed, starts, open_at))
                counted.extend(pieces)
                lost += (y - x) - sum((b - a for a, b in pieces), dt.timedelta())
            if y >= target:
                break
        if not lost:
            return aware(counted, target)
        return aware(counted, _advance(calendar.intervals(target), lost, closed, starts, open_at, counted))
    except _Open:
        return aware(counted, None)


def due_at(**kwargs) -> dt.datetime | None:
    """:func:`due_time`'s moment alone."""
    return due_time(**kwargs).at


def office_calendar(name: str, *, holidays=(), makeup_days=(), exceptions=None, hours=("08:30", "17:30"),
                    tz=SHANGHAI) -> WorkCalendar:
    """Monday–Friday office hours, closed on public holidays, open on make-up days (REGULATIONS §9's default for
    the departments other than customer service)."""
    weekday = (span(*hours),)
    return WorkCalendar(name=name, weekly=(weekday,) * 5 + ((), ()), holidays=frozenset(holidays),
                        makeup_days=frozenset(makeup_days), exceptions=exceptions or {}, tz=tz)


def every_day_calendar(name: str, *, hours=("08:00", "01:00"), exceptions=None, tz=SHANGHAI) -> WorkCalendar:
    """Every day, holidays included (REGULATIONS §9's default for the customer-service department: 08:00–01:00)."""
    return WorkCalendar(name=name, weekly=((span(*hours),),) * 7, exceptions=exceptions or {},
                        observes_holidays=False, tz=tz)
