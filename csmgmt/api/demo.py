"""Demo records of the integration API and the telephone (issue 21): extensions for the agents of 一组, the
exchange's integration, a missed call waiting for a call-back, an answered call still to log, and a call logged
through the API under the exchange's call id (one record, with its recording). Idempotent."""

import datetime as dt

from django.utils import timezone

from staff.models import Employee
from tickets.models import Call
from tickets.services import call_create_for_agent

from . import telephony
from .models import Integration
from .services import integration_create

EXTENSIONS = {"CS101": "801", "CS102": "802", "CS103": "803", "CS104": "804", "CS105": "805"}


def load(stdout=None):
    manager = Employee.objects.filter(employee_no="CS001").first()
    if manager is None:
        return
    for no, ext in EXTENSIONS.items():
        Employee.objects.filter(employee_no=no, extension="").update(extension=ext)
    integration = Integration.objects.filter(name="话务交换机（演示）").first()
    if integration is None:
        made = integration_create(by=manager, name="话务交换机（演示）",
                                  abilities=["telephony", "customers.lookup", "calls.write"])
        integration = made.integration
        if stdout:
            stdout.write(f"  integration 话务交换机（演示）: token {made.token} (shown this once)\n")
    now = timezone.now()
    events = [  # a missed call from 赵敏 an hour ago; an answered call from 陈建华 20 minutes ago, not logged
        ("demo-pbx-0001", "ringing", now - dt.timedelta(hours=1), {"caller": "13688886666", "called": "8000",
                                                                   "extension": "801", "direction": "in"}),
        ("demo-pbx-0001", "ringing", now - dt.timedelta(hours=1), {"extension": "802", "direction": "in"}),
        ("demo-pbx-0001", "hangup", now - dt.timedelta(minutes=59), {"cause": "no_answer", "duration": 0}),
        ("demo-pbx-0002", "ringing", now - dt.timedelta(minutes=24), {"caller": "13800138000", "called": "8000",
                                                                      "extension": "801", "direction": "in"}),
        ("demo-pbx-0002", "answered", now - dt.timedelta(minutes=23, seconds=50), {"extension": "801"}),
        ("demo-pbx-0002", "hangup", now - dt.timedelta(minutes=20), {"cause": "normal", "duration": 230}),
        # 周敏's call two hours ago, answered at 803, recorded; logged below under its call id
        ("demo-pbx-0003", "ringing", now - dt.timedelta(hours=2), {"caller": "13911112222", "called": "8000",
                                                                   "extension": "803", "direction": "in"}),
        ("demo-pbx-0003", "answered", now - dt.timedelta(hours=2) + dt.timedelta(seconds=6), {"extension": "803"}),
        ("demo-pbx-0003", "hangup", now - dt.timedelta(hours=2) + dt.timedelta(seconds=190),
         {"cause": "normal", "duration": 184, "recording": "/media/recordings/demo-pbx-0003.wav"}),
    ]
    for call_id, event, at, data in events:  # a repeat changes nothing: loading twice is harmless
        telephony.telephony_event(integration=integration, event=event, call_id=call_id, at=at, **data)
    agent = Employee.objects.filter(employee_no="CS103").select_related("user").first()
    if agent is not None and not Call.objects.filter(exchange_call_id="demo-pbx-0003").exists():
        call_create_for_agent(by=integration.employee, agent=agent, exchange_call_id="demo-pbx-0003", data={
            "caller_phone": "13911112222", "caller_name": "周敏", "address_form": "ms", "direction": "in",
            "category": "enquiry", "summary": "咨询会员积分兑换", "details": "积分可在服务台兑换礼品，已告知兑换时间。",
            "outcome": "resolved", "valid": True})
