"""Every page refuses the roles that must not use it, and nothing changes when it does."""

import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.models import Notification
from tests.factories import CallFactory, CustomerFactory, CustomerPhoneFactory, DepartmentFactory
from tickets.models import Call, CallEvent, Customer, Holiday, IntakeSettings, Script


def snapshot():
    return {
        "calls": list(Call.objects.order_by("pk").values()),
        "events": CallEvent.objects.count(),
        "customers": list(Customer.objects.order_by("pk").values()),
        "scripts": list(Script.objects.order_by("pk").values("text", "active")),
        "holidays": list(Holiday.objects.order_by("pk").values()),
        "settings": list(IntakeSettings.objects.values()),
        "notices": Notification.objects.count(),
    }


@pytest.fixture
def world(make_employee, db):
    eng = DepartmentFactory(name="工程部", code="ENG")
    owner = make_employee("agent")
    call = CallFactory(agent=owner, outcome="transferred", status="open", department=eng,
                       reply_due_at=timezone.now() + dt.timedelta(hours=2), caller_phone="13800138000")
    customer = CustomerFactory(name="甲")
    CustomerPhoneFactory(customer=customer, number="13800138000")
    other = CustomerFactory(name="乙")
    return {"eng": eng, "owner": owner, "call": call, "customer": customer, "other": other}


def intake_post():
    return {"caller_phone": "13800138000", "channel": "phone", "direction": "in", "category": "enquiry",
            "importance": "normal", "urgency": "normal", "summary": "不该保存", "outcome": "resolved",
            "form_token": str(uuid.uuid4())}


# (name, method, url builder, data builder, roles refused with 403)
CASES = [
    ("intake", "get", lambda w: reverse("tickets:intake"), None, ["handler", "custodian", "admin"]),
    ("intake", "post", lambda w: reverse("tickets:intake"), lambda w: intake_post(), ["handler", "custodian", "admin"]),
    ("history_panel", "get", lambda w: reverse("tickets:history_panel") + "?caller_phone=13800138000", None,
     ["handler", "custodian"]),
    ("list", "get", lambda w: reverse("tickets:list"), None, ["custodian", "admin"]),
    ("export", "get", lambda w: reverse("tickets:export"), None, ["custodian", "admin"]),
    ("department_queue", "get", lambda w: reverse("tickets:department_queue"), None,
     ["agent", "supervisor", "manager", "custodian"]),
    ("detail", "get", lambda w: reverse("tickets:detail", args=[w["call"].pk]), None, ["custodian", "admin"]),
    ("edit", "post", lambda w: reverse("tickets:edit", args=[w["call"].pk]), lambda w: intake_post(),
     ["handler", "custodian"]),
    ("note", "post", lambda w: reverse("tickets:note", args=[w["call"].pk]), lambda w: {"text": "x"},
     ["handler", "custodian"]),
    ("close", "post", lambda w: reverse("tickets:close", args=[w["call"].pk]), lambda w: {"note": ""},
     ["handler", "custodian"]),
    ("hand_over", "post", lambda w: reverse("tickets:hand_over", args=[w["call"].pk]),
     lambda w: {"to": w["owner"].pk, "reason": "x"}, ["handler", "custodian"]),
    ("void", "post", lambda w: reverse("tickets:void", args=[w["call"].pk]), lambda w: {"reason": "x"},
     ["agent", "handler", "custodian"]),
    ("reply", "post", lambda w: reverse("tickets:reply", args=[w["call"].pk]), lambda w: {"text": "x"},
     ["agent", "supervisor", "manager", "custodian"]),
    ("customers", "get", lambda w: reverse("tickets:customers"), None, ["handler", "custodian"]),
    ("customer_detail", "get", lambda w: reverse("tickets:customer_detail", args=[w["customer"].pk]), None,
     ["handler", "custodian"]),
    ("customer_edit", "post", lambda w: reverse("tickets:customer_edit", args=[w["customer"].pk]),
     lambda w: {"name": "改名", "tags_text": "VIP"}, ["handler", "custodian"]),
    ("customer_merge", "post", lambda w: reverse("tickets:customer_merge", args=[w["customer"].pk]),
     lambda w: {"other": w["other"].pk}, ["agent", "handler", "custodian"]),
    ("scripts", "get", lambda w: reverse("tickets:scripts"), None, ["agent", "supervisor", "handler"]),
    ("scripts_settings", "post", lambda w: reverse("tickets:scripts"),
     lambda w: {"form": "settings", "phone_reply_hours": 9, "email_reply_hours": 9, "remind_before_minutes": 9,
                "repair_callback_minutes": 9, "phone_reply_unit": "working_hours",
                "email_reply_unit": "working_hours", "repair_callback_unit": "working_hours"},
     ["agent", "supervisor"]),
    ("script_edit", "post", lambda w: reverse("tickets:script_edit", args=[Script.objects.first().pk]),
     lambda w: {"text": "改掉", "active": "on"}, ["agent", "supervisor", "handler"]),
    ("import", "post", lambda w: reverse("tickets:import"),
     lambda w: {"file": io.BytesIO("received_at,caller_phone,category,summary,agent_no\n".encode())},
     ["agent", "supervisor", "handler"]),
]

PARAMS = [(name, method, url, data, role) for name, method, url, data, roles in CASES for role in roles]


@pytest.mark.parametrize(("name", "method", "url", "data", "role"), PARAMS,
                         ids=[f"{p[0]}-{p[1]}-{p[4]}" for p in PARAMS])
def test_role_is_refused_and_nothing_changes(client_for, world, name, method, url, data, role):
    c = client_for(role)
    before = snapshot()
    if method == "get":
        response = c.get(url(world))
    else:
        payload = data(world)
        if name == "import":
            payload["file"].name = "calls.csv"
        response = c.post(url(world), payload)
    assert response.status_code == 403
    assert snapshot() == before


def test_a_handler_sees_only_calls_transferred_to_their_department(client_for, world):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    c = client_for("handler", department=qa)
    assert c.get(reverse("tickets:detail", args=[world["call"].pk])).status_code == 404
    listing = c.get(reverse("tickets:list"))
    assert listing.context["page"]["rows"] == []
    before = snapshot()
    assert c.post(reverse("tickets:reply", args=[world["call"].pk]), {"text": "不是我们部门"}).status_code == 404
    assert snapshot() == before


def test_the_departments_handler_sees_and_replies(client_for, world):
    c = client_for("handler", department=world["eng"])
    assert c.get(reverse("tickets:detail", args=[world["call"].pk])).status_code == 200
    assert [r.pk for r in c.get(reverse("tickets:list")).context["page"]["rows"]] == [world["call"].pk]
    queue = c.get(reverse("tickets:department_queue"))
    assert [r.pk for r in queue.context["page"]["rows"]] == [world["call"].pk]
    c.post(reverse("tickets:reply", args=[world["call"].pk]), {"text": "已派师傅明早九点上门"})
    call = Call.objects.get(pk=world["call"].pk)
    assert call.department_replied_at is not None
    assert list(call.events.values_list("kind", "text")) == [("department_reply", "已派师傅明早九点上门")]
    notice = Notification.objects.get(recipient=world["owner"])
    assert call.number in notice.text


@pytest.mark.parametrize("action", ["edit", "note", "close", "hand_over"])
def test_an_agent_who_does_not_own_the_call_cannot_change_it(client_for, world, make_employee, action):
    c = client_for("agent")
    before = snapshot()
    data = {"edit": intake_post(), "note": {"text": "x"}, "close": {"note": ""},
            "hand_over": {"to": make_employee("agent").pk, "reason": "x"}}[action]
    before = snapshot()
    response = c.post(reverse(f"tickets:{action}", args=[world["call"].pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[world["call"].pk])
    assert snapshot() == before


def test_a_supervisor_edits_any_call(client_for, world):
    c = client_for("supervisor")
    response = c.post(reverse("tickets:note", args=[world["call"].pk]), {"text": "主管跟进"})
    assert response.status_code == 302
    assert CallEvent.objects.get().by == c.employee


def test_a_voided_call_is_not_edited_any_more(client_for, world):
    c = client_for("supervisor")
    c.post(reverse("tickets:void", args=[world["call"].pk]), {"reason": "重复登记"})
    before = snapshot()
    c.post(reverse("tickets:note", args=[world["call"].pk]), {"text": "x"})
    owner = client_for(world["owner"])
    owner.post(reverse("tickets:close", args=[world["call"].pk]), {"note": ""})
    assert snapshot() == before


def edit_post(call, **over):
    data = {"caller_phone": call.caller_phone, "caller_name": call.caller_name, "address_form": "",
            "organisation": "", "channel": call.channel, "direction": call.direction, "category": call.category,
            "importance": call.importance, "urgency": call.urgency, "summary": call.summary, "details": call.details,
            "outcome": call.outcome, "department": call.department_id or "",
            "reply_due_at": timezone.localtime(call.reply_due_at).strftime("%Y-%m-%dT%H:%M") if call.reply_due_at
            else ""}
    data.update(over)
    return data


def test_an_owner_posting_another_received_at_leaves_it_unchanged(client_for, world):
    call = world["call"]
    before = Call.objects.get(pk=call.pk).received_at
    c = client_for(world["owner"])
    response = c.post(reverse("tickets:edit", args=[call.pk]),
                      edit_post(call, summary="改了摘要", received_at="2026-01-01T08:00"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.summary == "改了摘要"  # the rest of the edit is saved
    assert call.received_at == before
    assert all(h.received_at == before for h in call.history.all())


def test_the_service_refuses_an_owner_changing_received_at(world):
    from tickets import services

    call = world["call"]
    before = snapshot()
    with pytest.raises(services.PermissionRefused):
        services.call_update(call=call, by=world["owner"], data={"summary": "改了"},
                             received_at=call.received_at - dt.timedelta(hours=3))
    assert snapshot() == before


def test_a_supervisor_changes_received_at_on_the_edit_page(client_for, world):
    call = world["call"]
    c = client_for("supervisor")
    local = timezone.localtime(call.received_at) - dt.timedelta(hours=1)
    response = c.post(reverse("tickets:edit", args=[call.pk]),
                      edit_post(call, received_at=local.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 302
    call.refresh_from_db()
    assert timezone.localtime(call.received_at).strftime("%Y-%m-%dT%H:%M") == local.strftime("%Y-%m-%dT%H:%M")
    assert call.history.first().history_user == c.employee.user
