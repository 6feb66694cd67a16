"""Demo calls and customers for ``load_demo`` (runs after ``staff.demo``). Idempotent: customers are keyed
by their phone, calls by (phone, summary).

``CALLS`` are a register of earlier days, saved directly (an agent may not back-date a call) and given their
trail by ``services.call_registered``, as an import does: logged when received, the closed ones logged closed by
their agent ten minutes later. The stories are logged now, through the services, so their events and edit
trail are the real ones: a voided call, a hand-over to a named colleague, a transfer with the department's
reply, a promise still open, a call closed by its owner after calling back, and 周女士's chat, which
``complaints.demo`` opens as a complaint. Nothing is dated in the future: every story happens "now",
whatever the time of day."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.numbering import number_next
from staff.models import Department, Employee

from . import services
from .models import Call, Customer, CustomerPhone

CUSTOMERS = [
    ("13800138000", "陈建华", "mr", "", ["VIP"], "老客户，偏好电话联系。", "星河小区 3号楼 2单元 501"),
    ("13912345678", "李娟", "ms", "", [], "", "浦东新区张杨路100号 2号楼 1203"),
    ("02168889999", "王经理", "mr", "上海宏达贸易有限公司", ["企业客户"], "批量采购，联系人王经理。", "宏达大厦 B座 12楼"),
    ("13688886666", "赵敏", "ms", "", [], "", "阳光花园 8号楼 301"),
    ("01085551234", "孙立", "mr", "北京东方物业", [], "", ""),
]

# (number suffix, days ago, hours ago, phone, agent no, category, channel, outcome, dept code, summary, details, status)
CALLS = [
    (1, 6, 3, "13800138000", "CS101", "enquiry", "phone", "resolved", "", "咨询会员积分兑换规则",
     "客户询问积分有效期，已告知一年有效。", "closed"),
    (2, 5, 2, "13912345678", "CS102", "repair", "phone", "transferred", "ENG", "热水器不出热水，要求上门维修",
     "地址：浦东新区张杨路100号，客户下午在家。", "open"),
    (3, 3, 5, "02168889999", "CS101", "complaint", "phone", "reply_promised", "", "批量订单延迟发货",
     "订单号 SO-88213，承诺三天到货，现已延迟两天。客户情绪激动。", "open"),
    (4, 2, 1, "13688886666", "CS103", "praise", "walk_in", "resolved", "", "表扬配送员服务热情",
     "配送员小刘主动帮忙搬运。", "closed"),
    (5, 1, 4, "01085551234", "CS201", "suggestion", "email", "reply_promised", "", "建议增加周末配送时段", "", "open"),
    (6, 0, 2, "13800138000", "CS101", "lost_property", "phone", "transferred", "LOG", "快递包裹丢失",
     "客户称包裹显示已签收但未收到。", "open"),
    (7, 0, 1, "13912345678", "CS104", "grumble", "phone", "resolved", "", "抱怨客服热线等待时间长",
     "已致歉并说明高峰时段。", "closed"),
    (8, 0, 0, "13800138000", "CS101", "enquiry", "chat", "reply_promised", "", "询问发票补开流程", "", "open"),
    (9, 0, 3, "13688886666", "CS101", "complaint", "phone", "transferred", "QA", "新买电饭煲内胆掉漆",
     "购买一周，内胆涂层脱落，要求质检部门给出说明。", "open"),
    # issue 17: the department's queue and the agent's open calls show fine and amber deadlines too
    (10, 0, 1, "01085551234", "CS102", "enquiry", "email", "transferred", "QA", "索取上月批次的食品检测报告",
     "物业食堂采购需要检测报告存档，请质量管理部提供。", "open"),
    (11, 0, 0, "13912345678", "CS101", "complaint", "phone", "transferred", "QA", "酸奶未过期开盖有异味",
     "生产日期三天前，冷藏保存，开盖即有酸臭味。", "open"),
    (12, 0, 2, "13800138000", "CS101", "suggestion", "email", "reply_promised", "", "建议会员积分可以抵扣运费",
     "", "open"),
]


def load(stdout=None):
    now = timezone.now()
    customers = {}
    for phone, name, form, org, tags, notes, address in CUSTOMERS:
        entry = CustomerPhone.objects.filter(number=phone).select_related("customer").first()
        if entry is None:
            customer = Customer.objects.create(name=name, address_form=form, organisation=org, address=address,
                                               tags=tags, notes=notes)
            CustomerPhone.objects.create(customer=customer, number=phone, label="手机" if phone[0] == "1" else "座机")
        else:
            customer = entry.customer
        customers[phone] = customer
    agents = {e.employee_no: e for e in Employee.objects.filter(employee_no__startswith="CS")}
    departments = {d.code: d for d in Department.objects.all()}
    created = 0
    for n, days, hours, phone, agent_no, category, channel, outcome, dept, summary, details, status in CALLS:
        agent = agents.get(agent_no)
        if agent is None:
            continue
        received = now - dt.timedelta(days=days, hours=hours)
        due = None  # the promised reply and the call-back start on the intake settings' rule (call_registered)
        customer = customers[phone]
        if Call.objects.filter(caller_phone=phone, summary=summary).exists():
            continue
        number = number_next(prefix="LD", period=timezone.localtime(received).strftime("%Y%m%d"))
        was_created = not Call.objects.filter(number=number).exists()
        if was_created:
            call = Call(
                number=number, received_at=received, channel=channel, caller_phone=phone, caller_name=customer.name,
                address_form=customer.address_form, organisation=customer.organisation, customer=customer,
                category=category, summary=summary, details=details, outcome=outcome,
                department=departments.get(dept) if dept else None, reply_due_at=due, agent=agent, owner=agent,
                importance="high" if category == "complaint" else "normal",
                valid=category == "enquiry",  # 有效电话: new business; after-sales matters are not valid
            )
            services.call_registered(call=call, by=agent, closed_at=received + dt.timedelta(minutes=10)
                                     if status == "closed" else None)
        created += was_created
        if was_created and n == 2:
            services.call_add_note(call=call, by=agent, text="已电话通知工程部，客户要求尽快上门。")
    created += _stories()
    created += _revisits()
    if stdout:
        stdout.write("  " + _("tickets: %(customers)s customers, %(calls)s calls created")
                     % {"customers": len(customers), "calls": created})


def _call(no, phone, summary, **data):
    """Log a story's call now as the agent ``no``; None when it is there already (or the agent is not)."""
    agent = Employee.objects.filter(employee_no=no).select_related("user").first()
    if agent is None or Call.objects.filter(caller_phone=phone, summary=summary).exists():
        return None
    customer = CustomerPhone.objects.filter(number=phone).select_related("customer").first()
    name = customer.customer.name if customer else ""
    return services.call_create(by=agent, data={"caller_phone": phone, "caller_name": name, "summary": summary,
                                                **data})


def _emp(no):
    return Employee.objects.select_related("user", "department").get(employee_no=no)


# 周女士's chat: complaints.demo opens its complaint from this call (so it carries the link to the call).
COMPLAINT_CALL = {"caller_phone": "13500003333", "summary": "促销满减结账时没有优惠"}


def _stories() -> int:
    created = 0
    departments = {d.code: d for d in Department.objects.all()}

    call = _call("CS102", "13912345678", "咨询热水器保修期（重复登记）", category="enquiry", valid=False,
                 outcome="reply_promised", details="与上一条登记内容相同，误点两次保存。")
    if call is not None:
        services.call_void(call=call, by=_emp("CS002"), reason="重复登记：同一通来电登记了两次。")
        created += 1

    call = _call("CS101", "02168889999", "询问大批量采购报价及账期", category="enquiry", organisation="上海宏达贸易有限公司",
                 valid=True,
                 outcome="reply_promised", details="客户需要 500 台电水壶的报价，希望账期 60 天。")
    if call is not None:
        services.call_hand_over(call=call, by=_emp("CS101"), to=_emp("CS201"),
                                reason="企业客户由二组周敏负责，转交她跟进报价。")
        created += 1

    if "ENG" in departments:
        call = _call("CS103", "01085551234", "空调外机异响，要求上门检修", category="repair", outcome="transferred",
                     valid=False,
                     department=departments["ENG"], details="北京东方物业 3 号楼机房，外机运行时噪音很大。")
        if call is not None:
            services.call_department_reply(call=call, by=_emp("EN001"),
                                           text="已安排维修师傅今天下午上门检修，联系电话 139 0000 0005。")
            created += 1

    call = _call("CS104", "13688886666", "询问退货运费由谁承担", category="enquiry", channel="email", valid=False,
                 outcome="reply_promised", details="客户收到的电饭煲颜色与订单不符，想退货。")
    if call is not None:
        services.call_add_note(call=call, by=_emp("CS104"), text="已向物流配送部确认运费规则，待回复客户。")
        created += 1

    # 有效电话 checked: 张伟 marked an existing customer's invoice question valid; 李秀梅 corrects it (after-sales is
    # not valid) and records the violation for him in one click
    call = _call("CS101", "13800138000", "询问电子发票如何补开", category="enquiry", channel="chat", valid=True,
                 outcome="reply_promised", details="客户上月订单未开发票。")
    if call is not None:
        services.call_close_checked(call=call, by=_emp("CS101"), note="已回电客户，告知在订单页面申请补开。")
        services.call_valid_check(call=call, by=_emp("CS002"), valid=False, note="老客户的售后问题，属无效电话。")
        services.call_marking_violation_record(call=call, by=_emp("CS002"))
        created += 1
    call = Call.objects.filter(summary="询问大批量采购报价及账期", valid_checked_at__isnull=True).first()
    if call is not None:  # a confirmation: a new customer's enquiry is valid
        services.call_valid_check(call=call, by=_emp("CS003"), valid=True, note="新客户询价，有效。")

    # 报修 followed to the end: logged by the supervisor three hours ago, on site within the 20 minutes, finished,
    # and the customer asked for their opinion at the revisit — only then is the call done
    if "ENG" in departments and Employee.objects.filter(employee_no="EN001").exists():
        summary = "办公室饮水机漏水，要求上门维修"
        if not Call.objects.filter(caller_phone="02168889999", summary=summary).exists():
            now = timezone.now()
            call = services.call_create(by=_emp("CS002"), received_at=now - dt.timedelta(hours=3), data={
                "caller_phone": "02168889999", "caller_name": "王经理", "organisation": "上海宏达贸易有限公司",
                "summary": summary, "category": "repair", "outcome": "transferred", "department": departments["ENG"],
                "valid": False, "details": "五楼茶水间饮水机底部漏水，地面已积水。"})
            services.call_repair_on_site(call=call, by=_emp("EN001"), at=now - dt.timedelta(hours=2, minutes=45),
                                         note="维修师傅已到现场。")
            services.call_repair_finished(call=call, by=_emp("EN001"), at=now - dt.timedelta(hours=1, minutes=50),
                                          note="更换进水阀，试机正常。")
            services.call_repair_revisit(call=call, by=_emp("CS002"), satisfaction=5,
                                         note="王经理表示师傅来得快，修得好，非常满意。")
            created += 1

    call = _call("CS101", COMPLAINT_CALL["caller_phone"], COMPLAINT_CALL["summary"], category="complaint", valid=False,
                 channel="chat", caller_name="周女士", address_form="ms", outcome="reply_promised",
                 details="促销活动说满减，结账时没有优惠。")
    if call is not None:
        created += 1
    return created


# Revisits (REGULATIONS §10): one overdue (a call of six days ago), one due in two working days, one done satisfied
# (and the repair story's), one unsatisfied — which ``complaints.demo`` opens as a complaint in one step.
UNSATISFIED_CALL = {"caller_phone": "13688886666", "summary": "燃气热水器安装后打不着火"}


def _revisits() -> int:
    from . import revisits
    from .models import CallRevisit

    created = 0
    old = Call.objects.filter(caller_phone="13800138000", summary="咨询会员积分兑换规则").first()
    if old is not None and not CallRevisit.objects.filter(call=old).exists():
        revisits.revisit_start(call=old, by=old.owner, start=old.received_at,  # due four days ago: overdue
                               comment="老客户，回访积分兑换是否顺利。")
        created += 1
    later = Call.objects.filter(caller_phone="01085551234", summary="建议增加周末配送时段").first()
    if later is not None and not CallRevisit.objects.filter(call=later).exists():
        revisits.call_revisit_need(call=later, by=later.owner, needs=True, note="建议已转市场营销部，回访客户告知进展。")
        created += 1
    call = _call("CS104", "13688886666", "询问电饭煲预约功能怎么用", category="enquiry", valid=False,
                 outcome="resolved", needs_revisit=True, details="已在电话中一步步指导客户设置预约。")
    if call is not None:
        revisits.revisit_record(revisit=revisits.pending_revisit(call), by=_emp("CS104"), satisfaction=4,
                                note="客户说预约煮饭已经会用了，感谢耐心讲解。")
        created += 1
    call = _call("CS102", UNSATISFIED_CALL["caller_phone"], UNSATISFIED_CALL["summary"], category="repair",
                 valid=False, outcome="resolved", details="电话指导客户检查电池和燃气阀门。")
    if call is not None:  # 报修 resolved on the phone: revisited by the category's default
        revisits.revisit_record(revisit=revisits.pending_revisit(call), by=_emp("CS102"), satisfaction=2,
                                note="客户说按指导操作后还是打不着火，等了两天没人管，很不满意。")
        created += 1
    return created
