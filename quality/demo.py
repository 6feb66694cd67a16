"""Demo quality inspection for ``load_demo`` (runs after ``tickets.demo`` and ``staff.scoring.demo``): last month's
calls of the demo agents (a few each, logged as a register of earlier days, as ``tickets.demo`` does), last month
drawn (a fixed seed, by the manager) and scored by each agent's supervisor, one failed item recorded as the
phone-handling violation, and one appeal waiting for the supervisor. Chinese comments.

Idempotent: calls are keyed by (phone, summary), the draw by its month, a score by its inspection's state."""

import datetime as dt

from django.utils import timezone

from csmgmt.core.numbering import number_next
from staff.models import Employee
from tickets import services as call_services
from tickets.models import Call

from .models import Inspection, SampleDraw
from .services.draws import draw_month
from .services.inspections import inspection_appeal, inspection_score, violation_record

AGENTS = ["CS101", "CS102", "CS103", "CS104", "CS105", "CS201", "CS202", "CS203", "CS204"]
# (day of last month, hour, phone, summary, category)
CALLS = [
    (3, 9, "13700001001", "咨询会员卡积分如何兑换礼品", "enquiry"),
    (6, 10, "13700001002", "询问门店营业时间和停车信息", "enquiry"),
    (9, 14, "13700001003", "热水器显示故障代码 E3，要求报修", "repair"),
    (13, 11, "13700001004", "快递三天未更新物流信息", "enquiry"),
    (17, 15, "13700001005", "建议增加周末上门安装时段", "suggestion"),
    (21, 16, "13700001006", "退货运费由谁承担的咨询", "enquiry"),
]
FAILED = ("CS101", "语言规范", 5, "多次使用“那个、然后”等口头禅，未使用标准话术确认客户需求。")
APPEAL = ("CS102", "通话中客户情绪激动，我已按流程安抚并记录，扣分项“服务态度”评分过低，请复核录音。")
COMMENTS = {"服务态度": "语气平和，耐心倾听。", "解答准确": "解答清楚准确。"}


def _last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _calls(month: dt.date, agents: dict) -> int:
    tz = timezone.get_current_timezone()
    made = 0
    for n, no in enumerate(AGENTS):
        agent = agents.get(no)
        if agent is None:
            continue
        for day, hour, phone, summary, category in CALLS:
            phone = f"{phone[:-3]}{n}{phone[-2:]}"
            if Call.objects.filter(caller_phone=phone, summary=summary).exists():
                continue
            received = dt.datetime(month.year, month.month, day, hour, 5 * n, tzinfo=tz)
            call = Call(number=number_next(prefix="LD", period=received.strftime("%Y%m%d")), received_at=received,
                        caller_phone=phone, caller_name="客户", summary=summary, category=category,
                        outcome=Call.Outcome.RESOLVED, agent=agent, owner=agent, valid=category == "enquiry")
            call_services.call_registered(call=call, by=agent, closed_at=received + dt.timedelta(minutes=8))
            made += 1
    return made


def _points(inspection, item) -> tuple[int, str]:
    if (inspection.agent.employee_no, item.name) == FAILED[:2] and inspection.call_id == _first(inspection):
        return FAILED[2], FAILED[3]
    deduction = (inspection.pk + item.order) % 3  # a point or two off here and there
    points = max(item.points - deduction, (item.points + 1) // 2)
    return points, COMMENTS.get(item.name, "") if deduction else ""


def _first(inspection) -> int:
    return (Inspection.objects.filter(draw_id=inspection.draw_id, agent_id=inspection.agent_id)
            .order_by("call_id").values_list("call_id", flat=True).first())


def load(stdout=None):
    month = _last_month()
    agents = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=AGENTS).select_related("supervisor")}
    manager = Employee.objects.filter(employee_no="CS001").select_related("user").first()
    if not agents or manager is None:
        return
    made = _calls(month, agents)
    if not SampleDraw.objects.filter(month=month).exists():
        draw_month(month=month, by=manager, seed=f"demo-{month:%Y%m}")
    scored = 0
    for inspection in (Inspection.objects.filter(month=month, state=Inspection.State.DRAWN)
                       .select_related("agent__supervisor__user", "checklist").order_by("pk")):
        by = inspection.agent.supervisor or manager
        scores = {item.pk: _points(inspection, item) for item in inspection.checklist.items.all()}
        inspection_score(inspection=inspection, by=by, scores=scores, comment="整体表现良好。")
        scored += 1
    failed = (Inspection.objects.filter(month=month, agent__employee_no=FAILED[0], state=Inspection.State.SCORED,
                                        scores__failed=True, scores__violation__isnull=True)
              .select_related("agent__supervisor").first())
    if failed is not None:
        score = failed.scores.filter(failed=True, violation__isnull=True).first()
        violation_record(score=score, by=failed.agent.supervisor or manager)
    appellant = agents.get(APPEAL[0])
    appealed = Inspection.objects.filter(month=month, agent=appellant, events__action="appeal").exists()
    target = Inspection.objects.filter(month=month, agent=appellant, state=Inspection.State.SCORED).order_by("total",
                                                                                                        "pk").first()
    if appellant is not None and not appealed and target is not None:
        inspection_appeal(inspection=target, by=appellant, reason=APPEAL[1])
    if stdout:
        stdout.write(f"  quality: {made} calls of {month:%Y-%m} logged, {scored} inspections scored")
