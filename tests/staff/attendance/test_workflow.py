"""The three attendance workflows, move by move and role by role, through their services: each expected table is
written out here (never read from staff/attendance/workflow.py), so a wrong entry in the code's table fails.

Roles: the six of REGULATIONS §1 and the ones a person holds towards a record — the employee the request is for
(``owner``), that employee's own supervisor (``team_supervisor``), a supervisor of another team, a manager of
another department, and for the duty log the employee who wrote the entry (``outgoing``)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from csmgmt.core.workflow import available_actions
from staff.attendance.services.corrections import correction_transition
from staff.attendance.services.duty_log import duty_entry_transition
from staff.attendance.services.leave import leave_transition
from staff.attendance.workflow import AttendanceError, AttendanceForbidden
from staff.models import (Correction, CorrectionEvent, DutyLogEntry, DutyLogEvent, LeaveDeputy, LeaveEvent,
                          LeaveRequest)
from tests.factories import DepartmentFactory, DutyLogEntryFactory, LeaveRequestFactory, RosterEntryFactory, shift
from tests.workflow_support import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_employee):
    """Everyone who might try a move: the request's employee, their supervisor, the deputy a manager named for that
    supervisor for this month, their manager, a colleague, a supervisor of another team, a manager of another
    department, and the roles outside customer service."""
    manager = make_employee("manager", team="")
    team_supervisor = make_employee("supervisor", supervisor=manager)
    owner = make_employee("agent", supervisor=team_supervisor)
    other_department = DepartmentFactory(name="质量管理部", code="QA")
    deputy = make_employee("supervisor", team="三组", supervisor=manager)
    today = timezone.localdate()
    LeaveDeputy.objects.create(supervisor=team_supervisor, deputy=deputy, start_date=today - dt.timedelta(days=30),
                               end_date=today + dt.timedelta(days=30), named_by=manager)
    return {
        "owner": owner,
        "team_supervisor": team_supervisor,
        "deputy": deputy,
        "manager": manager,
        "agent": make_employee("agent", supervisor=team_supervisor),
        "other_supervisor": make_employee("supervisor", team="二组", supervisor=manager),
        "other_manager": make_employee("manager", team="", department=other_department),
        "handler": make_employee("handler", department=other_department),
        "custodian": make_employee("custodian"),
        "admin": make_employee("admin"),
    }


ROLES = ("owner", "team_supervisor", "deputy", "manager", "agent", "other_supervisor", "other_manager", "handler",
         "custodian", "admin")
TEAM = {"team_supervisor", "manager"}  # the employee's own supervisor, or a manager of their department
FIRST_LEVEL = {"team_supervisor", "deputy"}  # leave: the employee's own supervisor, or the deputy named for them


def _events(model, **record):
    return list(model.objects.filter(**record).values_list("action", "from_state", "to_state", "by_id"))


# --- leave ------------------------------------------------------------------------------------------------

# REGULATIONS §4 (Leave): approval goes one level at a time, never skipping, and is two people — the first level
# is the employee's own supervisor (or a deputy the manager named for a period); the second level, for leave longer
# than the long-leave threshold (3 days by default), is a manager who did not give the first level. A manager does
# not approve (nor refuse) in the supervisor's place. A full-day sick leave's certificate may follow — added by the
# employee or the first level — until the end of the employee's first rostered working day after the leave; after
# that the first level keeps the leave or records 旷工. docs/attendance.md, where §4 is silent: nobody approves
# their own leave; a refusal needs a reason and comes from whoever may approve at that level; the employee cancels
# their own request — waiting or approved — before the first day's shift starts.
# (state, action) -> (next state, roles that may)
LEAVE_EXPECTED = {
    ("pending_supervisor", "approve"): ("approved", FIRST_LEVEL),  # 3 days or fewer: one level
    ("pending_supervisor", "approve_first"): ("pending_manager", FIRST_LEVEL),  # more than 3 days: on to a manager
    ("pending_supervisor", "refuse"): ("refused", FIRST_LEVEL),
    ("pending_supervisor", "add_certificate"): ("pending_supervisor", {"owner"} | FIRST_LEVEL),
    ("pending_supervisor", "cancel"): ("cancelled", {"owner"}),
    ("pending_manager", "approve_final"): ("approved", {"manager"}),
    ("pending_manager", "refuse"): ("refused", {"manager"}),
    ("pending_manager", "add_certificate"): ("pending_manager", {"owner"} | FIRST_LEVEL),
    ("pending_manager", "cancel"): ("cancelled", {"owner"}),
    ("approved", "add_certificate"): ("approved", {"owner"} | FIRST_LEVEL),
    ("approved", "keep_leave"): ("approved", FIRST_LEVEL),  # the certificate is late
    ("approved", "make_absent"): ("absent", FIRST_LEVEL),  # the certificate is late: 旷工
    ("approved", "cancel"): ("cancelled", {"owner"}),
}
LEAVE_STATES = ("pending_supervisor", "pending_manager", "approved", "refused", "cancelled", "absent")
LEAVE_ACTIONS = ("approve", "approve_first", "approve_final", "refuse", "add_certificate", "keep_leave",
                 "make_absent", "cancel")
LEAVE_CASES = [(state, action) for state in LEAVE_STATES for action in LEAVE_ACTIONS]
STORED = {"approve_first": "approve", "approve_final": "approve"}  # every approval is stored as "approve"


def leave_at(employee, state, action):
    """A leave of ``employee`` in ``state``, starting in three days: a long one (4 days) where the move is for
    long leave or past the supervisor already, a short one (1 day) otherwise; a full-day sick leave with no
    certificate for the certificate's moves — for keeping it or recording 旷工, one that ended in the past, with the
    employee's next working day rostered and over (the certificate is late)."""
    days = 4 if action == "approve_first" or state == "pending_manager" else 1
    n = LeaveRequest.objects.count()
    start = timezone.localdate() + dt.timedelta(days=3 + 10 * n)
    kind = "sick" if action in ("add_certificate", "keep_leave", "make_absent") else "annual"
    if action in ("keep_leave", "make_absent"):
        start = timezone.localdate() - dt.timedelta(days=200 - 5 * n)
        RosterEntryFactory(employee=employee, date=start + dt.timedelta(days=days), shift=shift("A"))
    return LeaveRequestFactory(employee=employee, start_date=start, end_date=start + dt.timedelta(days=days - 1),
                               state=state, kind=kind)


@pytest.mark.parametrize(("state", "action"), LEAVE_CASES, ids=[f"{s}-{a}" for s, a in LEAVE_CASES])
def test_the_leave_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        cast, state, action):
    expected = LEAVE_EXPECTED.get((state, action))
    untouched = leave_at(cast["owner"], state, action)  # every refusal is tried on it: none may change it
    for role in ROLES:
        employee = cast[role]
        if expected is not None and role in expected[1]:
            leave = leave_at(cast["owner"], state, action)
            assert action in available_actions(leave, employee.user), role
            leave_transition(leave=leave, action=action, by=employee, comment="人手不够")
            leave.refresh_from_db()
            assert leave.state == expected[0], role
            assert _events(LeaveEvent, leave=leave) == [(STORED.get(action, action), state, expected[0],
                                                         employee.pk)], role
        else:
            before = snapshot(untouched)
            with pytest.raises(AttendanceError) as refused:
                leave_transition(leave=untouched, action=action, by=employee, comment="人手不够")
            if expected is not None:  # the move exists, but not for this role
                assert isinstance(refused.value, AttendanceForbidden), role
            assert snapshot(untouched) == before, role
            assert action not in available_actions(untouched, employee.user), role


@pytest.mark.parametrize("state", ["refused", "cancelled", "absent"])
def test_a_refused_or_cancelled_leave_refuses_every_move(cast, state):
    leave = leave_at(cast["owner"], state, "approve")
    for role in ROLES:
        assert available_actions(leave, cast[role].user) == [], role
        for action in LEAVE_ACTIONS:
            before = snapshot(leave)
            with pytest.raises(AttendanceError):
                leave_transition(leave=leave, action=action, by=cast[role], comment="人手不够")
            assert snapshot(leave) == before, (role, action)


def test_an_approved_leave_is_only_cancelled_by_its_employee_and_only_before_it_starts(cast):
    leave = leave_at(cast["owner"], "approved", "cancel")
    assert [available_actions(leave, cast[role].user) for role in ROLES] == [["cancel"]] + [[]] * 9
    first_morning = dt.datetime.combine(leave.start_date, dt.time(0, 1), tzinfo=timezone.get_current_timezone())
    before = snapshot(leave)
    with pytest.raises(AttendanceError, match="only before it starts"):
        leave_transition(leave=leave, action="cancel", by=cast["owner"], now=first_morning)
    assert snapshot(leave) == before


@pytest.mark.parametrize(("action", "days", "message"), [
    ("approve", 1, "You cannot approve your own leave."),
    ("approve_first", 4, "You cannot approve your own leave."),
    ("refuse", 1, "You cannot decide on your own leave."),
])
def test_a_manager_cannot_decide_on_their_own_leave(cast, action, days, message):
    leave = leave_at(cast["manager"], "pending_supervisor", "approve_first" if days > 1 else "approve")
    before = snapshot(leave)
    with pytest.raises(AttendanceForbidden, match=message):
        leave_transition(leave=leave, action=action, by=cast["manager"], comment="自己批")
    assert snapshot(leave) == before
    assert available_actions(leave, cast["manager"].user) == ["cancel"]


def test_a_supervisor_is_told_that_long_leave_is_the_managers(cast):
    leave = leave_at(cast["owner"], "pending_manager", "approve_final")
    with pytest.raises(AttendanceForbidden, match="Only a manager of the employee's department approves long leave."):
        leave_transition(leave=leave, action="approve_final", by=cast["team_supervisor"])


# --- corrections ------------------------------------------------------------------------------------------

# REGULATIONS §4: a correction (补卡) is asked by the employee and approved by the supervisor. docs/attendance.md
# (Corrections, Team): the supervisor — or a manager of the department — approves or refuses with a reason; nobody
# decides their own; once decided it moves no more.
CORRECTION_EXPECTED = {
    ("pending", "approve"): ("approved", TEAM),
    ("pending", "refuse"): ("refused", TEAM),
}
CORRECTION_CASES = [(state, action) for state in ("pending", "approved", "refused") for action in ("approve", "refuse")]


def correction_at(employee, state):
    return Correction.objects.create(employee=employee, date=timezone.localdate() - dt.timedelta(days=3),
                                     kind="status", requested_code="P", reason="外出培训", state=state)


@pytest.mark.parametrize(("state", "action"), CORRECTION_CASES, ids=[f"{s}-{a}" for s, a in CORRECTION_CASES])
def test_the_correction_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        cast, state, action):
    expected = CORRECTION_EXPECTED.get((state, action))
    untouched = correction_at(cast["owner"], state)
    for role in ROLES:
        employee = cast[role]
        if expected is not None and role in expected[1]:
            correction = correction_at(cast["owner"], state)
            assert action in available_actions(correction, employee.user), role
            correction_transition(correction=correction, action=action, by=employee, comment="已核实")
            correction.refresh_from_db()
            assert (correction.state, correction.decided_by_id) == (expected[0], employee.pk), role
            assert _events(CorrectionEvent, correction=correction) == [(action, state, expected[0], employee.pk)]
        else:
            before = snapshot(untouched)
            with pytest.raises(AttendanceError) as refused:
                correction_transition(correction=untouched, action=action, by=employee, comment="已核实")
            if expected is not None:
                assert isinstance(refused.value, AttendanceForbidden), role
            else:
                assert refused.value.message == "This correction is already decided.", role
            assert snapshot(untouched) == before, role
            assert action not in available_actions(untouched, employee.user), role


# --- the duty and handover log ----------------------------------------------------------------------------

# REGULATIONS §7: the outgoing and the incoming employee both sign; entries are never edited after signing.
# docs/attendance.md (Duty and handover log): the outgoing employee writes and edits the entry until they sign;
# then another employee of customer service signs as incoming; after that nothing moves (an addendum is a new
# entry).
CS = {"outgoing", "agent", "supervisor", "manager"}  # customer service (a supervisor is an agent too)
DUTY_ROLES = ("outgoing", "agent", "supervisor", "manager", "handler", "custodian", "admin")
DUTY_EXPECTED = {
    ("draft", "edit"): ("draft", {"outgoing"}),
    ("draft", "sign_outgoing"): ("signed_by_outgoing", {"outgoing"}),
    ("signed_by_outgoing", "sign_incoming"): ("signed_by_both", CS - {"outgoing"}),
}
DUTY_STATES = ("draft", "signed_by_outgoing", "signed_by_both")
DUTY_ACTIONS = ("edit", "sign_outgoing", "sign_incoming")
DUTY_CASES = [(state, action) for state in DUTY_STATES for action in DUTY_ACTIONS]
_days_back = itertools.count(1)


@pytest.fixture
def crew(make_employee):
    return {"outgoing": make_employee("agent"), "agent": make_employee("agent"),
            "supervisor": make_employee("supervisor"), "manager": make_employee("manager"),
            "handler": make_employee("handler"), "custodian": make_employee("custodian"),
            "admin": make_employee("admin")}


def entry_at(crew, state):
    now = timezone.now()
    signatures = {
        "draft": {},
        "signed_by_outgoing": {"outgoing_signed_at": now},
        "signed_by_both": {"outgoing_signed_at": now, "incoming": crew["agent"], "incoming_signed_at": now},
    }[state]
    entry = DutyLogEntryFactory(outgoing=crew["outgoing"], date=timezone.localdate() - dt.timedelta(
        days=next(_days_back)), **signatures)
    assert entry.state == state
    return entry


@pytest.mark.parametrize(("state", "action"), DUTY_CASES, ids=[f"{s}-{a}" for s, a in DUTY_CASES])
def test_the_duty_log_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        crew, state, action):
    expected = DUTY_EXPECTED.get((state, action))
    untouched = entry_at(crew, state)
    for role in DUTY_ROLES:
        employee = crew[role]
        if expected is not None and role in expected[1]:
            entry = entry_at(crew, state)
            assert action in available_actions(entry, employee.user), role
            duty_entry_transition(entry=entry, action=action, by=employee, data={"events": "系统升级完成"},
                                  problems_found="钥匙少一把")
            entry.refresh_from_db()
            assert entry.state == expected[0], role
            assert _events(DutyLogEvent, entry=entry) == [(action, state, expected[0], employee.pk)], role
        else:
            before = snapshot(untouched)
            with pytest.raises(AttendanceError) as refused:
                duty_entry_transition(entry=untouched, action=action, by=employee, data={"events": "改"},
                                      problems_found="钥匙少一把")
            if (state, action, role) == ("signed_by_outgoing", "sign_incoming", "outgoing"):
                assert refused.value.message == "The incoming employee must be someone else."
            elif expected is not None:
                assert isinstance(refused.value, AttendanceForbidden), role
            assert snapshot(untouched) == before, role
            assert action not in available_actions(untouched, employee.user), role


def test_each_signature_is_stamped_with_who_and_when(crew):
    entry = entry_at(crew, "draft")
    at = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    duty_entry_transition(entry=entry, action="sign_outgoing", by=crew["outgoing"], now=at)
    duty_entry_transition(entry=entry, action="sign_incoming", by=crew["supervisor"], problems_found=" 传真机缺纸 ",
                          now=at + dt.timedelta(minutes=5))
    entry.refresh_from_db()
    assert (entry.state, entry.outgoing_signed_at, entry.incoming, entry.incoming_signed_at, entry.problems_found) == (
        "signed_by_both", at, crew["supervisor"], at + dt.timedelta(minutes=5), "传真机缺纸")
    assert list(entry.trail.values_list("action", "at")) == [("sign_outgoing", at),
                                                             ("sign_incoming", at + dt.timedelta(minutes=5))]


def test_an_entry_signed_by_both_refuses_every_move(crew):
    entry = entry_at(crew, "signed_by_both")
    for role in DUTY_ROLES:
        assert available_actions(entry, crew[role].user) == [], role
        for action in DUTY_ACTIONS:
            before = snapshot(entry)
            with pytest.raises(AttendanceError):
                duty_entry_transition(entry=entry, action=action, by=crew[role], data={"events": "改"})
            assert snapshot(entry) == before, (role, action)
    assert DutyLogEntry.objects.get(pk=entry.pk).events == "早班无异常"
