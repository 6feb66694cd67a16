"""Editing the outcome on the edit page: a move that closes or reopens the call is a CallEvent (who, the
outcome before and after) on the call's timeline; an edit that keeps the outcome keeps the status."""

import pytest
from django.urls import reverse

from tickets import services
from tickets.models import Call, CallEvent


@pytest.fixture
def owner_client(client_for):
    return client_for("agent", language="en")


@pytest.fixture
def promised(owner_client):
    return services.call_create(by=owner_client.employee, data={"valid": True, 
        "summary": "询问发票", "caller_phone": "13800138000", "outcome": "reply_promised"})


def edit(c, call, intake_data, **over):
    call.refresh_from_db()
    fields = dict(summary=call.summary, outcome=call.outcome, department=call.department_id or "")
    fields.update(over)
    response = c.post(reverse("tickets:edit", args=[call.pk]), intake_data(**fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    call.refresh_from_db()
    return call


def events(call):
    return list(CallEvent.objects.filter(call=call).values_list("kind", "by_id", "from_outcome", "to_outcome"))


def test_resolving_on_the_edit_page_closes_the_call_with_an_event(owner_client, promised, intake_data):
    call = edit(owner_client, promised, intake_data, outcome="resolved")
    assert (call.status, call.reply_due_at) == ("closed", None) and call.closed_at is not None
    logged = ("created", owner_client.employee.pk, "", "")
    assert events(call) == [logged, ("closed", owner_client.employee.pk, "reply_promised", "resolved")]
    page = owner_client.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    timeline = page.split('id="call-events"')[1].split("</ul>")[0]
    assert "Closed" in timeline and "Reply promised (待回复) → Resolved on the call (当场解决)" in timeline
    assert owner_client.employee.name in timeline


def test_a_new_open_outcome_reopens_a_resolved_call_with_an_event(owner_client, intake_data, client_for):
    call = services.call_create(by=owner_client.employee,
                                data={"valid": True, "summary": "咨询", "caller_phone": "13800138000"})
    assert call.status == "closed"
    supervisor = client_for("supervisor")
    call = edit(supervisor, call, intake_data, outcome="reply_promised")
    assert (call.status, call.closed_at) == ("open", None) and call.reply_due_at is not None
    owner = owner_client.employee.pk  # logged closed at intake (resolved), by its owner
    assert events(call) == [("created", owner, "", ""),
                            ("reopened", supervisor.employee.pk, "resolved", "reply_promised")]
    page = owner_client.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert "Reopened" in page and "Resolved on the call (当场解决) → Reply promised (待回复)" in page


def test_moving_between_open_outcomes_is_no_event(owner_client, promised, intake_data, eng):
    call = edit(owner_client, promised, intake_data, outcome="transferred", department=eng.pk)
    assert (call.outcome, call.status) == ("transferred", "open")
    assert events(call) == [("created", owner_client.employee.pk, "", "")]  # only the intake's


def test_editing_a_closed_call_without_touching_the_outcome_keeps_it_closed(owner_client, promised, intake_data):
    services.call_close_checked(call=promised, by=owner_client.employee, note="已回电")
    closed_at = Call.objects.get(pk=promised.pk).closed_at
    call = edit(owner_client, promised, intake_data, summary="询问发票（已回电）")
    assert (call.summary, call.status, call.closed_at) == ("询问发票（已回电）", "closed", closed_at)
    assert [e[0] for e in events(call)] == ["created", "closed"]  # only the close from the call page


def test_a_refused_edit_records_no_event(client_for, promised, intake_data):
    before = (events(promised), Call.objects.filter(pk=promised.pk).values().get())
    stranger = client_for("agent")
    stranger.post(reverse("tickets:edit", args=[promised.pk]), intake_data(outcome="resolved"))
    assert (events(promised), Call.objects.filter(pk=promised.pk).values().get()) == before
