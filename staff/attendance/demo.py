"""Demo attendance for ``load_demo`` (runs after ``staff.demo``): this month's and last month's
roster for the two customer-service teams (A/B swapping weekly, W at weekends, one night shift a
week), punches up to now (never in the future) with a few late, early, missed and absent days, leave
requests in each state (a past week of 调休 and a past sick day with its certificate among them), a
correction waiting, one approved and one refused, a supervisor's manual punch, signed handover entries
with an addendum, and a supervisor's signature under one day. Idempotent: every sample is found again
by its employee and its text, so loading again (later the same day or another day) adds no duplicate."""

import datetime as dt
import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from staff.models import (Correction, DayStatus, DutyDaySignoff, DutyLogEntry, Employee, LeaveDeputy, LeaveRequest,
                          Punch, RosterEntry, Shift)

from . import rules
from .selectors import local_tz
from .services.corrections import correction_decide, correction_request
from .services.days import day_status_recompute
from .services.duty_log import duty_day_sign, duty_entry_create, duty_entry_sign
from .services.leave import leave_approve, leave_cancel, leave_phone_in, leave_refuse, leave_request
from .services.leave_levels import deputy_name
from .services.punches import punch_manual
from .workflow import AttendanceError

TEAMS = {"CS002": ["CS101", "CS102", "CS103", "CS104", "CS105", "CS301"],
         "CS003": ["CS201", "CS202", "CS203", "CS204"]}

COMP_WEEK_REASON = "上月连续加班，集中调休一周"
SICK_REASON = "急性肠胃炎，医院就诊"
APPROVED_CORRECTION_REASON = "下班时考勤机无响应，已在群里报备"
REFUSED_CORRECTION_REASON = "路上堵车，申请改为正常出勤"
PENDING_CORRECTION_REASON = "下班忘记打卡"
MANUAL_PUNCH_REASON = "考勤机故障，组长现场确认到岗"
# Days the corrections and the manual punch are about, whatever the random punches give: (weekday, what
# happened) on the first such weekday of last month (Thursday = 3, Friday = 4).
FORCED = {"CS102": (3, "missed"), "CS103": (4, "missed"), "CS202": (3, "missed"), "CS203": (4, "late")}
ADDENDUM_EVENTS = "补记：交接时漏写一件事——王先生的退货单已交财务部签收。"
SIGNOFF_COMMENT = "已核对当日交接记录，无遗漏。"


def _shift_for(index: int, day: dt.date, week: int) -> str:
    if day.weekday() == 6:
        return "REST"
    if day.weekday() == 5:
        return "W" if index % 2 == 0 else "REST"
    if day.weekday() == 2 and index == 3:
        return "N"
    ab = "A" if (index + week) % 2 == 0 else "B"
    return ab


def load(stdout=None, *, now: dt.datetime | None = None):
    """``now`` (default: the current time) is when the demo is loaded: nothing happens after it."""
    tz = local_tz()
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last = (today.replace(day=28) + dt.timedelta(days=10)).replace(day=1) - dt.timedelta(days=1)
    shifts = {s.code: s for s in Shift.objects.all()}
    people = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=[
        n for nos in TEAMS.values() for n in nos] + list(TEAMS) + ["CS001"])}
    if len(people) < 3:
        return
    cells = punches = 0
    forced = {(no, first + dt.timedelta(days=(weekday - first.weekday()) % 7)): what
              for no, (weekday, what) in FORCED.items()}
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
                punches += _punches(employee, no, day, shifts[code], tz, now, forced=forced.get((no, day)))
            day += dt.timedelta(days=1)
    _past_leave(people, first, tz)
    for _sup_no, no in staff:
        day = first
        while day < today:
            day_status_recompute(employee_id=people[no].pk, date=day, now=now)
            day += dt.timedelta(days=1)
    _leave(people, today, now)
    _leave_by_deadline(people, today, now)
    _phoned_in(people, today, now)
    _deputy(people, today)
    _corrections(people, first, today, tz)
    _duty(people, shifts, today, now)
    if stdout:
        stdout.write(f"  attendance: {cells} roster cells, {punches} punches, "
                     f"{DayStatus.objects.count()} day statuses, {LeaveRequest.objects.count()} leave requests")


def _punches(employee, no, day, shift, tz, now, forced: str | None = None) -> int:
    """The time clock's punches of one past working day (the same every run); none after ``now``
    (yesterday's night shift ends after midnight). ``forced``: "missed" (only the clock-in) or "late"
    (12 minutes late) instead of the random day."""
    rng = random.Random(f"{no}-{day}")
    start = dt.datetime.combine(day, shift.start, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1 if shift.crosses_midnight else 0), shift.end, tzinfo=tz)
    roll = rng.random()
    if forced == "missed":
        times = [start - dt.timedelta(minutes=8)]
    elif forced == "late":
        times = [start + dt.timedelta(minutes=12), end + dt.timedelta(minutes=5)]
    elif roll < 0.03:
        times = []  # absent
    elif roll < 0.07:
        times = [start - dt.timedelta(minutes=rng.randint(3, 15))]  # missed punch
    else:
        late = rng.choice([0] * 12 + [3, 12, 35])
        early = rng.choice([0] * 14 + [10, 40])
        times = [start - dt.timedelta(minutes=rng.randint(2, 20)) + dt.timedelta(minutes=late),
                 end + dt.timedelta(minutes=rng.randint(1, 15)) - dt.timedelta(minutes=early)]
    made = 0
    for i, at in enumerate(times):
        at = at.replace(second=rng.randint(0, 59))
        if at > now:
            continue
        Punch.objects.get_or_create(employee=employee, at=at,
                                    defaults={"source": "import", "direction": "in" if i == 0 else "out"})
        made += 1
    return made


def certificate_png() -> bytes:
    """A small generated image standing in for the scanned sick note."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 155, 95), outline="navy", width=3)
    draw.line((20, 35, 140, 35), fill="gray", width=2)
    draw.line((20, 55, 140, 55), fill="gray", width=2)
    draw.ellipse((100, 62, 135, 90), outline="red", width=3)  # the hospital's stamp
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _past_leave(people, first, tz):
    """Approved leave that has already happened, asked and approved through the services at the time it was:
    a week of 调休 (so its days are "on leave" and the 5th compensatory day of the month is scored) and a sick
    day with its certificate."""
    sup, manager = people.get("CS002"), people.get("CS001")
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)  # the first Monday of last month
    comp = people.get("CS104")
    if comp and sup and manager and not LeaveRequest.objects.filter(employee=comp, reason=COMP_WEEK_REASON).exists():
        friday = monday - dt.timedelta(days=3)
        leave = leave_request(by=comp, kind=LeaveRequest.Kind.COMP, start_date=monday,
                              end_date=monday + dt.timedelta(days=4), reason=COMP_WEEK_REASON,
                              now=dt.datetime.combine(friday - dt.timedelta(days=2), dt.time(10, 0), tzinfo=tz))
        leave_approve(leave=leave, by=sup, comment="本周排班已调整",
                      now=dt.datetime.combine(friday - dt.timedelta(days=1), dt.time(9, 30), tzinfo=tz))
        leave_approve(leave=leave, by=manager, now=dt.datetime.combine(friday, dt.time(16, 0), tzinfo=tz))
    sick, sup2 = people.get("CS201"), people.get("CS003")
    day = monday + dt.timedelta(days=8)  # the Tuesday after
    if sick and sup2 and not LeaveRequest.objects.filter(employee=sick, reason=SICK_REASON).exists():
        leave = leave_request(by=sick, kind=LeaveRequest.Kind.SICK, start_date=day, end_date=day, reason=SICK_REASON,
                              certificate=ContentFile(certificate_png(), name="certificate.png"),
                              now=dt.datetime.combine(day, dt.time(6, 10), tzinfo=tz))
        leave_approve(leave=leave, by=sup2, comment="好好休息", now=dt.datetime.combine(day, dt.time(6, 30), tzinfo=tz))


def _leave(people, today, now):
    """Leave to come, in every state, each asked by its employee and decided by their own supervisor."""
    samples = [
        ("CS101", "annual", 7, 7, "full", "pending_supervisor", "回老家探亲"),
        ("CS102", "personal", 3, 3, "first_half", "pending_supervisor", "孩子开家长会"),
        ("CS103", "annual", 10, 14, "full", "pending_manager", "春节提前回家"),
        ("CS104", "comp", 2, 2, "full", "approved", "上周加班调休"),
        ("CS105", "official", 5, 6, "full", "approved", "参加总部服务培训"),
        ("CS201", "personal", 4, 4, "full", "refused", "私事"),
        ("CS202", "annual", 9, 10, "full", "cancelled", "陪家人体检（行程取消）"),
    ]
    for no, kind, start, end, part, state, reason in samples:
        employee = people.get(no)
        if employee is None or LeaveRequest.objects.filter(employee=employee, reason=reason).exists():
            continue
        supervisor = employee.supervisor
        if state != "pending_supervisor" and state != "cancelled" and supervisor is None:
            continue
        leave = leave_request(by=employee, kind=kind, start_date=today + dt.timedelta(days=start),
                              end_date=today + dt.timedelta(days=end), part=part, reason=reason, now=now)
        if state == "cancelled":
            leave_cancel(leave=leave, by=employee, reason="家人改期，不需要请假了", now=now)
        elif state == "refused":
            leave_refuse(leave=leave, by=supervisor, comment="排班紧张", now=now)
        elif state in ("approved", "pending_manager"):
            leave_approve(leave=leave, by=supervisor, now=now)


# Issue 17: the approvals page sorts by deadline — a leave request's is its first shift, a correction's its month's
# close — and shows overdue, amber and fine rows: (employee, asked days ago, first day from today, reason).
DEADLINE_LEAVE = [
    ("CS104", 3, -1, "家中老人住院，需要陪护"),  # asked 3 days ago for yesterday, still undecided: its first shift passed
    ("CS105", 10, 2, "回乡参加表姐婚礼"),  # asked 10 days ago for the day after tomorrow: the last quarter of its wait
]
DEADLINE_CORRECTION_REASON = "今天系统显示迟到，实为考勤机排队，请按正常出勤处理"


def _leave_by_deadline(people, today, now):
    """Leave waiting for 李秀梅 whose first shift has passed (overdue) or comes within the last quarter of its wait
    (amber), and a correction of this month (fine: its month closes at the month's end)."""
    for no, days_ago, start, reason in DEADLINE_LEAVE:
        employee = people.get(no)
        if employee is None or LeaveRequest.objects.filter(employee=employee, reason=reason).exists():
            continue
        asked = now - dt.timedelta(days=days_ago)
        day = today + dt.timedelta(days=start)
        leave = leave_request(by=employee, kind="annual", start_date=day, end_date=day, reason=reason, now=asked)
        # the request's event is at ``asked``; its row says it was asked then too (the wait its deadline counts)
        LeaveRequest.objects.filter(pk=leave.pk).update(created=asked)
    employee = people.get("CS103")
    if employee and not Correction.objects.filter(employee=employee, reason=DEADLINE_CORRECTION_REASON).exists():
        correction_request(by=employee, date=today, kind="status", reason=DEADLINE_CORRECTION_REASON,
                           requested_code="P")


PHONE_IN_REASON = "早上来电：发烧 38.5℃，去医院看病，假条随后补交"
DEPUTY_DAYS = (7, 11)  # next week's Monday-to-Friday-ish: 李秀梅 is at the headquarters' training


def _phoned_in(people, today, now):
    """A same-day sick call: someone of team 二组 rostered today phoned 赵志强 40 minutes before the shift; he
    recorded it at once — approved, the certificate due."""
    from .selectors import shift_start

    supervisor = people.get("CS003")
    if supervisor is None or LeaveRequest.objects.filter(reason=PHONE_IN_REASON).exists():
        return
    for no in ("CS203", "CS204", "CS202", "CS201"):
        employee = people.get(no)
        start = shift_start(employee, today) if employee else None
        if start is None:
            continue
        called_at = min(start - dt.timedelta(minutes=40), now - dt.timedelta(minutes=1))
        if called_at.astimezone(local_tz()).date() != today:
            continue
        try:
            leave_phone_in(by=supervisor, employee=employee, kind=LeaveRequest.Kind.SICK, start_date=today,
                           end_date=today, reason=PHONE_IN_REASON, called_at=called_at, now=max(now, called_at))
        except AttendanceError:
            continue
        return


def _deputy(people, today):
    """王建国 (manager) names 赵志强 deputy for 李秀梅's team while she is at a training next week."""
    manager, supervisor, deputy = people.get("CS001"), people.get("CS002"), people.get("CS003")
    if not (manager and supervisor and deputy) or LeaveDeputy.objects.filter(supervisor=supervisor).exists():
        return
    deputy_name(by=manager, supervisor=supervisor, deputy=deputy, start_date=today + dt.timedelta(days=DEPUTY_DAYS[0]),
                end_date=today + dt.timedelta(days=DEPUTY_DAYS[1]))


def _missing_punch(status: DayStatus, tz) -> tuple[dt.datetime, str]:
    """The punch a missed-punch day lacks: the clock-out just after the end, or the clock-in before the start."""
    start, end = rules.span(status.date, rules.ShiftSpec.of(status.shift), tz)
    if status.clock_in is not None:
        return end + dt.timedelta(minutes=4), "out"
    return start - dt.timedelta(minutes=6), "in"


def _corrections(people, first, today, tz):
    """补卡: one waiting (CS102), one approved (a missed punch in team 一组), one refused (a late day in
    team 二组); and a supervisor's manual punch with its reason (a missed punch in team 二组)."""
    team1 = [no for no in TEAMS["CS002"] if no != "CS102"]
    team2 = TEAMS["CS003"]
    before = today - dt.timedelta(days=1)  # yesterday's night shift may still be open
    missed = DayStatus.objects.filter(code="M", date__gte=first, date__lt=before, shift__isnull=False,
                                      shift__is_rest=False).select_related("shift", "employee").order_by("date", "id")

    employee = people.get("CS102")
    if employee and not Correction.objects.filter(employee=employee, reason=PENDING_CORRECTION_REASON).exists():
        status = missed.filter(employee=employee).order_by("-date").first()
        if status is not None:
            at, direction = _missing_punch(status, tz)
            correction_request(by=employee, date=status.date, kind="punch", reason=PENDING_CORRECTION_REASON,
                               punch_at=at, direction=direction)

    if not Correction.objects.filter(reason=APPROVED_CORRECTION_REASON).exists():
        status = missed.filter(employee__employee_no__in=team1).first()
        if status is not None and status.employee.supervisor_id:
            at, direction = _missing_punch(status, tz)
            correction = correction_request(by=status.employee, date=status.date, kind="punch",
                                            reason=APPROVED_CORRECTION_REASON, punch_at=at, direction=direction)
            correction_decide(correction=correction, by=status.employee.supervisor, approve=True,
                              comment="已核实考勤机当天故障")

    if not Correction.objects.filter(reason=REFUSED_CORRECTION_REASON).exists():
        late = (DayStatus.objects.filter(code="L", date__gte=first, date__lt=before, employee__employee_no__in=team2)
                .select_related("employee").order_by("date", "id").first())
        if late is not None and late.employee.supervisor_id:
            correction = correction_request(by=late.employee, date=late.date, kind="status",
                                            reason=REFUSED_CORRECTION_REASON, requested_code="P")
            correction_decide(correction=correction, by=late.employee.supervisor, approve=False,
                              comment="堵车不属于补卡范围，请提前出门。")

    if not Punch.objects.filter(source=Punch.Source.MANUAL, reason=MANUAL_PUNCH_REASON).exists():
        status = missed.filter(employee__employee_no__in=team2).first()
        if status is not None and status.employee.supervisor_id:
            at, direction = _missing_punch(status, tz)
            try:
                punch_manual(employee=status.employee, by=status.employee.supervisor, at=at, direction=direction,
                             reason=MANUAL_PUNCH_REASON)
            except AttendanceError:
                pass  # a punch at that very second already exists: nothing to show


def _duty(people, shifts, today, now):
    texts = [
        ("上午来电 86 通，投诉 2 起已转质量管理部。", "王先生退货申请待财务确认", "TS-投诉 2 件处理中", "值班手机、前台钥匙一把", "周五前完成回访"),
        ("系统 10 点短暂中断 5 分钟，已恢复。", "3 个回访电话未接通，明天再拨", "无", "失物柜钥匙", "注意春节话术"),
    ]
    out, inc = people.get("CS101"), people.get("CS201")
    if out is None or inc is None:
        return
    for back, (events, unfinished, complaints, handed, instructions) in zip((2, 1), texts):
        day = today - dt.timedelta(days=back)
        if DutyLogEntry.objects.filter(date=day, shift=shifts["A"], addendum_to=None).exists():
            continue
        signed = now - dt.timedelta(days=back, hours=-9)
        entry = duty_entry_create(by=out, date=day, shift=shifts["A"], now=signed, data={
            "duty_manager": "李秀梅", "events": events, "unfinished_work": unfinished,
            "complaints_in_progress": complaints, "handed_over": handed, "instructions": instructions})
        duty_entry_sign(entry=entry, by=out, now=signed)
        duty_entry_sign(entry=entry, by=inc, now=signed)
    # an addendum to the first demo entry, signed by both, and the supervisor's signature under that day
    parent = (DutyLogEntry.objects.filter(addendum_to__isnull=True, outgoing=out, incoming=inc,
                                          events=texts[0][0]).order_by("date", "id").first())
    if parent is None:
        return
    if not DutyLogEntry.objects.filter(events=ADDENDUM_EVENTS).exists():
        addendum = duty_entry_create(by=out, date=parent.date, shift=parent.shift, addendum_to=parent, now=now,
                                     data={"duty_manager": "李秀梅", "events": ADDENDUM_EVENTS})
        duty_entry_sign(entry=addendum, by=out, now=now)
        duty_entry_sign(entry=addendum, by=inc, problems_found="无", now=now)
    supervisor = people.get("CS002")
    if supervisor and not DutyDaySignoff.objects.filter(date=parent.date).exists() and not (
            DutyDaySignoff.objects.filter(comment=SIGNOFF_COMMENT).exists()):
        duty_day_sign(date=parent.date, by=supervisor, comment=SIGNOFF_COMMENT)
