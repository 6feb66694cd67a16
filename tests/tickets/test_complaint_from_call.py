"""A complaint is opened from a call once, and never from a voided call: the server refuses (not only the
hidden button), and a refusal writes nothing, neither a complaint nor a change of the call."""

import uuid
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from complaints.services import complaint_create
from tests.factories import ComplaintCallFactory
from tests.tickets.test_races import run_together
from tickets import services
from tickets.models import Call, CallEvent


def form(**extra):
    return {"form_token": str(uuid.uuid4()), "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "phone",
            "complainant_name": "林女士", "complainant_phone": "138 1234 5678", "demand": "exchange",
            "content": "收到的杯子碎了两个。", **extra}


def snapshot(call: Call):
    call = Call.objects.get(pk=call.pk)
    return {"status": call.status, "outcome": call.outcome, "void_reason": call.void_reason,
            "updated_at": call.updated_at, "history": call.history.count(),
            "events": list(CallEvent.objects.filter(call=call).values_list("kind", flat=True))}


def url(call):
    return reverse("complaints:create_from_call", args=[call.pk])


@pytest.fixture
def voided_call(make_employee):
    agent = make_employee("agent")
    call = ComplaintCallFactory(agent=agent, owner=agent)
    return services.call_void(call=call, by=make_employee("supervisor"), reason="重复登记")


def test_posting_a_complaint_from_a_voided_call_is_refused(client_for, voided_call):
    before = snapshot(voided_call)
    c = client_for("agent", language="en")
    response = c.post(url(voided_call), form())
    assert response.status_code == 302 and response["Location"] == reverse("tickets:detail", args=[voided_call.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Call {voided_call.number} is void: no complaint can be opened from it."]
    assert Complaint.objects.count() == 0 and ComplaintEvent.objects.count() == 0
    assert snapshot(voided_call) == before


def test_the_form_of_a_voided_call_says_so_instead_of_a_form(client_for, voided_call):
    response = client_for("agent", language="en").get(url(voided_call), follow=True)
    body = response.content.decode()
    assert response.redirect_chain == [(reverse("tickets:detail", args=[voided_call.pk]), 302)]
    assert f"Call {voided_call.number} is void: no complaint can be opened from it." in body
    assert 'id="complaint-form"' not in body


def test_a_second_complaint_from_the_same_call_is_refused(client_for, make_employee):
    agent = make_employee("agent", language="en")
    call = ComplaintCallFactory(agent=agent, owner=agent)
    c = client_for(agent)
    first = c.post(url(call), form())
    complaint = Complaint.objects.get()
    assert first["Location"] == reverse("complaints:detail", args=[complaint.pk])
    before = snapshot(call)
    assert (before["outcome"], before["events"]) == ("complaint", ["complaint"])

    again = c.post(url(call), form(content="再投诉一次"))
    assert again.status_code == 302 and again["Location"] == reverse("tickets:detail", args=[call.pk])
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        f"Call {call.number} was already opened as a complaint.")
    assert list(Complaint.objects.values_list("pk", flat=True)) == [complaint.pk]
    assert ComplaintEvent.objects.count() == 1
    assert snapshot(call) == before
    page = c.get(url(call), follow=True)
    assert 'id="complaint-form"' not in page.content.decode()


def test_the_service_refuses_too_and_writes_nothing(make_employee, voided_call):
    agent = make_employee("agent")
    before = snapshot(voided_call)
    with pytest.raises(services.CallError):
        complaint_create(by=agent, data={"complainant_name": "林女士", "content": "杯子碎了"}, call=voided_call)
    assert Complaint.objects.count() == 0 and snapshot(voided_call) == before


def test_the_outcome_of_a_call_opened_as_a_complaint_cannot_be_edited_away(make_employee):
    agent = make_employee("agent")
    call = ComplaintCallFactory(agent=agent, owner=agent)
    complaint_create(by=agent, data={"complainant_name": "林女士", "content": "杯子碎了"}, call=call)
    before = snapshot(call)
    with pytest.raises(services.CallError):
        services.call_update(call=call, by=agent, data={"outcome": "resolved"})
    assert snapshot(call) == before


def test_the_edit_page_keeps_the_complaint_outcome(client_for, make_employee):
    agent = make_employee("agent", language="en")
    call = ComplaintCallFactory(agent=agent, owner=agent)
    complaint_create(by=agent, data={"complainant_name": "林女士", "content": "杯子碎了"}, call=call)
    c = client_for(agent)
    data = {"caller_phone": call.caller_phone, "caller_name": call.caller_name, "address_form": "",
            "organisation": "", "channel": "phone", "direction": "in", "category": "complaint",
            "importance": "normal", "urgency": "normal", "summary": "改了摘要", "details": "",
            "outcome": "resolved", "department": "", "reply_due_at": ""}
    response = c.post(reverse("tickets:edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.summary, call.outcome, call.status) == ("改了摘要", "complaint", "open")
    assert Complaint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_complaints_opened_from_one_call_at_once_make_one(postgres, make_employee):
    a, b = make_employee("agent"), make_employee("agent")
    call = ComplaintCallFactory(agent=a, owner=a)

    def open_as(by):
        return lambda: complaint_create(by=by, data={"complainant_name": "林女士", "content": "杯子碎了"}, call=call)

    results, _ = run_together(open_as(a), open_as(b))
    created = [r for r in results if isinstance(r, Complaint)]
    refused = [r for r in results if isinstance(r, services.CallError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert Complaint.objects.count() == 1
    assert list(CallEvent.objects.filter(call=call).values_list("kind", flat=True)) == ["complaint"]
