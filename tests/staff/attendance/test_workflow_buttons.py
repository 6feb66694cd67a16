"""The attendance pages offer exactly the moves the engine allows: for each state and each role, the buttons of the
leave page, of the approvals list (where leave and corrections are decided) and of the duty-log page are
``available_actions`` (the one "Approve" button stands for whichever approval applies)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.workflow import available_actions
from staff.models import Correction
from tests.factories import DepartmentFactory, DutyLogEntryFactory, LeaveRequestFactory
from tests.workflow_support import assert_buttons_are_the_available_actions

pytestmark = pytest.mark.django_db


def login(employee):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(employee.user)
    return client


@pytest.fixture
def cast(make_employee):
    manager = make_employee("manager", team="")
    team_supervisor = make_employee("supervisor", supervisor=manager)
    return {
        "owner": make_employee("agent", supervisor=team_supervisor),
        "team_supervisor": team_supervisor,
        "manager": manager,
        "agent": make_employee("agent", supervisor=team_supervisor),
        "other_supervisor": make_employee("supervisor", team="二组", supervisor=manager),
        "other_manager": make_employee("manager", team="", department=DepartmentFactory(name="质量管理部", code="QA")),
    }


def leave_in(owner, state, days=1):
    start = timezone.localdate() + dt.timedelta(days=3)
    return LeaveRequestFactory(employee=owner, start_date=start, end_date=start + dt.timedelta(days=days - 1),
                               state=state)


LEAVE_STATES = [("pending_supervisor", 1), ("pending_supervisor", 4), ("pending_manager", 4), ("approved", 1),
                ("refused", 1), ("cancelled", 1)]


@pytest.mark.parametrize(("state", "days"), LEAVE_STATES, ids=[f"{s}-{d}d" for s, d in LEAVE_STATES])
def test_the_leave_page_shows_the_buttons_of_each_roles_available_moves(cast, state, days):
    leave = leave_in(cast["owner"], state, days)
    url = reverse("staff:attendance_leave_detail", args=[leave.pk])
    offered = {}
    for role in ("owner", "team_supervisor", "manager"):
        offered[role] = assert_buttons_are_the_available_actions(login(cast[role]), url, leave, cast[role])
    for role in ("agent", "other_supervisor", "other_manager"):  # not theirs to see, nor to move
        assert login(cast[role]).get(url).status_code == 403
        assert available_actions(leave, cast[role]) == []
    # written out (REGULATIONS §4, docs/attendance.md "Leave"): who is offered what
    expected = {
        # the first level is the employee's own supervisor: a manager does not decide in their place
        ("pending_supervisor", 1): {"owner": {"cancel"}, "team_supervisor": {"approve", "refuse"},
                                    "manager": set()},
        ("pending_supervisor", 4): {"owner": {"cancel"}, "team_supervisor": {"approve_first", "refuse"},
                                    "manager": set()},
        ("pending_manager", 4): {"owner": {"cancel"}, "team_supervisor": set(),
                                 "manager": {"approve_final", "refuse"}},
        ("approved", 1): {"owner": {"cancel"}, "team_supervisor": set(), "manager": set()},
        ("refused", 1): {"owner": set(), "team_supervisor": set(), "manager": set()},
        ("cancelled", 1): {"owner": set(), "team_supervisor": set(), "manager": set()},
    }[(state, days)]
    assert offered == expected


@pytest.mark.parametrize(("state", "days"), [("pending_supervisor", 1), ("pending_supervisor", 4),
                                             ("pending_manager", 4)])
def test_the_approvals_list_shows_the_buttons_of_each_roles_available_moves_on_leave(cast, state, days):
    leave = leave_in(cast["owner"], state, days)
    url = reverse("staff:attendance_approvals")
    offered = {role: assert_buttons_are_the_available_actions(login(cast[role]), url, leave, cast[role])
               for role in ("team_supervisor", "manager", "other_supervisor", "other_manager")}
    approval = {1: "approve", 4: "approve_first"}[days] if state == "pending_supervisor" else "approve_final"
    assert offered == {
        "team_supervisor": {approval, "refuse"} if state == "pending_supervisor" else set(),
        "manager": {approval, "refuse"} if state == "pending_manager" else set(),  # not in the supervisor's place
        "other_supervisor": set(),
        "other_manager": set(),
    }


def test_the_approvals_list_shows_the_buttons_of_each_roles_available_moves_on_a_correction(cast):
    correction = Correction.objects.create(employee=cast["owner"], date=timezone.localdate() - dt.timedelta(days=2),
                                           kind="status", requested_code="P", reason="外出培训")
    url = reverse("staff:attendance_approvals")
    offered = {role: assert_buttons_are_the_available_actions(login(cast[role]), url, correction, cast[role])
               for role in ("team_supervisor", "manager", "other_supervisor", "other_manager")}
    assert offered == {"team_supervisor": {"approve", "refuse"}, "manager": {"approve", "refuse"},
                       "other_supervisor": set(), "other_manager": set()}


@pytest.mark.parametrize("state", ["draft", "signed_by_outgoing", "signed_by_both"])
def test_the_duty_log_page_shows_the_buttons_of_each_roles_available_moves(make_employee, state):
    crew = {"outgoing": make_employee("agent"), "agent": make_employee("agent"),
            "supervisor": make_employee("supervisor"), "manager": make_employee("manager")}
    now = timezone.now()
    signatures = {"draft": {}, "signed_by_outgoing": {"outgoing_signed_at": now},
                  "signed_by_both": {"outgoing_signed_at": now, "incoming": crew["agent"],
                                     "incoming_signed_at": now}}[state]
    entry = DutyLogEntryFactory(outgoing=crew["outgoing"], **signatures)
    url = reverse("staff:attendance_duty_detail", args=[entry.pk])
    offered = {role: assert_buttons_are_the_available_actions(login(employee), url, entry, employee)
               for role, employee in crew.items()}
    handler = make_employee("handler")
    assert login(handler).get(url).status_code == 403 and available_actions(entry, handler) == []
    assert offered == {  # written out (REGULATIONS §7, docs/attendance.md "Duty and handover log")
        "draft": {"outgoing": {"edit", "sign_outgoing"}, "agent": set(), "supervisor": set(), "manager": set()},
        "signed_by_outgoing": {"outgoing": set(), "agent": {"sign_incoming"}, "supervisor": {"sign_incoming"},
                               "manager": {"sign_incoming"}},
        "signed_by_both": {"outgoing": set(), "agent": set(), "supervisor": set(), "manager": set()},
    }[state]


# --- the certificate's moves (issue 15, REGULATIONS §4) ------------------------------------------------------


def _sick_leave(owner, *, late):
    """A full-day sick leave of ``owner``, approved and without its certificate: one still to come (the certificate
    may follow), or one that ended weeks ago with the employee's next rostered working day over (it is late)."""
    from tests.factories import RosterEntryFactory, shift

    start = timezone.localdate() + (dt.timedelta(days=-30) if late else dt.timedelta(days=3))
    if late:
        RosterEntryFactory(employee=owner, date=start + dt.timedelta(days=1), shift=shift("A"))
    return LeaveRequestFactory(employee=owner, kind="sick", start_date=start, end_date=start, state="approved")


@pytest.mark.parametrize("late", [False, True], ids=["certificate-due", "certificate-late"])
def test_the_leave_page_shows_the_certificates_moves_to_each_role_that_may_make_them(cast, make_employee, late):
    from staff.models import LeaveDeputy

    today = timezone.localdate()
    deputy = make_employee("supervisor", team="三组", supervisor=cast["manager"])
    LeaveDeputy.objects.create(supervisor=cast["team_supervisor"], deputy=deputy, start_date=today - dt.timedelta(days=60),
                               end_date=today + dt.timedelta(days=60), named_by=cast["manager"])
    people = {**{role: cast[role] for role in ("owner", "team_supervisor", "manager")}, "deputy": deputy}
    leave = _sick_leave(cast["owner"], late=late)
    url = reverse("staff:attendance_leave_detail", args=[leave.pk])
    offered = {role: assert_buttons_are_the_available_actions(login(employee), url, leave, employee)
               for role, employee in people.items()}
    # written out (REGULATIONS §4): the certificate may follow — added by the employee or the first level (the own
    # supervisor or the deputy named for them) — until the end of the first rostered working day after the leave;
    # after that the first level keeps the leave or records 旷工. A manager does not act in the supervisor's place;
    # the employee cancels only before the leave starts.
    assert offered == ({
        "owner": set(), "team_supervisor": {"keep_leave", "make_absent"}, "deputy": {"keep_leave", "make_absent"},
        "manager": set()} if late else {
        "owner": {"add_certificate", "cancel"}, "team_supervisor": {"add_certificate"}, "deputy": {"add_certificate"},
        "manager": set()})


def test_a_leave_recorded_as_absent_offers_nobody_a_move(cast):
    leave = LeaveRequestFactory(employee=cast["owner"], kind="sick", start_date=timezone.localdate() - dt.timedelta(
        days=30), end_date=timezone.localdate() - dt.timedelta(days=30), state="absent")
    url = reverse("staff:attendance_leave_detail", args=[leave.pk])
    for role in ("owner", "team_supervisor", "manager"):
        assert assert_buttons_are_the_available_actions(login(cast[role]), url, leave, cast[role]) == set(), role
