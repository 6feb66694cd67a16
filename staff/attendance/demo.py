"""Demo attendance for ``load_demo`` (runs after ``staff.demo``): this month's and last month's
roster for the two customer-service teams (A/B swapping weekly, W at weekends, one night shift a
week), punches up to yesterday with a few late, early, missed and absent days, leave requests in
each state, a correction waiting, and signed handover entries. Idempotent."""

import datetime as dt
import random

from django.utils import timezone

from staff.models import Correction, DayStatus, DutyLogEntry, Employee, LeaveEvent, LeaveRequest, Punch, RosterEntry, Shift

from .selectors import local_tz
from .services import day_status_recompute

TEAMS = {"CS002": ["CS101", "CS102", "CS103", "CS104", "CS105", "CS301"],
         "CS003": ["CS201", "CS202", "CS203", "CS204"]}


def _shift_for(index: int, day: dt.date, week: int) -> str:
    if day.weekday() == 6:
        return "REST"
    if day.weekday() == 5:
        return "W" if index % 2 == 0 else "REST"
    if day.weekday() == 2 and index == 3:
        return "N"
    ab = "A" if (index + week) % 2 == 0 else "B"
    return ab


def load(stdout=None):
    tz = local_tz()
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last = (today.replace(day=28) + dt.timedelta(days=10)).replace(day=1) - dt.timedelta(days=1)
    shifts = {s.code: s for s in Shift.objects.all()}
    people = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=[
        n for nos in TEAMS.values() for n in nos] + list(TEAMS) + ["CS001"])}
    if len(people) < 3:
        return
    cells = punches = 0
    staff = [(sup, no) for sup, nos in TEAMS.items() for no in nos if no in people] + [
        ("CS001", sup) for sup in TEAMS if sup in people]
    for index, (sup_no, no) in enumerate(staff):
        employee = people[no]
        day = first
        while day <= last:
            code = _shift_for(index, day, day.isocalendar()[1])
            _, created = RosterEntry.objects.get_or_create(employee=employee, date=day,
                                                           defaults={"shift": shifts[code], "set_by": people.get(sup_no)})
            cells += created
            if day < today and code != "REST":
                rng = random.Random(f"{no}-{day}")  # the same punches every run
                s = shifts[code]
                start = dt.datetime.combine(day, s.start, tzinfo=tz)
                end = dt.datetime.combine(day + dt.timedelta(days=1 if s.crosses_midnight else 0), s.end, tzinfo=tz)
                roll = rng.random()
                if roll < 0.03:
                    times = []  # absent
                elif roll < 0.07:
                    times = [start - dt.timedelta(minutes=rng.randint(3, 15))]  # missed punch
                else:
                    late = rng.choice([0] * 12 + [3, 12, 35])
                    early = rng.choice([0] * 14 + [10, 40])
                    times = [start - dt.timedelta(minutes=rng.randint(2, 20)) + dt.timedelta(minutes=late),
                             end + dt.timedelta(minutes=rng.randint(1, 15)) - dt.timedelta(minutes=early)]
                for i, at in enumerate(times):
                    Punch.objects.get_or_create(employee=employee, at=at.replace(second=rng.randint(0, 59)),
                                                defaults={"source": "import", "direction": "in" if i == 0 else "out"})
                    punches += 1
            day += dt.timedelta(days=1)
        day = first
        while day < today:
            day_status_recompute(employee_id=employee.pk, date=day)
            day += dt.timedelta(days=1)
    _leave(people, today)
    _duty(people, shifts, today)
    if stdout:
        stdout.write(f"  attendance: {cells} roster cells, {punches} punches, "
                     f"{DayStatus.objects.count()} day statuses, {LeaveRequest.objects.count()} leave requests")


def _leave(people, today):
    sup = people.get("CS002")
    samples = [
        ("CS101", "annual", 7, 7, "full", "pending_supervisor", "回老家探亲"),
        ("CS102", "personal", 3, 3, "first_half", "pending_supervisor", "孩子开家长会"),
        ("CS103", "annual", 10, 14, "full", "pending_manager", "春节提前回家"),
        ("CS104", "comp", 2, 2, "full", "approved", "上周加班调休"),
        ("CS105", "official", 5, 6, "full", "approved", "参加总部服务培训"),
        ("CS201", "personal", 4, 4, "full", "refused", "私事"),
    ]
    for no, kind, start, end, part, state, reason in samples:
        employee = people.get(no)
        if employee is None:
            continue
        leave, created = LeaveRequest.objects.get_or_create(
            employee=employee, reason=reason,
            defaults={"kind": kind, "start_date": today + dt.timedelta(days=start),
                      "end_date": today + dt.timedelta(days=end), "part": part, "state": state,
                      "approved_at": timezone.now() if state == "approved" else None})
        if created:
            LeaveEvent.objects.create(leave=leave, by=employee, action="request", to_state="pending_supervisor")
            if state != "pending_supervisor" and sup:
                LeaveEvent.objects.create(leave=leave, by=sup, action="refuse" if state == "refused" else "approve",
                                          from_state="pending_supervisor", to_state=state,
                                          comment="排班紧张" if state == "refused" else "")
    missed = DayStatus.objects.filter(code="M", employee__employee_no="CS102").order_by("-date").first()
    if missed and not Correction.objects.filter(employee=missed.employee, date=missed.date).exists():
        Correction.objects.create(employee=missed.employee, date=missed.date, kind="punch", reason="下班忘记打卡",
                                  punch_at=dt.datetime.combine(missed.date, dt.time(17, 5), tzinfo=local_tz()),
                                  direction="out")


def _duty(people, shifts, today):
    texts = [
        ("上午来电 86 通，投诉 2 起已转质量管理部。", "王先生退货申请待财务确认", "TS-投诉 2 件处理中", "值班手机、前台钥匙一把", "周五前完成回访"),
        ("系统 10 点短暂中断 5 分钟，已恢复。", "3 个回访电话未接通，明天再拨", "无", "失物柜钥匙", "注意春节话术"),
    ]
    for back, (events, unfinished, complaints, handed, instructions) in zip((2, 1), texts):
        day = today - dt.timedelta(days=back)
        out, inc = people.get("CS101"), people.get("CS201")
        if out is None or inc is None:
            continue
        DutyLogEntry.objects.get_or_create(
            date=day, shift=shifts["A"], addendum_to=None,
            defaults={"duty_manager": "李秀梅", "events": events, "unfinished_work": unfinished,
                      "complaints_in_progress": complaints, "handed_over": handed, "instructions": instructions,
                      "outgoing": out, "outgoing_signed_at": timezone.now() - dt.timedelta(days=back, hours=-9),
                      "incoming": inc, "incoming_signed_at": timezone.now() - dt.timedelta(days=back, hours=-9)})
