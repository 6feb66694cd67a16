"""Attendance for the generated employees over the months: a roster (A/B swapping weekly, weekends W or rest,
a night shift now and then), time-clock punches with realistic lateness, and each day's status judged by the
real rules (``staff.attendance.rules``, pure functions) and written with COPY, as the nightly task would."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from staff.attendance import rules
from staff.models import DayStatus, Punch, RosterEntry, Shift

from .base import analyze, copy_rows


def _code(index, day):
    week = day.isocalendar()[1]
    if day.weekday() >= 5:
        return "W" if (index + week) % 4 == 0 else "REST"
    if day.weekday() == 2 and index % 10 == 3:
        return "N"
    return "A" if (index + week) % 2 == 0 else "B"


def generate(ctx, n):
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    employees = ctx.ids.get("employees", [])[:n]
    if not employees:
        raise SystemExit("no employees: generate some with --employees")
    shifts = {s.code: s for s in Shift.objects.filter(code__in=["A", "B", "W", "N", "REST"])}
    specs = {code: rules.ShiftSpec.of(s) for code, s in shifts.items()}
    today = timezone.localdate()
    first = (today - dt.timedelta(days=ctx.months * 30)).replace(day=1)
    last = today + dt.timedelta(days=14)  # the roster runs two weeks ahead
    dates = [first + dt.timedelta(days=d) for d in range((last - first).days + 1)]
    now = timezone.now()
    done = set(RosterEntry.objects.filter(employee_id__in=employees, date__gte=first)
               .values_list("employee_id", flat=True).distinct())
    roster, punches, statuses = [], [], []
    for index, employee_id in enumerate(employees):
        if employee_id in done:
            continue
        codes = {day: _code(index, day) for day in dates}
        near = {day: specs[code] for day, code in codes.items()}
        for day in dates:
            code = codes[day]
            roster.append((employee_id, day.isoformat(), shifts[code].pk, None, now.isoformat()))
            if day >= today:
                continue
            spec = specs[code]
            mine = []
            if not spec.is_rest:
                start, end = rules.span(day, spec, tz)
                roll = rng.random()
                if roll < 0.01:
                    times = []  # absent
                elif roll < 0.03:
                    times = [start - dt.timedelta(minutes=rng.randint(3, 15))]  # missed punch
                else:
                    late = rng.choice([0] * 20 + [2, 9, 25, 40])
                    early = rng.choice([0] * 25 + [12, 45])
                    times = [start - dt.timedelta(minutes=rng.randint(2, 20)) + dt.timedelta(minutes=late),
                             end + dt.timedelta(minutes=rng.randint(1, 15)) - dt.timedelta(minutes=early)]
                for i, at in enumerate(times):
                    at = at.replace(second=rng.randrange(60))
                    direction = "in" if i == 0 else "out"
                    punches.append((employee_id, at.isoformat(), direction, "import", None, "", None, now.isoformat()))
                    mine.append(rules.PunchIn(at, direction))
            judged = rules.judge_day(day=day, shift=spec, punches=rules.punches_of_day(day, near, mine, tz), tz=tz,
                                     now=now)
            code_ = judged.code
            statuses.append((employee_id, day.isoformat(), shifts[code].pk, code_, code_,
                             judged.late_minutes if code_ in ("L", "LE") else 0,
                             judged.early_minutes if code_ in ("E", "LE") else 0,
                             judged.late_over and code_ in ("L", "LE"), judged.early_over and code_ in ("E", "LE"),
                             judged.clock_in.isoformat() if judged.clock_in else None,
                             judged.clock_out.isoformat() if judged.clock_out else None,
                             judged.leave_fraction, "", "computed", judged.pending, now.isoformat()))
    copy_rows(RosterEntry, ["employee_id", "date", "shift_id", "set_by_id", "updated"], roster)
    copy_rows(Punch, ["employee_id", "at", "direction", "source", "address", "reason", "recorded_by_id", "created"],
              punches)
    copy_rows(DayStatus, ["employee_id", "date", "shift_id", "code", "computed_code", "late_minutes", "early_minutes",
                          "late_over", "early_over", "clock_in", "clock_out", "leave_fraction", "leave_kind",
                          "source", "pending", "updated"], statuses)
    analyze(RosterEntry, Punch, DayStatus)
    ctx.say(f"  attendance: {len(roster)} roster cells, {len(punches)} punches, {len(statuses)} day statuses")
    return len(roster)
