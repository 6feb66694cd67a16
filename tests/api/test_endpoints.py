"""Every endpoint for a permitted and a refused token (nothing changed); lookups recorded; calls logged through
the same service and trail as a web write."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from csmgmt.api.models import CustomerLookup
from tests.factories import (CallFactory, ComplaintFactory, CustomerFactory, CustomerPhoneFactory,
                             FoundItemFactory)
from tickets.models import Call, CallEvent

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _post(client, url, body, token):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(token))


# --- customer lookup -------------------------------------------------------------------------------------------


def test_lookup_answers_the_profile_and_history_and_is_recorded(client, integration, django_assert_num_queries):
    obj, token = integration("customers.lookup")
    customer = CustomerFactory(name="王建国", organisation="东方公司")
    CustomerPhoneFactory(customer=customer, number="13800001111")
    CustomerPhoneFactory(customer=customer, number="02161234567")
    call = CallFactory(caller_phone="13800001111", summary="咨询停车", customer=customer)
    CallFactory(caller_phone="13999999999")  # another caller
    complaint = ComplaintFactory(complainant_phone="13800001111", number="TS-202611-0007")
    # token (1) + last use (1) + profile (1) + phones (1) + calls (1) + complaints (1) + the record (1)
    with django_assert_num_queries(7):
        response = client.get("/api/customers/lookup", {"phone": "138-0000-1111"}, **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == "13800001111" and body["found"] is True
    assert body["customer"] == {"id": customer.pk, "name": "王建国", "organisation": "东方公司",
                                "phones": ["13800001111", "02161234567"]}
    assert [c["number"] for c in body["calls"]] == [call.number]
    assert body["calls"][0]["summary"] == "咨询停车"
    assert [c["number"] for c in body["complaints"]] == [complaint.number]
    rows = list(CustomerLookup.objects.values("integration", "phone", "found"))
    assert rows == [{"integration": obj.pk, "phone": "13800001111", "found": True}]


def test_an_unknown_number_is_answered_not_found_and_still_recorded(client, integration):
    obj, token = integration("customers.lookup")
    response = client.get("/api/customers/lookup", {"phone": "13700000000"}, **bearer(token))
    assert response.json() == {"phone": "13700000000", "found": False, "customer": None, "calls": [],
                               "complaints": []}
    assert list(CustomerLookup.objects.values_list("phone", "found")) == [("13700000000", False)]


def test_lookup_is_refused_without_its_own_ability_and_records_nothing(client, integration):
    customer = CustomerFactory(name="王建国")
    CustomerPhoneFactory(customer=customer, number="13800001111")
    _obj, token = integration("calls.read", "calls.write", "complaints.read", "lostfound.search", "telephony")
    response = client.get("/api/customers/lookup", {"phone": "13800001111"}, **bearer(token))
    assert response.status_code == 403
    assert "王建国" not in response.content.decode()
    assert CustomerLookup.objects.count() == 0


# --- calls -----------------------------------------------------------------------------------------------------

CALL = {"caller_phone": "13800002222", "caller_name": "李女士", "direction": "in", "category": "enquiry",
        "summary": "询问开放时间", "outcome": "resolved", "valid": True}


def test_a_call_is_logged_for_the_agent_named_in_the_same_trail(client, integration, make_employee):
    obj, token = integration("calls.write")
    agent = make_employee("agent", employee_no="A0042")
    response = _post(client, "/api/calls", {**CALL, "agent": "A0042"}, token)
    assert response.status_code == 201, response.content
    call = Call.objects.get()
    body = response.json()
    assert body["number"] == call.number and body["agent"] == "A0042" and body["owner"] == "A0042"
    assert (call.agent, call.owner, call.status, call.caller_phone, call.summary) == \
        (agent, agent, "closed", "13800002222", "询问开放时间")
    assert call.customer.name == "李女士"  # the same service as the intake form: the profile made
    events = list(CallEvent.objects.filter(call=call).values_list("kind", "by"))
    assert events == [("created", agent.pk), ("note", obj.employee.pk)]
    assert CallEvent.objects.get(kind="note").text == "Logged through the integration “Integration: 话务交换机”."


@pytest.mark.parametrize(("agent_no", "status", "code"), [
    ("NOBODY", 400, "agent_unknown"),
    ("H0001", 403, "refused"),  # a handler may not log calls: the same rule as on the intake page
])
def test_a_call_naming_no_agent_who_may_log_it_is_refused(client, integration, make_employee, agent_no, status,
                                                          code):
    make_employee("handler", employee_no="H0001")
    _obj, token = integration("calls.write")
    response = _post(client, "/api/calls", {**CALL, "agent": agent_no}, token)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert Call.objects.count() == 0 and CallEvent.objects.count() == 0


def test_a_call_is_refused_without_the_write_ability_and_nothing_is_written(client, integration, make_employee):
    make_employee("agent", employee_no="A0042")
    _obj, token = integration("calls.read")
    response = _post(client, "/api/calls", {**CALL, "agent": "A0042"}, token)
    assert response.status_code == 403 and response.json()["error"] == "ability_missing"
    assert Call.objects.count() == 0


def test_a_call_with_a_bad_value_is_refused_saying_which(client, integration, make_employee):
    make_employee("agent", employee_no="A0042")
    _obj, token = integration("calls.write")
    response = _post(client, "/api/calls", {**CALL, "agent": "A0042", "direction": "sideways"}, token)
    assert response.status_code == 422
    assert "direction" in response.content.decode()
    assert Call.objects.count() == 0


def test_a_call_is_read_by_number_with_the_read_ability_only(client, integration):
    call = CallFactory(summary="咨询停车")
    _obj, token = integration("calls.read")
    response = client.get(f"/api/calls/{call.number}", **bearer(token))
    assert response.status_code == 200
    assert response.json()["summary"] == "咨询停车" and response.json()["agent"] == call.agent.employee_no
    assert client.get("/api/calls/LD-NONE", **bearer(token)).status_code == 404
    _other, write_only = integration("calls.write", name="写入")
    refused = client.get(f"/api/calls/{call.number}", **bearer(write_only))
    assert refused.status_code == 403 and "咨询停车" not in refused.content.decode()


# --- complaints ------------------------------------------------------------------------------------------------


def test_a_complaints_stage_and_clocks_by_number(client, integration):
    from complaints.models import ComplaintClock

    complaint = ComplaintFactory(number="TS-202611-0042", stage="plan")
    start = timezone.now().replace(microsecond=0)
    ComplaintClock.objects.create(complaint=complaint, kind="first_reply", started_at=start,
                                  due_at=start + dt.timedelta(hours=2), met_at=start + dt.timedelta(hours=1),
                                  state="met")
    ComplaintClock.objects.create(complaint=complaint, kind="close", started_at=start,
                                  due_at=start + dt.timedelta(days=7))
    _obj, token = integration("complaints.read")
    body = client.get("/api/complaints/TS-202611-0042", **bearer(token)).json()
    assert body["stage"] == "plan" and body["stage_label"] == "Department plans"
    assert [(c["kind"], c["state"]) for c in body["clocks"]] == [("first_reply", "met"), ("close", "running")]
    assert dt.datetime.fromisoformat(body["clocks"][1]["due_at"]) == start + dt.timedelta(days=7)
    assert "送货员" not in json.dumps(body)  # the stage and clocks, not the complaint's content
    _other, token2 = integration("calls.read", name="别的")
    assert client.get("/api/complaints/TS-202611-0042", **bearer(token2)).status_code == 403
    assert client.get("/api/complaints/TS-000000-0000", **bearer(token)).status_code == 404


# --- found items -----------------------------------------------------------------------------------------------


def test_found_items_are_searched_as_the_search_box_does(client, integration):
    FoundItemFactory(number="SW-202611-0001", description="黑色苹果手机", finder_phone="13811112222")
    FoundItemFactory(number="SW-202611-0002", description="红色雨伞", category="other")
    _obj, token = integration("lostfound.search")
    body = client.get("/api/found-items", {"q": "雨伞"}, **bearer(token)).json()
    assert [i["number"] for i in body] == ["SW-202611-0002"]
    everything = client.get("/api/found-items", **bearer(token)).json()
    assert {i["number"] for i in everything} == {"SW-202611-0001", "SW-202611-0002"}
    assert "13811112222" not in json.dumps(everything)  # the finder's contact stays inside
    _other, token2 = integration("calls.read", name="别的")
    assert client.get("/api/found-items", {"q": "雨伞"}, **bearer(token2)).status_code == 403
