"""Demo complaints for ``load_demo``: a handful at every stage (withdrawn and reopened ones too, one
with an evidence photo), moved through the real services so every page (queues, complaint page,
statistics, reminders) shows something. 周女士's complaint is opened from her chat that ``tickets.demo``
logged (so the call and the complaint link to each other), or registered on its own when that call is not
there. Idempotent: a case already present (same complainant and content) is left alone. Nothing lies in
the future: complaints were received hours ago, moves happen now (the demo may be loaded at 2 a.m.)."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from staff.models import Department, Employee

from .models import Complaint
from .services import complaint_create, complaint_transition, evidence_add


def _emp(no):
    return Employee.objects.select_related("user").get(employee_no=no)


def _plan(days=3, compensation=None, **extra):
    data = {"findings": "经核查，情况属实。", "root_cause": "出库前未检查包装",
            "action_immediate": "为客户补发商品", "action_corrective": "出库增加包装检查",
            "action_preventive": "每月抽检包装质量", "compensation": compensation,
            "promised_by": timezone.now() + dt.timedelta(days=days)}
    data.update(extra)
    return data


def _department_clock_on_working_time(manager):
    """REGULATIONS §9: the demo's department clock counts 48 working hours of the responsible department (set once;
    a manager's own setting is left alone)."""
    from .models import ClockLength
    from .services import clock_lengths_set

    if not ClockLength.objects.filter(kind="dept_report").exists():
        keys = [("dept_report", "ordinary"), ("dept_report", "major")]
        clock_lengths_set(by=manager, hours={k: 48 for k in keys}, units={k: "working_hours" for k in keys})


def _tomorrow_at(hour: int):
    """Tomorrow at ``hour`` o'clock, local time (an agreed reply time: always in the future)."""
    local = timezone.localtime() + dt.timedelta(days=1)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def evidence_photo(name: str) -> ContentFile:
    """A small generated PNG (a parcel with a dent), stored through the evidence service."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (160, 120), (245, 245, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((30, 30, 130, 100), fill=(196, 150, 96), outline=(90, 60, 30), width=3)
    draw.line((30, 65, 130, 65), fill=(90, 60, 30), width=2)
    draw.ellipse((95, 35, 125, 60), fill=(120, 90, 50))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue(), name=name)


# complainant -> the evidence file attached to their demo complaint
EVIDENCE = {"何女士": "发霉面包照片.png"}


# 周女士's chat, logged by tickets.demo (tickets.demo.COMPLAINT_CALL): her complaint is opened from it.
ZHOU_CALL = {"caller_phone": "13500003333", "summary": "促销满减结账时没有优惠"}
ZHOU = {"complainant_name": "周女士", "complainant_phone": "13500003333", "channel": "chat",
        "content": "促销活动说满减，结账时没有优惠。", "demand": "price_cut"}


def _complaint_from_call(by, depts) -> int:
    """Open 周女士's complaint from her call (received when the call was), first, as the call's own step."""
    from tickets.models import Call

    call = Call.objects.filter(**ZHOU_CALL).first()
    if call is None or Complaint.objects.filter(complainant_name=ZHOU["complainant_name"],
                                                content=ZHOU["content"]).exists():
        return 0
    complaint_create(by=by, call=call, data={**ZHOU, "against_department": depts.get("MKT")})
    return 1


def _complaint_from_revisit(by) -> int:
    """李秀梅 opens a complaint in one step from the unsatisfied revisit tickets.demo recorded (REGULATIONS §10)."""
    from tickets.demo import UNSATISFIED_CALL
    from tickets.models import CallRevisit

    from .from_revisit import complaint_from_revisit

    revisit = CallRevisit.objects.filter(state=CallRevisit.State.UNSATISFIED, call__caller_phone=UNSATISFIED_CALL[
        "caller_phone"], call__summary=UNSATISFIED_CALL["summary"]).select_related("call").first()
    if revisit is None:
        return 0
    complaint_from_revisit(revisit=revisit, by=by)
    return 1


def load(stdout=None):
    depts = {d.code: d for d in Department.objects.all()}
    agent, agent2 = _emp("CS101"), _emp("CS102")
    supervisor = _emp("CS002")
    manager, writer = _emp("CS001"), _emp("CS003")  # 王建国 names 赵志强 (二组组长) to plan a complaint against 客服部
    handlers = {"QA": _emp("QA001"), "PROD": _emp("PR001"), "LOG": _emp("LG001")}
    now = timezone.now()
    _department_clock_on_working_time(manager)
    created = _complaint_from_call(agent, depts)
    created += _complaint_from_revisit(supervisor)
    cases = [
        # (agent, received hours ago, fields, moves [(action, by, comment, data)])
        (agent, 80, {"complainant_name": "林女士", "complainant_phone": "13812345678", "channel": "phone",
                     "against_department": depts["LOG"], "against_person": "送货员",
                     "content": "快递包裹外包装破损，里面的玻璃杯碎了两个，送货员态度很差。", "demand": "exchange"},
         [("uphold", agent, "已电话核实，照片显示包装破损", {"severity": "ordinary", "verified": True,
                                                       "cause": "运输途中包装受压"}),
          ("assign", supervisor, "", {"responsible_department": depts["LOG"], "responsible_person": handlers["LOG"]}),
          ("submit_plan", handlers["LOG"], "", _plan(2)),
          ("approve", supervisor, "同意方案", {}),
          ("respond", agent, "", {"response_method": "phone", "response_text": "已致电道歉，补发两个玻璃杯",
                                  "customer_agreed": True}),
          ("revisit", agent, "", {"satisfaction_attitude": 4, "satisfaction_result": 5,
                                  "revisit_comment": "客户表示满意"}),
          ("close", supervisor, "", {"fault_level": "general", "responsible_employee": handlers["LOG"],
                                     "closing_note": "补发完成，送货员已接受培训"})]),
        (agent, 30, {"complainant_name": "王先生", "complainant_phone": "13987654321", "channel": "phone",
                     "against_department": depts["PROD"],
                     "content": "新买的电水壶底部漏水，用了两天就不能用了。", "demand": "return"},
         [("uphold", agent, "", {"severity": "ordinary", "verified": True, "cause": "产品密封圈缺陷"}),
          ("assign", supervisor, "", {"responsible_department": depts["PROD"]}),
          ("submit_plan", handlers["PROD"], "", _plan(3, action_immediate="为客户办理退货退款"))]),
        (agent2, 50, {"complainant_name": "陈先生", "complainant_phone": "01088886666", "channel": "walk_in",
                      "against_department": depts["QA"],
                      "content": "奶粉批次检测不合格，孩子食用后腹泻，要求赔偿医药费。", "demand": "compensation"},
         [("uphold", agent2, "", {"severity": "major", "verified": True, "cause": "批次质量问题"}),
          ("assign", supervisor, "", {"responsible_department": depts["QA"], "responsible_person": handlers["QA"]}),
          ("submit_plan", handlers["QA"], "", _plan(5, compensation=2000)),
          ("send_back", supervisor, "请补充该批次的检测报告", {}),
          ("submit_plan", handlers["QA"], "已补充检测报告", _plan(5, compensation=2000)),
          ("approve_first", supervisor, "同意，报经理审批", {})]),
        # against 客服部 itself: the manager names who in 客服部 writes the plan (not himself, not 杨帆 complained
        # about); the writer plans; it awaits a manager who did not write it
        (agent, 5, {"complainant_name": "赵女士", "complainant_phone": "13700001111", "channel": "phone",
                    "against_department": depts["CS"], "against_person": "杨帆", "against_employee": _emp("CS104"),
                    "content": "打了三次电话都没人接，接通后客服态度冷淡。", "demand": "apology"},
         [("uphold", supervisor, "", {"severity": "ordinary", "cause": "高峰期接听不及时"}),
          ("assign_writer", manager, "请二组赵志强核实并提出方案", {"plan_writer": writer}),
          ("submit_plan_to_manager", writer, "", _plan(
              1, findings="午间高峰来电量超出排班人数，三次来电均在排队中放弃；杨帆接听时语气生硬。",
              root_cause="排班未按来电高峰调整", action_immediate="由组长致电客户道歉",
              action_corrective="午间高峰增加两名坐席", action_preventive="每周按来电量复核排班，服务用语复训"))]),
        (agent2, 60, {"complainant_name": "刘先生", "complainant_phone": "13600002222", "channel": "email",
                      "content": "要求退回已拆封使用的护肤品。", "demand": "return"},
         [("reject", agent2, "已拆封使用，不属于质量问题", {"severity": "ordinary", "verified": False,
                                                      "cause": "超出退货政策范围"}),
          ("respond", agent2, "", {"response_method": "email", "response_text": "解释退货政策并赠送试用装",
                                   "customer_agreed": True})]),
        (agent, 3, {**ZHOU, "against_department": depts["MKT"]}, []),  # opened from her call when it is there
        (agent, 20, {"complainant_name": "王先生", "complainant_phone": "13987654321", "channel": "phone",
                     "against_department": depts["QA"],
                     "content": "换来的电水壶还是漏水，这是第二次投诉了。", "demand": "compensation"},
         [("uphold", agent, "", {"severity": "ordinary", "is_repeat": True, "cause": "同一批次问题"}),
          ("assign", supervisor, "", {"responsible_department": depts["QA"]})]),
        # to respond: the plan is approved, the agent is to tell the customer
        (agent2, 26, {"complainant_name": "孙女士", "complainant_phone": "13300004444", "channel": "phone",
                      "against_department": depts["LOG"],
                      "content": "预约的送货时间过了半天还没送到，也没有人通知。", "demand": "apology"},
         [("uphold", agent2, "", {"severity": "ordinary", "verified": True, "cause": "配送排班失误"}),
          ("assign", supervisor, "", {"responsible_department": depts["LOG"], "responsible_person": handlers["LOG"]}),
          ("submit_plan", handlers["LOG"], "", _plan(1, action_immediate="当天安排专车送达并致歉")),
          ("approve", supervisor, "同意", {})]),
        # to close: revisited, satisfied
        (agent, 70, {"complainant_name": "吴先生", "complainant_phone": "13200005555", "channel": "phone",
                     "against_department": depts["PROD"],
                     "content": "洗衣机运行时噪音很大，上门检查后仍未解决。", "demand": "exchange"},
         [("uphold", agent, "", {"severity": "ordinary", "verified": True, "cause": "电机减震垫安装不当"}),
          ("assign", supervisor, "", {"responsible_department": depts["PROD"]}),
          ("submit_plan", handlers["PROD"], "", _plan(2, action_immediate="为客户更换同型号洗衣机")),
          ("approve", supervisor, "", {}),
          ("respond", agent, "", {"response_method": "on_site", "response_text": "上门更换洗衣机，客户签字确认",
                                  "customer_agreed": True}),
          ("revisit", agent, "", {"satisfaction_attitude": 5, "satisfaction_result": 4,
                                  "revisit_comment": "新洗衣机运行正常"})]),
        # withdrawn by the customer, with the reason
        (agent2, 10, {"complainant_name": "郑女士", "complainant_phone": "13100006666", "channel": "chat",
                      "against_department": depts["MKT"],
                      "content": "会员积分没有按活动规则到账。", "demand": "other"},
         [("uphold", agent2, "", {"severity": "ordinary", "cause": "积分系统延迟"}),
          ("withdraw", agent2, "客户来电告知积分已到账，撤回投诉", {})]),
        # reopened: the revisit found the customer dissatisfied (不满意), back to the department
        (agent, 100, {"complainant_name": "冯先生", "complainant_phone": "13000007777", "channel": "phone",
                      "against_department": depts["LOG"],
                      "content": "冰箱送到时门体有明显凹痕。", "demand": "exchange"},
         [("uphold", agent, "", {"severity": "ordinary", "verified": True, "cause": "搬运时磕碰"}),
          ("assign", supervisor, "", {"responsible_department": depts["LOG"], "responsible_person": handlers["LOG"]}),
          ("submit_plan", handlers["LOG"], "", _plan(2, action_immediate="上门更换冰箱门体")),
          ("approve", supervisor, "", {}),
          ("respond", agent, "", {"response_method": "phone", "response_text": "已安排师傅上门更换门体",
                                  "customer_agreed": True}),
          ("reopen", agent, "", {"satisfaction_attitude": 3, "satisfaction_result": 2,
                                 "revisit_comment": "更换后的门体仍有划痕，不满意"})]),
        # not settled on the spot: the agent agreed the next reply time with the customer (a clock runs to it)
        (agent2, 2, {"complainant_name": "钱先生", "complainant_phone": "13600009999", "channel": "phone",
                     "against_department": depts["LOG"],
                     "content": "网上订的空调三天了还没安装，售后电话一直占线。", "demand": "other"},
         [("uphold", agent2, "已核实订单，安装单未派出", {"severity": "ordinary", "verified": True,
                                                  "cause": "安装单派单遗漏"}),
          ("agree_next_reply", agent2, "需先联系物流配送部确认安装师傅，已与客户约定明天上午十点前回电",
           {"next_reply_at": _tomorrow_at(10)})]),
        # issue 17: the department's queue shows overdue and amber deadlines — the 3-day close clock of a complaint
        # received 100 hours ago has passed; that of one received 71 hours ago has an hour left
        (agent2, 100, {"complainant_name": "郭先生", "complainant_phone": "13500001212", "channel": "phone",
                       "against_department": depts["QA"],
                       "content": "买的蜂蜜结晶发白，怀疑掺了糖浆，要求送检。", "demand": "return"},
         [("uphold", agent2, "", {"severity": "ordinary", "verified": True, "cause": "待质检确认"}),
          ("assign", supervisor, "", {"responsible_department": depts["QA"], "responsible_person": handlers["QA"]})]),
        (agent, 71, {"complainant_name": "谢女士", "complainant_phone": "13400003434", "channel": "phone",
                     "against_department": depts["QA"],
                     "content": "牛奶还没到保质期就胀包了，孩子差点喝了。", "demand": "exchange"},
         [("uphold", agent, "", {"severity": "ordinary", "verified": True, "cause": "冷链运输温度异常"}),
          ("assign", supervisor, "", {"responsible_department": depts["QA"]})]),
        # with an evidence photo
        (agent, 8, {"complainant_name": "何女士", "complainant_phone": "13900008888", "channel": "walk_in",
                    "against_department": depts["QA"],
                    "content": "收到的面包已经发霉，附上照片。", "demand": "return"},
         [("uphold", agent, "", {"severity": "ordinary", "verified": True, "cause": "仓储温度过高"}),
          # waiting on the customer (REGULATIONS §9): the clocks stand still until she sends the receipt
          ("pause", agent, "等待客户提供购买小票和面包生产日期的照片", {})]),
    ]
    for by, hours_ago, fields, moves in cases:
        complaint = Complaint.objects.filter(complainant_name=fields["complainant_name"],
                                             content=fields["content"]).first()
        if complaint is None:
            complaint = complaint_create(by=by, data={**fields, "received_at": now - dt.timedelta(hours=hours_ago)})
            for action, actor, comment, data in moves:
                complaint_transition(complaint=complaint, action=action, by=actor, comment=comment, data=data)
            created += 1
        name = EVIDENCE.get(fields["complainant_name"])
        if name and complaint.is_open and not complaint.evidence.exists():
            evidence_add(complaint=complaint, by=by, upload=evidence_photo(name))
    if stdout:
        stdout.write(f"  complaints: {created} demo complaints added")
