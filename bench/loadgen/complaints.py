"""Complaints with their clocks and event trail: most of them closed long ago, the recent ones spread over
the open stages, so the queues and badges see what a real department sees."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from complaints.models import DEFAULT_HOURS, Complaint, ComplaintClock, ComplaintEvent, Stage
from csmgmt.models import Counter
from staff.models import Department

from .base import analyze, copy_rows, mobile, person_name

CONTENTS = [
    "送货比约定时间晚了两天，客户非常不满", "收到的商品外包装破损，内件有划痕", "安装师傅未按预约时间上门",
    "客服电话多次无人接听", "产品使用一周后出现故障，要求退货", "发票开具错误，多次联系未解决",
    "维修后同一问题再次出现", "配送员态度恶劣，言语不文明", "订单被重复扣款", "促销活动价格与结算价格不符",
]
DEMANDS = [("apology", 25), ("return", 15), ("exchange", 15), ("compensation", 15), ("price_cut", 10),
           ("criticism", 15), ("other", 5)]
# Share of the recent (not yet closed) complaints per open stage.
OPEN_SHARE = [(Stage.ANALYSE, 15), (Stage.ASSIGN, 10), (Stage.PLAN, 25), (Stage.APPROVE, 10),
              (Stage.MANAGER_APPROVE, 3), (Stage.RESPOND, 12), (Stage.REVISIT, 20), (Stage.CLOSE, 5)]
ORDER = [Stage.ANALYSE, Stage.ASSIGN, Stage.PLAN, Stage.APPROVE, Stage.RESPOND, Stage.REVISIT, Stage.CLOSE,
         Stage.CLOSED]
ACTION_INTO = {Stage.ASSIGN: "analyse", Stage.PLAN: "assign", Stage.APPROVE: "submit_plan",
               Stage.RESPOND: "approve", Stage.REVISIT: "respond", Stage.CLOSE: "revisit", Stage.CLOSED: "close"}


def generate(ctx, n):
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    agents = ctx.ids.get("agents")
    if not agents:
        raise SystemExit("no employees: generate some with --employees")
    supervisors = ctx.ids.get("supervisors") or agents
    departments = list(Department.objects.exclude(kind=Department.Kind.CUSTOMER_SERVICE)
                       .values_list("pk", flat=True))
    if not departments:
        raise SystemExit("no responsible departments: run `manage.py load_demo` first")
    phones = ctx.ids.get("phones") or [mobile(rng) for _ in range(max(100, n // 3))]
    now = timezone.now()
    days = max(1, ctx.days)
    start = now - dt.timedelta(days=days)
    received = sorted(start + dt.timedelta(seconds=rng.randrange(days * 86400)) for _ in range(n))
    existing = dict(Counter.objects.filter(key__startswith="TS-").values_list("key", "value"))
    seq = {}
    first_pk = (Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    stages, clocks, events = [], [], []

    def complaint_rows():
        for i, at in enumerate(received):
            pk = first_pk + i
            key = f"TS-{at.astimezone(tz):%Y%m}"
            seq[key] = seq.get(key, existing.get(key, 0)) + 1
            age = now - at
            major = rng.random() < 0.12
            upheld = rng.random() < 0.8
            severity = "major" if major else "ordinary"
            if age > dt.timedelta(days=10):
                stage = Stage.WITHDRAWN if rng.random() < 0.03 else Stage.CLOSED
            else:
                stage = rng.choices(*zip(*OPEN_SHARE))[0]
                if stage == Stage.MANAGER_APPROVE and not major:
                    stage = Stage.APPROVE
            reached = ORDER.index(stage) if stage in ORDER else ORDER.index(Stage.PLAN)
            if stage == Stage.MANAGER_APPROVE:
                reached = ORDER.index(Stage.APPROVE)
            dept = rng.choice(departments) if reached >= ORDER.index(Stage.PLAN) else None
            agent = rng.choice(agents)
            # the times each stage was reached, a few hours apart
            times, t = [at], at
            for _ in range(reached):
                t = t + dt.timedelta(minutes=rng.randrange(20, 600))
                times.append(min(t, now))
            responded = times[ORDER.index(Stage.REVISIT)] if reached >= ORDER.index(Stage.REVISIT) else None
            revisited = times[ORDER.index(Stage.CLOSE)] if reached >= ORDER.index(Stage.CLOSE) else None
            closed = times[-1] if stage == Stage.CLOSED else None
            att = rng.choices([5, 4, 3, 2, 1], [35, 40, 15, 7, 3])[0] if revisited else None
            res = rng.choices([5, 4, 3, 2, 1], [30, 40, 18, 8, 4])[0] if revisited else None
            fault = (rng.choices(["none", "general", "serious"], [70, 25, 5])[0] if closed else "")
            stages.append((pk, stage, reached, times, severity, agent, major))
            yield (f"{key}-{seq[key]:04d}", stage, at.isoformat(), "phone", person_name(rng), rng.choice(phones), "",
                   None, None, None, "", rng.choice(CONTENTS), rng.choices(*zip(*DEMANDS))[0], "", agent,
                   True if reached else None, upheld if reached else None, "核实属实" if reached else "", severity,
                   rng.random() < 0.04, None, dept, None,
                   "", "", "", "", "", None, None,
                   "phone" if responded else "", "已电话回复客户" if responded else "",
                   True if responded else None, responded.isoformat() if responded else None,
                   att, res, "", revisited.isoformat() if revisited else None,
                   "已结案" if closed else "", rng.choice(agents) if fault in ("general", "serious") else None,
                   fault, closed.isoformat() if closed else None,
                   "客户撤诉" if stage == Stage.WITHDRAWN else "",
                   (at + dt.timedelta(days=1)).isoformat() if stage == Stage.WITHDRAWN else None,
                   at.isoformat(), (closed or at).isoformat())

    columns = ["number", "stage", "received_at", "channel", "complainant_name", "complainant_phone",
               "complainant_contact", "customer_id", "source_call_id", "against_department_id", "against_person",
               "content", "demand", "demand_detail", "agent_id", "verified", "upheld", "cause", "severity",
               "is_repeat", "repeat_of_id", "responsible_department_id", "responsible_person_id",
               "findings", "root_cause", "action_immediate", "action_corrective", "action_preventive",
               "compensation", "promised_by", "response_method", "response_text", "customer_agreed",
               "responded_at", "satisfaction_attitude", "satisfaction_result", "revisit_comment", "revisited_at",
               "closing_note", "responsible_employee_id", "fault_level", "closed_at", "withdrawn_reason",
               "withdrawn_at", "created_at", "updated_at"]
    count = copy_rows(Complaint, columns, complaint_rows())
    # PostgreSQL numbered the rows in the order they were written: read the ids back in that order.
    pks = list(Complaint.objects.filter(pk__gte=first_pk).order_by("pk").values_list("pk", flat=True))

    def clock_rows():
        for pk, (_old, stage, reached, times, severity, _agent, _major) in zip(pks, stages):
            for kind, starts_at, ends_at in (("first_reply", 0, 1), ("assign", 0, 2), ("dept_report", 2, 3),
                                             ("close", 0, 7), ("revisit", 5, 6)):
                if reached < starts_at:
                    continue
                started = times[min(starts_at, len(times) - 1)]
                due = started + dt.timedelta(hours=DEFAULT_HOURS[(kind, severity)])
                met = times[ends_at] if ends_at < len(times) and reached >= ends_at else None
                if stage == Stage.WITHDRAWN and met is None:
                    state = "cancelled"
                elif met is None:
                    state = "running"
                else:
                    state = "met" if met <= due else "missed"
                clocks.append(1)
                yield (pk, kind, started.isoformat(), due.isoformat(), met.isoformat() if met else None, state,
                       None, None)

    copy_rows(ComplaintClock, ["complaint_id", "kind", "started_at", "due_at", "met_at", "state",
                               "soon_notified_at", "overdue_notified_at"], clock_rows())

    def event_rows():
        for pk, (_old, stage, reached, times, _severity, agent, major) in zip(pks, stages):
            yield (pk, "receive", "", Stage.ANALYSE, agent, times[0].isoformat(), "", "{}")
            for k in range(1, reached + 1):
                to = ORDER[k]
                by = agent if to in (Stage.REVISIT, Stage.CLOSE) else rng.choice(supervisors)
                yield (pk, ACTION_INTO[to], ORDER[k - 1], to, by, times[k].isoformat(), "", "{}")
            if stage == Stage.WITHDRAWN:
                yield (pk, "withdraw", ORDER[reached], Stage.WITHDRAWN, agent,
                       (times[-1] + dt.timedelta(hours=1)).isoformat(), "客户撤诉", "{}")
            elif stage == Stage.MANAGER_APPROVE:
                yield (pk, "approve", Stage.APPROVE, Stage.MANAGER_APPROVE, rng.choice(supervisors),
                       times[-1].isoformat(), "", "{}")
            events.append(1)

    n_events = copy_rows(ComplaintEvent, ["complaint_id", "action", "from_stage", "to_stage", "by_id", "at",
                                          "comment", "data"], event_rows())
    for key, value in seq.items():
        Counter.objects.update_or_create(key=key, defaults={"value": value})
    analyze(Complaint, ComplaintClock, ComplaintEvent)
    ctx.say(f"  complaints: {count} ({len(clocks)} clocks, {n_events} events)")
    return count
