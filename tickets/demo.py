"""Demo calls and customers for ``load_demo`` (runs after ``staff.demo``). Idempotent: calls are keyed
by their number, customers by their phone."""

import datetime as dt

from django.utils import timezone

from csmgmt.numbering import number_next
from staff.models import Department, Employee

from .models import Call, CallEvent, Customer, CustomerPhone

CUSTOMERS = [
    ("13800138000", "陈建华", "mr", "", ["VIP"], "老客户，偏好电话联系。"),
    ("13912345678", "李娟", "ms", "", [], ""),
    ("02168889999", "王经理", "mr", "上海宏达贸易有限公司", ["企业客户"], "批量采购，联系人王经理。"),
    ("13688886666", "赵敏", "ms", "", [], ""),
    ("01085551234", "孙立", "mr", "北京东方物业", [], ""),
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
]


def load(stdout=None):
    now = timezone.now()
    customers = {}
    for phone, name, form, org, tags, notes in CUSTOMERS:
        entry = CustomerPhone.objects.filter(number=phone).select_related("customer").first()
        if entry is None:
            customer = Customer.objects.create(name=name, address_form=form, organisation=org, tags=tags, notes=notes)
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
        due = None
        if outcome in ("reply_promised", "transferred"):
            due = received + dt.timedelta(hours=24 if channel == "email" else 2)
        customer = customers[phone]
        if Call.objects.filter(caller_phone=phone, summary=summary).exists():
            continue
        number = number_next(prefix="LD", period=timezone.localtime(received).strftime("%Y%m%d"))
        call, was_created = Call.objects.get_or_create(number=number, defaults=dict(
            received_at=received, channel=channel, caller_phone=phone, caller_name=customer.name,
            address_form=customer.address_form, organisation=customer.organisation, customer=customer,
            category=category, summary=summary, details=details, outcome=outcome,
            department=departments.get(dept) if dept else None, reply_due_at=due, agent=agent, owner=agent,
            status=status, closed_at=received + dt.timedelta(minutes=10) if status == "closed" else None,
            importance="high" if category == "complaint" else "normal",
        ))
        created += was_created
        if was_created and n == 2:
            CallEvent.objects.create(call=call, kind=CallEvent.Kind.NOTE, by=agent,
                                     text="已电话通知工程部，客户要求尽快上门。")
    if stdout:
        stdout.write(f"  tickets: {len(customers)} customers, {created} calls created")
