"""Judging one rostered day (REGULATIONS §4), as pure functions: no database in here.

Times are aware datetimes in the local time zone. Seconds are ignored (08:00:59 is on time,
08:01:00 is one minute late): every punch is cut to its minute before it is compared.

- Late minutes are counted from the shift start; a day is late when they exceed the grace
  minutes, and "late beyond the threshold" when they exceed the late threshold (30 by default).
  Early-leave minutes mirror this from the shift end.
- A punch belongs to a shift when it falls in that shift's window (``window_before`` minutes
  before the start to ``window_after`` minutes after the end). Where two days' windows overlap,
  the punch goes to the shift whose working span is nearer.
- Without a direction, the first punch of the window is the clock-in and the last the clock-out.
- A half-day leave covers the first or second half of the shift: the other half is judged by its
  punches, with the shift's midpoint as its start (first half on leave) or end (second half).
"""

import datetime as dt
from dataclasses import dataclass

from staff.models.attendance import DayStatus

# The day codes as a DayStatus stores them: Code.PRESENT ("P"), Code.LATE, Code.EARLY, Code.LATE_EARLY, Code.MISSED,
# Code.ABSENT, Code.LEAVE, Code.REST, and Code.NONE ("") for a day with no status (yet).
Code = DayStatus.Code

FULL, FIRST_HALF, SECOND_HALF = "full", "first_half", "second_half"


@dataclass(frozen=True)
class ShiftSpec:
    code: str
    start: dt.time | None = None
    end: dt.time | None = None
    crosses_midnight: bool = False
    is_rest: bool = False
    grace: int = 0
    late_threshold: int = 30
    early_threshold: int = 30
    window_before: int = 120
    window_after: int = 240

    @classmethod
    def of(cls, shift) -> "ShiftSpec":
        return cls(code=shift.code, start=shift.start, end=shift.end, crosses_midnight=shift.crosses_midnight,
                   is_rest=shift.is_rest, grace=shift.grace_minutes, late_threshold=shift.late_threshold_minutes,
                   early_threshold=shift.early_threshold_minutes, window_before=shift.window_before_minutes,
                   window_after=shift.window_after_minutes)


@dataclass(frozen=True)
class PunchIn:
    at: dt.datetime
    direction: str = ""  # "", "in", "out"


@dataclass(frozen=True)
class LeaveIn:
    part: str = FULL  # full, first_half, second_half
    kind: str = ""


@dataclass(frozen=True)
class Judgement:
    code: str
    late_minutes: int = 0
    early_minutes: int = 0
    late_over: bool = False
    early_over: bool = False
    clock_in: dt.datetime | None = None
    clock_out: dt.datetime | None = None
    leave_fraction: float = 0
    pending: bool = False


def span(day: dt.date, shift: ShiftSpec, tz) -> tuple[dt.datetime, dt.datetime]:
    """The shift's start and end on ``day`` (the end is on the next day when it crosses midnight)."""
    start = dt.datetime.combine(day, shift.start, tzinfo=tz)
    end_day = day + dt.timedelta(days=1) if (shift.crosses_midnight or shift.end <= shift.start) else day
    end = dt.datetime.combine(end_day, shift.end, tzinfo=tz)
    return start, end


def days_of_punch(at: dt.datetime, tz) -> list[dt.date]:
    """The days a punch can count for: its own day's shift or the previous day's (a night shift)."""
    day = at.astimezone(tz).date()
    return [day - dt.timedelta(days=1), day]


def window(day: dt.date, shift: ShiftSpec, tz) -> tuple[dt.datetime, dt.datetime]:
    start, end = span(day, shift, tz)
    return start - dt.timedelta(minutes=shift.window_before), end + dt.timedelta(minutes=shift.window_after)


def _distance(at: dt.datetime, start: dt.datetime, end: dt.datetime) -> float:
    if at < start:
        return (start - at).total_seconds()
    if at > end:
        return (at - end).total_seconds()
    return 0


def punches_of_day(day: dt.date, roster: dict, punches: list[PunchIn], tz) -> list[PunchIn]:
    """The punches that belong to ``day``'s shift. ``roster`` maps dates (at least day-1, day,
    day+1 where rostered) to ShiftSpec; a punch in two windows goes to the nearer shift."""
    shift = roster.get(day)
    if shift is None or shift.is_rest:
        return []
    lo, hi = window(day, shift, tz)
    own = span(day, shift, tz)
    mine = []
    for p in punches:
        if not lo <= p.at <= hi:
            continue
        ours = _distance(p.at, *own)
        taken = False
        for other_day in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
            other = roster.get(other_day)
            if other is None or other.is_rest:
                continue
            olo, ohi = window(other_day, other, tz)
            if olo <= p.at <= ohi:
                theirs = _distance(p.at, *span(other_day, other, tz))
                # ties go to the earlier day (the shift still being closed)
                if theirs < ours or (theirs == ours and other_day < day):
                    taken = True
        if not taken:
            mine.append(p)
    return sorted(mine, key=lambda p: p.at)


def _minute(at: dt.datetime) -> dt.datetime:
    return at.replace(second=0, microsecond=0)


def clock_times(punches: list[PunchIn], midpoint: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Clock-in = the first punch marked "in" or unmarked; clock-out = the last later punch marked
    "out" or unmarked. A single unmarked punch is a clock-in before the midpoint, a clock-out after."""
    punches = sorted(punches, key=lambda p: p.at)
    if not punches:
        return None, None
    if len(punches) == 1:
        p = punches[0]
        if p.direction == "in" or (p.direction == "" and p.at <= midpoint):
            return p.at, None
        return None, p.at
    ins = [p for p in punches if p.direction != "out"]
    first_in = ins[0] if ins else None
    outs = [p for p in punches
            if p.direction != "in" and p is not first_in and (first_in is None or p.at >= first_in.at)]
    last_out = outs[-1] if outs else None
    return (first_in.at if first_in else None), (last_out.at if last_out else None)


def judge_day(*, day: dt.date, shift: ShiftSpec | None, punches: list[PunchIn], tz, leave: LeaveIn | None = None,
              now: dt.datetime | None = None) -> Judgement | None:
    """The status of ``day`` for an employee rostered on ``shift`` with these ``punches`` (already
    those of this day's window, see :func:`punches_of_day`) and an approved ``leave`` covering it.
    ``None`` when the day is not rostered. With ``now`` before the window closes, an incomplete day
    is ``pending`` (no status yet) instead of absent or missed punch."""
    if shift is None:
        return None
    if shift.is_rest:
        return Judgement(code=Code.REST)
    if leave is not None and leave.part == FULL:
        return Judgement(code=Code.LEAVE, leave_fraction=1)
    start, end = span(day, shift, tz)
    midpoint = start + (end - start) / 2
    fraction = 0
    if leave is not None and leave.part == FIRST_HALF:
        start, fraction = midpoint, 0.5
    elif leave is not None and leave.part == SECOND_HALF:
        end, fraction = midpoint, 0.5
    clock_in, clock_out = clock_times(punches, midpoint)
    open_day = now is not None and now <= window(day, shift, tz)[1]
    if clock_in is None and clock_out is None:
        if open_day:
            return Judgement(code=Code.NONE, leave_fraction=fraction, pending=True)
        return Judgement(code=Code.ABSENT, leave_fraction=fraction)
    if clock_in is None or clock_out is None:
        if open_day:
            return Judgement(code=Code.NONE, clock_in=clock_in, clock_out=clock_out, leave_fraction=fraction,
                             pending=True)
        return Judgement(code=Code.MISSED, clock_in=clock_in, clock_out=clock_out, leave_fraction=fraction)
    late = max(0, int((_minute(clock_in) - start).total_seconds() // 60))
    early = max(0, int((end - _minute(clock_out)).total_seconds() // 60))
    is_late = late > shift.grace
    is_early = early > shift.grace
    if is_late and is_early:
        code = Code.LATE_EARLY
    elif is_late:
        code = Code.LATE
    elif is_early:
        code = Code.EARLY
    else:
        code = Code.PRESENT
    return Judgement(
        code=code,
        late_minutes=late if is_late else 0,
        early_minutes=early if is_early else 0,
        late_over=is_late and late > shift.late_threshold,
        early_over=is_early and early > shift.early_threshold,
        clock_in=clock_in,
        clock_out=clock_out,
        leave_fraction=fraction,
    )
