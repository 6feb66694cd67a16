"""有效电话 (REGULATIONS §2): each inbound call is marked valid or not by the agent, by the standard "a new customer's
enquiry or an existing customer's order is valid; an existing customer's after-sales matter, a cooperation offer and
the like are not valid"; supervisors check the marking; a wrong marking is the §5 manual violation "wrong
valid/invalid marking" (fines preset: 1st ¥200, 2nd ¥500, 3rd dismissal); reports count valid calls."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from csmgmt.core.sheets import Period
from staff.models import ManualEntry
from tests.factories import CallFactory
from tests.workflow_support import snapshot
from tickets import services
from tickets.models import Call, CallEvent
from tickets.selectors import marking_violation_offered, valid_calls_count

TZ = ZoneInfo("Asia/Shanghai")


def test_an_inbound_call_is_not_logged_without_its_valid_marking(make_employee):
    agent = make_employee("agent")
    with translation.override("en"), pytest.raises(services.CallError, match="valid"):
        services.call_create(by=agent, data={"summary": "咨询积分", "direction": "in"})
    assert Call.objects.count() == 0


def test_the_intake_form_refuses_an_inbound_call_without_its_marking(client_for, intake_data):
    c = client_for("agent", language="en")
    response = c.post(reverse("tickets:intake"), intake_data(valid=""))
    assert response.status_code == 200
    assert "Mark whether the inbound call is valid." in response.content.decode()
    assert Call.objects.count() == 0


@pytest.mark.parametrize(("posted", "stored"), [("1", True), ("0", False)])
def test_the_agent_marks_an_inbound_call_valid_or_not_at_intake(client_for, intake_data, posted, stored):
    c = client_for("agent")
    response = c.post(reverse("tickets:intake"), intake_data(valid=posted, form_token=str(uuid.uuid4())))
    assert response.status_code == 302
    assert Call.objects.get().valid is stored


def test_an_outbound_call_is_not_marked(client_for, intake_data):
    c = client_for("agent")
    c.post(reverse("tickets:intake"), intake_data(direction="out", valid="", form_token=str(uuid.uuid4())))
    assert Call.objects.get().valid is None


def test_the_intake_page_shows_the_standard_beside_the_marking(client_for):
    html = client_for("agent", language="en").get(reverse("tickets:intake")).content.decode()
    assert 'id="id_valid"' in html
    assert "enquiry, or an existing customer" in html and "after-sales matter, a cooperation offer" in html


@pytest.fixture
def team(make_employee):
    supervisor = make_employee("supervisor", name="李秀梅")
    agent = make_employee("agent", name="张伟", supervisor=supervisor)
    return supervisor, agent


def inbound(agent, valid=True, **kw):
    return CallFactory(agent=agent, owner=agent, direction="in", valid=valid,
                       received_at=kw.pop("received_at", None) or dt.datetime.now(TZ), **kw)


def test_a_supervisor_confirms_the_marking_and_no_violation_is_offered(team):
    supervisor, agent = team
    call = inbound(agent, valid=True)
    event = services.call_valid_check(call=call, by=supervisor, valid=True, note="新客户询价")
    call.refresh_from_db()
    assert (call.valid, call.valid_checked_at) == (True, event.at)
    assert (event.kind, event.by, event.data) == ("valid_check", supervisor,
                                                  {"marked": True, "checked": True, "corrected": False})
    assert not marking_violation_offered(supervisor.user, call)


def test_a_correction_is_in_the_trail_and_offers_the_wrong_marking_violation_in_one_click(team, client_for):
    supervisor, agent = team
    call = inbound(agent, valid=True, summary="老客户问发票")  # after-sales: not valid
    c = client_for(supervisor)
    response = c.post(reverse("tickets:valid_check", args=[call.pk]), {"valid": "0", "note": "售后问题"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.valid is False
    event = call.events.get(kind="valid_check")
    assert event.data == {"marked": True, "checked": False, "corrected": True}
    latest = call.history.order_by("-history_id").first()
    assert (latest.valid, latest.history_user) == (False, supervisor.user)  # the edit trail has it too
    html = c.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert 'id="marking-violation-form"' in html
    token = str(uuid.uuid4())
    response = c.post(reverse("tickets:marking_violation", args=[call.pk]), {"form_token": token})
    assert response.status_code == 302
    entry = ManualEntry.objects.get()
    assert (entry.employee, entry.category.code, entry.recorded_by, entry.date) == (
        agent, "wrong_marking", supervisor, call.received_at.astimezone(TZ).date())
    assert call.number in entry.note
    recorded = call.events.get(kind="marking_violation")
    assert recorded.data == {"correction": event.pk, "manual_entry": entry.pk, "employee": agent.pk}
    assert not marking_violation_offered(supervisor.user, call)
    assert 'id="marking-violation-form"' not in c.get(reverse("tickets:detail", args=[call.pk])).content.decode()


def test_the_violation_of_one_correction_is_recorded_once(team, client_for):
    supervisor, agent = team
    call = inbound(agent, valid=False)
    services.call_valid_check(call=call, by=supervisor, valid=True)
    services.call_marking_violation_record(call=call, by=supervisor)
    before = snapshot(call), ManualEntry.objects.count()
    with translation.override("en"), pytest.raises(services.CallError, match="without its violation"):
        services.call_marking_violation_record(call=call, by=supervisor)
    c = client_for(supervisor)
    c.post(reverse("tickets:marking_violation", args=[call.pk]), {"form_token": str(uuid.uuid4())})
    assert (snapshot(call), ManualEntry.objects.count()) == before


def test_the_same_violation_form_posted_twice_records_one(team, client_for):
    supervisor, agent = team
    call = inbound(agent, valid=True)
    services.call_valid_check(call=call, by=supervisor, valid=False)
    c = client_for(supervisor)
    token = str(uuid.uuid4())
    for _ in range(2):
        assert c.post(reverse("tickets:marking_violation", args=[call.pk]), {"form_token": token}).status_code == 302
    assert ManualEntry.objects.count() == 1


def test_a_confirmed_marking_offers_no_violation_and_refuses_one(team):
    supervisor, agent = team
    call = inbound(agent, valid=True)
    services.call_valid_check(call=call, by=supervisor, valid=True)
    before = snapshot(call)
    with pytest.raises(services.CallError):
        services.call_marking_violation_record(call=call, by=supervisor)
    assert (snapshot(call), ManualEntry.objects.count()) == (before, 0)


def test_an_agent_may_not_check_the_marking(team, client_for):
    supervisor, agent = team
    call = inbound(agent, valid=True)
    before = snapshot(call)
    c = client_for(agent)
    assert c.post(reverse("tickets:valid_check", args=[call.pk]), {"valid": "0"}).status_code == 403
    assert c.post(reverse("tickets:marking_violation", args=[call.pk]),
                  {"form_token": str(uuid.uuid4())}).status_code == 403
    with pytest.raises(services.PermissionRefused):
        services.call_valid_check(call=call, by=agent, valid=False)
    assert snapshot(call) == before
    assert 'id="valid-check-form"' not in c.get(reverse("tickets:detail", args=[call.pk])).content.decode()


def test_a_supervisor_of_another_team_corrects_but_may_not_record_the_violation(team, make_employee):
    supervisor, agent = team
    other = make_employee("supervisor")
    call = inbound(agent, valid=True)
    services.call_valid_check(call=call, by=other, valid=False)
    call.refresh_from_db()
    assert not marking_violation_offered(other.user, call)
    assert marking_violation_offered(supervisor.user, call)  # the agent's own supervisor may
    before = snapshot(call)
    with pytest.raises(services.CallError):
        services.call_marking_violation_record(call=call, by=other)
    assert (snapshot(call), ManualEntry.objects.count()) == (before, 0)


def test_an_outbound_or_void_call_is_not_checked(team):
    supervisor, agent = team
    outbound = CallFactory(agent=agent, owner=agent, direction="out")
    void = inbound(agent, status="voided", void_reason="重复登记")
    for call in (outbound, void):
        before = snapshot(call)
        with pytest.raises(services.CallError):
            services.call_valid_check(call=call, by=supervisor, valid=True)
        assert snapshot(call) == before


def test_reports_count_valid_calls_as_checked(team):
    supervisor, agent = team
    october = Period(2026, 10)
    day = dt.datetime(2026, 10, 8, 10, tzinfo=TZ)
    inbound(agent, valid=True, received_at=day)
    inbound(agent, valid=True, received_at=day, status="voided", void_reason="重复")  # counts nowhere
    CallFactory(agent=agent, owner=agent, direction="out", received_at=day)
    inbound(agent, valid=True, received_at=dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ))  # November
    corrected = inbound(agent, valid=False, received_at=day)
    assert valid_calls_count(october) == 1
    services.call_valid_check(call=corrected, by=supervisor, valid=True)
    assert valid_calls_count(october) == 2
