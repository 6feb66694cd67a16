"""The call workflow's table, move by move and role by role, through the services that make the moves.

The expected table is written out here, never read from ``tickets/workflow.py``: from REGULATIONS §2 where it
speaks (首问负责: the agent who takes a call owns it until it is resolved or handed to a named colleague or
department) and from docs/tickets.md where it is silent ("Only the owner or a supervisor edits, notes, hands
over or closes a call; only a supervisor … voids a call (with a reason)"; a transferred call's department
handlers "record their reply"; editing the outcome of a closed call to another outcome than 当场解决 reopens
it)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from csmgmt.core.models import Notification
from csmgmt.core.workflow import transition
from tests.factories import CallFactory
from tests.workflow_support import snapshot
from tickets import services
from tickets.models import Call, CallEvent
from tickets.workflow import CALL, available_actions

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin", "owner", "department_handler")
OWNER_OR_SUPERVISOR = {"owner", "supervisor", "manager"}  # a manager is a supervisor too
SUPERVISOR = {"supervisor", "manager"}

# (status, action) -> (next status, roles that may). Every other (status, action, role) is refused.
EXPECTED = {
    ("open", "hand_over"): ("open", OWNER_OR_SUPERVISOR),  # 首问负责: to a named colleague, with a reason
    ("open", "reply"): ("open", {"department_handler"}),  # the department the call was transferred to
    ("open", "close"): ("closed", OWNER_OR_SUPERVISOR),
    ("open", "void"): ("voided", SUPERVISOR),
    ("closed", "reopen"): ("open", OWNER_OR_SUPERVISOR),  # by a new outcome on the edit page
    ("closed", "void"): ("voided", SUPERVISOR),
}
STATUSES = ("open", "closed", "voided")
# the repair moves (on site, finished, revisit) exist only for a repair request sent to a department: on these calls
# (an enquiry) every one is refused for everyone; ``test_repairs.py`` and the repair table below take them in turn
ACTIONS = ("hand_over", "reply", "close", "void", "reopen", "on_site", "finished", "revisit")
CASES = [(status, action) for status in STATUSES for action in ACTIONS]

# the event's kind on the call's timeline (CallEvent.kind) for each move
KIND = {"hand_over": "handover", "reply": "department_reply", "close": "closed", "void": "voided",
        "reopen": "reopened"}
# what a role the table does not allow is told (today's messages)
FORBIDDEN = {
    "hand_over": "Only the owner or a supervisor hands over an open call.",
    "reply": "Only a handler of the department the call was transferred to replies.",
    "close": "Only the call's owner or a supervisor closes it.",
    "void": "Only a supervisor voids a call.",
    "reopen": "Only the call's owner or a supervisor edits it.",
}


def attempt(action, call, by, people):
    """Make ``action`` on ``call`` as ``by`` through the service a user goes through. Reopening is an edit of
    the outcome of a closed call; on a call that is not closed no edit makes it, so the engine is asked
    directly (with the edit's data)."""
    if action == "hand_over":
        return services.call_hand_over(call=call, by=by, to=people["colleague"], reason="对方负责该区域")
    if action == "reply":
        return services.call_department_reply(call=call, by=by, text="已派师傅明早九点上门")
    if action == "close":
        return services.call_close_checked(call=call, by=by, note="已回电")
    if action == "void":
        return services.call_void(call=call, by=by, reason="重复登记")
    if action == "on_site":
        return services.call_repair_on_site(call=call, by=by)
    if action == "finished":
        return services.call_repair_finished(call=call, by=by)
    if action == "revisit":
        return services.call_repair_revisit(call=call, by=by, satisfaction=5)
    if call.status == "closed":
        return services.call_update(call=call, by=by, data={"outcome": "reply_promised"})
    return transition(CALL, call, "reopen", by=by, data={"from_outcome": call.outcome,
                                                          "to_outcome": "reply_promised"})


def state(call):
    return snapshot(call), Notification.objects.count()


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_the_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, call_at, status, action):
    expected = EXPECTED.get((status, action))
    untouched = call_at(status)  # every refusal is tried on it: none may change it
    for role in ROLES:
        user = people[role]
        if expected is not None and role in expected[1]:
            call = call_at(status)
            if action == "reopen":  # never a button: the edit page's new outcome makes it
                assert "reopen" not in available_actions(call, user.user), role
            else:
                assert action in available_actions(call, user.user), role
            attempt(action, call, user, people)
            call.refresh_from_db()
            assert call.status == expected[0], role
            events = list(CallEvent.objects.filter(call=call).values_list("kind", "from_status", "to_status",
                                                                          "by_id"))
            assert events == [(KIND[action], status, expected[0], user.pk)], role
        else:
            call = untouched
            before = state(call)
            with translation.override("en"), pytest.raises(services.CallError) as exc:
                attempt(action, call, user, people)
            if expected is not None:  # the move exists, not for this role: refused as a person
                assert isinstance(exc.value, services.PermissionRefused), role
                assert exc.value.message == FORBIDDEN[action], role
            assert state(call) == before, role
            assert action not in available_actions(call, user.user), role


# 报修 followed to the end (REGULATIONS §2): the open repair request's moves by its step. "The handler or the owner
# records on-site and finished times" (a supervisor acts for any owner); the revisit is customer service's (§1:
# agents "do revisits"): the owner or a supervisor; the revisit closes the call, and nothing else does before it.
REPAIR_HANDS = OWNER_OR_SUPERVISOR | {"department_handler"}
REPAIR_EXPECTED = {
    ("dispatched", "on_site"): ("open", REPAIR_HANDS),
    ("on_site", "finished"): ("open", REPAIR_HANDS),
    ("finished", "revisit"): ("closed", OWNER_OR_SUPERVISOR),
}
REPAIR_STEPS = ("dispatched", "on_site", "finished")
REPAIR_CASES = [(step, action) for step in REPAIR_STEPS for action in ("on_site", "finished", "revisit", "close")]
REPAIR_KIND = {"on_site": "on_site", "finished": "finished", "revisit": "revisit"}


@pytest.fixture
def repair_at(people, eng):
    def make(step):
        fields = {"status": "open", "category": "repair", "outcome": "transferred", "department": eng,
                  "agent": people["owner"], "owner": people["owner"]}
        if step in ("on_site", "finished"):
            fields["repair_on_site_at"] = timezone.now() - dt.timedelta(minutes=30)
        if step == "finished":
            fields["repair_finished_at"] = timezone.now() - dt.timedelta(minutes=5)
        return CallFactory(**fields)

    return make


@pytest.mark.parametrize(("step", "action"), REPAIR_CASES, ids=[f"{s}-{a}" for s, a in REPAIR_CASES])
def test_the_repair_steps_each_work_for_their_roles_and_every_other_is_refused_with_nothing_changed(
        people, repair_at, step, action):
    expected = REPAIR_EXPECTED.get((step, action))
    untouched = repair_at(step)
    for role in ROLES:
        user = people[role]
        if expected is not None and role in expected[1]:
            call = repair_at(step)
            assert action in available_actions(call, user.user), role
            attempt(action, call, user, people)
            call.refresh_from_db()
            assert call.status == expected[0], role
            assert list(CallEvent.objects.filter(call=call).values_list("kind", "from_status", "to_status", "by_id")) \
                == [(REPAIR_KIND[action], "open", expected[0], user.pk)], role
        else:
            before = state(untouched)
            with pytest.raises(services.CallError):
                attempt(action, untouched, user, people)
            assert state(untouched) == before, role
            assert action not in available_actions(untouched, user.user), role


def test_a_voided_call_refuses_every_move_and_offers_none(people, call_at):
    call = call_at("voided")
    before = state(call)
    for role in ROLES:
        assert available_actions(call, people[role].user) == [], role
        for action in ACTIONS:
            with pytest.raises(services.CallError):
                attempt(action, call, people[role], people)
    assert state(call) == before


@pytest.mark.parametrize(("status", "action", "message"), [
    ("closed", "close", "The call is not open."),
    ("voided", "void", "The call is already void."),
    ("closed", "hand_over", "Only the owner or a supervisor hands over an open call."),
    ("closed", "reply", "Only a handler of the department the call was transferred to replies."),
])
def test_a_move_the_status_does_not_allow_keeps_its_message(people, call_at, status, action, message):
    call = call_at(status)
    who = {"reply": "department_handler"}.get(action, "supervisor")
    with translation.override("en"), pytest.raises(services.CallError) as exc:
        attempt(action, call, people[who], people)
    assert exc.value.message == message


def test_reopening_is_refused_without_a_new_outcome(people, call_at):
    call = call_at("closed")
    before = state(call)
    for data in ({}, {"to_outcome": "resolved"}, {"from_outcome": "resolved", "to_outcome": "resolved"}):
        with translation.override("en"), pytest.raises(services.CallError, match="not possible now"):
            transition(CALL, call, "reopen", by=people["owner"], data=data)
    assert state(call) == before


def test_an_owner_who_no_longer_takes_calls_is_no_owner(people, call_at, make_employee):
    handler_owner = make_employee("handler")
    call = call_at("open")
    Call.objects.filter(pk=call.pk).update(owner=handler_owner)
    call.refresh_from_db()
    assert available_actions(call, handler_owner.user) == []
    before = state(call)
    with pytest.raises(services.PermissionRefused):
        services.call_close_checked(call=call, by=handler_owner)
    assert state(call) == before


def test_a_handler_replies_only_for_a_call_of_their_department(people, call_at):
    call = call_at("open")
    assert available_actions(call, people["department_handler"].user) == ["reply"]
    assert available_actions(call, people["handler"].user) == []
    event = services.call_department_reply(call=call, by=people["department_handler"], text="已上门")
    call.refresh_from_db()
    assert (event.kind, event.from_status, event.to_status, event.text) == ("department_reply", "open", "open",
                                                                            "已上门")
    assert call.department_replied_at == event.at


# --- the trail of a call's life --------------------------------------------------------------------


def test_a_call_is_logged_open_and_a_resolved_one_closed_at_once_by_its_owner(make_employee):
    agent = make_employee("agent")
    call = services.call_create(by=agent, data={"valid": True, "summary": "咨询积分", "outcome": "resolved"})
    assert (call.status, call.closed_at is not None) == ("closed", True)
    events = list(call.events.values_list("kind", "from_status", "to_status", "by_id", "at", "data"))
    assert [e[:4] for e in events] == [("created", "", "closed", agent.pk)]  # one move: logged closed
    assert events[0][5] == {"outcome": "resolved", "valid": True}
    assert events[0][4] == call.closed_at  # closed when it was logged
    promised = services.call_create(by=agent, data={"valid": True, "summary": "待回复", "outcome": "reply_promised"})
    assert promised.status == "open"
    assert list(promised.events.values_list("kind", "to_status")) == [("created", "open")]


def test_notes_and_complaints_move_nothing_and_are_written_in_the_calls_status(people, call_at):
    call = call_at("closed")
    services.call_add_note(call=call, by=people["owner"], text="客户又来电确认")
    services.call_mark_opened_as_complaint(call=call, by=people["owner"])
    call.refresh_from_db()
    assert call.status == "closed"
    assert list(call.events.values_list("kind", "from_status", "to_status", "by_id")) == [
        ("note", "closed", "closed", people["owner"].pk), ("complaint", "closed", "closed", people["owner"].pk)]


def test_a_hand_over_is_a_move_that_keeps_the_call_open(people, call_at):
    call = call_at("open")
    event = services.call_hand_over(call=call, by=people["owner"], to=people["colleague"], reason="对方负责")
    assert (event.kind, event.from_status, event.to_status, event.from_owner, event.to_owner) == (
        "handover", "open", "open", people["owner"], people["colleague"])
    assert Notification.objects.filter(recipient=people["colleague"], key=f"call-handover-{event.pk}").count() == 1


def test_an_imported_register_is_logged_and_closed_when_it_was(tmp_path, make_employee, db):
    from django.core.management import call_command

    make_employee("agent", employee_no="CS101")
    manager = make_employee("manager", employee_no="M001")
    path = tmp_path / "calls.csv"
    path.write_text("received_at,caller_phone,category,summary,agent_no,outcome,status\n"
                    "2026-11-01 09:30,13800138000,咨询,咨询积分,CS101,当场解决,\n"
                    "2026-11-01 10:00,13800138000,咨询,待回复,CS101,待回复,\n"
                    "2026-11-01 11:00,13800138000,咨询,已回电,CS101,待回复,已结\n", encoding="utf-8")
    call_command("import_calls", str(path), "--by", "M001")
    calls = list(Call.objects.order_by("received_at"))
    assert [(c.status, c.closed_at) for c in calls] == [("closed", calls[0].received_at), ("open", None),
                                                        ("closed", calls[2].received_at)]
    for call in calls:
        events = list(call.events.values_list("kind", "from_status", "to_status", "by_id", "at"))
        assert events == [("created", "", call.status, manager.pk, call.received_at)], call.summary


def test_an_import_that_names_nobody_closes_as_the_product_itself(tmp_path, make_employee, client_for):
    from django.core.management import call_command
    from django.urls import reverse

    make_employee("agent", employee_no="CS101")
    path = tmp_path / "calls.csv"
    path.write_text("received_at,caller_phone,category,summary,agent_no\n"
                    "2026-11-01 09:30,13800138000,咨询,咨询积分,CS101\n", encoding="utf-8")
    call_command("import_calls", str(path))
    call = Call.objects.get()
    assert list(call.events.values_list("kind", "to_status", "by_id")) == [("created", "closed", None)]
    page = client_for("supervisor", language="en").get(reverse("tickets:detail", args=[call.pk]))
    timeline = page.content.decode().split('id="call-events"')[1].split("</ul>")[0]
    assert timeline.count(" · system · ") == 1


@pytest.mark.parametrize(("role", "may"), [("agent", True), ("supervisor", True), ("manager", True),
                                           ("handler", False), ("custodian", False), ("admin", False)])
def test_logging_a_call_is_customer_services_creating_move(make_employee, role, may):
    """REGULATIONS §1/§2: agents (and so supervisors and managers) log calls; nobody else creates one."""
    from django.utils import timezone

    from csmgmt.core.workflow import create
    from tickets.workflow import PermissionRefused

    employee = make_employee(role)
    for action, status in (("log", "open"), ("log_resolved", "closed")):
        call = Call(number=f"LD-{role}-{action}", received_at=timezone.now(), agent=employee, owner=employee,
                    summary="咨询积分")
        if may:
            create(CALL, call, action, by=employee)
            assert list(call.events.values_list("kind", "from_status", "to_status", "by_id")) == [
                ("created", "", status, employee.pk)]
        else:
            with pytest.raises(PermissionRefused):
                create(CALL, call, action, by=employee)
            assert not Call.objects.filter(number=call.number).exists()
            assert not CallEvent.objects.filter(call__number=call.number).exists()


def test_a_creating_move_is_no_move_on_a_call_that_exists(people, call_at):
    call = call_at("open")
    before = snapshot(call)
    for action in ("log", "log_resolved"):
        with pytest.raises(services.CallError):
            transition(CALL, call, action, by=people["supervisor"])
    assert snapshot(call) == before
