"""Demo records of the integration API and the telephone (issue 21): extensions for the agents of 一组, the
exchange's integration, a missed call waiting for a call-back and an answered call still to log. Idempotent."""

import datetime as dt

from django.utils import timezone

from staff.models import Employee

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
    ]
    for call_id, event, at, data in events:  # a repeat changes nothing: loading twice is harmless
        telephony.telephony_event(integration=integration, event=event, call_id=call_id, at=at, **data)
