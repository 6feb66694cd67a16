"""The Django admin cannot go around the call workflow: workflow fields are read-only, calls are not added
there, a history "revert" is refused, and call events are view-only."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CallFactory
from tickets import services
from tickets.admin import CALL_WORKFLOW_FIELDS
from tickets.models import Call, CallEvent


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")


@pytest.fixture
def call(make_employee):
    agent = make_employee("agent")
    return CallFactory(agent=agent, owner=agent, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2), summary="原摘要")


def state(call):
    call = Call.objects.get(pk=call.pk)
    return {f: getattr(call, f if f not in ("agent", "owner", "department") else f"{f}_id")
            for f in CALL_WORKFLOW_FIELDS}


def change_data(call, **over):
    """What the change form posts for the editable fields, plus whatever the test tries to slip in."""
    due = timezone.localtime(call.reply_due_at)
    data = {"caller_phone": call.caller_phone, "caller_name": call.caller_name, "address_form": "",
            "organisation": "", "customer": "", "channel": call.channel, "direction": call.direction,
            "category": call.category, "summary": call.summary, "details": "", "importance": "normal",
            "urgency": "normal", "reply_due_at_0": due.strftime("%Y-%m-%d"), "reply_due_at_1": due.strftime("%H:%M:%S"),
            "department_replied_at_0": "", "department_replied_at_1": "", "reply_reminded_at_0": "",
            "reply_reminded_at_1": "", "overdue_notified_at_0": "", "overdue_notified_at_1": ""}
    data.update(over)
    return data


def test_the_call_change_page_shows_the_workflow_fields_read_only(admin_client, call):
    response = admin_client.get(f"/admin/tickets/call/{call.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not set(CALL_WORKFLOW_FIELDS) & set(form.fields)
    body = response.content.decode()
    for field in CALL_WORKFLOW_FIELDS:
        assert f'name="{field}"' not in body and f'name="{field}_0"' not in body, field
        assert f"field-{field}" in body, field  # shown, as text
    assert 'name="summary"' in body  # the plain fields stay editable


def test_posting_a_status_through_the_admin_changes_no_workflow_field(admin_client, call, make_employee):
    before = state(call)
    other = make_employee("agent")
    response = admin_client.post(f"/admin/tickets/call/{call.pk}/change/", change_data(
        call, summary="改过的摘要", status="voided", void_reason="后台作废", outcome="resolved", owner=other.pk,
        agent=other.pk, number="LD-HACK", received_at_0="2020-01-01", received_at_1="08:00:00",
        closed_at_0="2020-01-01", closed_at_1="09:00:00"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    call.refresh_from_db()
    assert call.summary == "改过的摘要"  # the edit went through, with a trail
    assert call.history.first().history_user == admin_client.employee.user
    assert state(call) == before and call.status == "open"
    assert CallEvent.objects.count() == 0


def test_calls_are_not_added_in_the_admin(admin_client, call):
    assert admin_client.get("/admin/tickets/call/add/").status_code == 403
    assert admin_client.post("/admin/tickets/call/add/", change_data(call, summary="新来电")).status_code == 403
    assert Call.objects.count() == 1
    assert "/admin/tickets/call/add/" not in admin_client.get("/admin/tickets/call/").content.decode()


def test_reverting_to_an_old_version_is_refused(admin_client, call, make_employee):
    old = call.history.first()
    services.call_void(call=call, by=make_employee("supervisor"), reason="重复登记")
    url = f"/admin/tickets/call/{call.pk}/history/{old.history_id}/"
    assert admin_client.get(url).status_code == 200  # may look
    assert admin_client.post(url, change_data(call)).status_code == 403
    call.refresh_from_db()
    assert (call.status, call.void_reason) == ("voided", "重复登记")


def test_call_events_are_view_only(admin_client, call):
    event = services.call_add_note(call=call, by=call.owner, text="已回电")
    page = admin_client.get(f"/admin/tickets/callevent/{event.pk}/change/")
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields  # every field read-only
    response = admin_client.post(f"/admin/tickets/callevent/{event.pk}/change/",
                                 {"call": call.pk, "kind": "closed", "by": event.by_id, "text": "改了"})
    assert response.status_code == 403
    assert admin_client.get("/admin/tickets/callevent/add/").status_code == 403
    assert admin_client.post(f"/admin/tickets/callevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert (event.kind, event.text) == ("note", "已回电") and CallEvent.objects.count() == 1
