import pytest

from csmgmt.api import demo, telephony
from csmgmt.api.models import ExchangeCall, ExchangeEvent, Integration
from staff.models import Employee
from tickets.models import Call

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_missed_call_and_a_call_to_log_once():
    from staff import demo as staff_demo

    staff_demo.load()
    demo.load()
    demo.load()  # idempotent
    assert Integration.objects.filter(name="话务交换机（演示）").count() == 1
    assert ExchangeCall.objects.count() == 3 and ExchangeEvent.objects.count() == 9
    assert [x.exchange_id for x in telephony.missed_calls()] == ["demo-pbx-0001"]
    agent = Employee.objects.get(employee_no="CS101")
    assert agent.extension == "801"
    assert [x.exchange_id for x in telephony.calls_to_log(agent)] == ["demo-pbx-0002"]
    # logged through the API under the exchange's call id: one record, with its recording
    logged = ExchangeCall.objects.get(exchange_id="demo-pbx-0003")
    assert logged.call is not None and logged.call.exchange_call_id == "demo-pbx-0003"
    assert logged.call.agent.employee_no == "CS103" and logged.call.received_at == logged.ringing_at
    assert logged.recording == "/media/recordings/demo-pbx-0003.wav"
    assert Call.objects.filter(exchange_call_id="demo-pbx-0003").count() == 1
