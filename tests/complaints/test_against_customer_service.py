"""A complaint against 客服部 and four eyes (REGULATIONS §3): "A complaint against the customer-service department
itself is routed to the manager. The manager assigns it and names who in 客服部 writes its plan (not themselves, nor
the person complained about); its approval follows the four-eyes rule like any other" — only the named writer plans;
a manager who did not write it approves; for a major one a supervisor other than the writer gives the first level.
When nobody eligible exists, the page says so instead of offering the move. A refused move changes nothing and
says why."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ComplaintClock, ComplaintEvent
from complaints.services import ComplaintError, ComplaintForbidden, complaint_submit_plan, complaint_transition
from complaints.workflow import available_actions, blocked_actions, nobody_may
from csmgmt.core.models import Notification
from staff.models import Employee
from tests.factories import ComplaintEventFactory, cs_department


def _plan(**extra):
    return {"findings": "高峰期接听不及时", "action_immediate": "向客户道歉", "action_corrective": "高峰期增加坐席",
            "promised_by": timezone.now() + dt.timedelta(days=2), **extra}


def snapshot(complaint):
    c = Complaint.objects.get(pk=complaint.pk)
    return ({f.attname: getattr(c, f.attname) for f in Complaint._meta.concrete_fields},
            list(ComplaintEvent.objects.filter(complaint=c).values_list("pk", flat=True)),
            list(ComplaintClock.objects.filter(complaint=c).values_list("pk", "state")),
            c.history.count())


@pytest.fixture
def cs(people):
    return cs_department()


@pytest.fixture
def against_cs(people, cs):
    """against_cs(stage, **fields): a complaint against 客服部 about the agent 刘洋 (an employee of 客服部)."""
    complained_about = Employee.objects.get(pk=people["agent"].pk)

    def make(stage="assign", **fields):
        from tests.factories import ComplaintFactory

        fields.setdefault("against_department", cs)
        fields.setdefault("against_employee", complained_about)
        fields.setdefault("agent", people["agent"])
        if stage not in ("analyse", "assign"):
            fields.setdefault("responsible_department", cs)
        return ComplaintFactory(stage=stage, **fields)

    return make


# --- naming the writer ---------------------------------------------------------------------------------------


def test_the_manager_names_a_plan_writer_in_cs_who_then_plans(people, against_cs, make_employee,
                                                            django_capture_on_commit_callbacks):
    writer = make_employee("agent", name="陈静")
    complaint = against_cs("assign")
    manager = people["manager"]
    assert available_actions(complaint, manager.user) == ["assign_writer", "agree_next_reply", "pause", "withdraw"]
    assert "assign" not in available_actions(complaint, people["supervisor"].user)

    with django_capture_on_commit_callbacks(execute=True):
        complaint_transition(complaint=complaint, action="assign_writer", by=manager, data={"plan_writer": writer})

    complaint.refresh_from_db()
    assert (complaint.stage, complaint.plan_writer_id, complaint.responsible_person_id,
            complaint.responsible_department.name) == ("plan", writer.pk, writer.pk, "客服部")
    assert list(complaint.events.values_list("action", "by_id", "data")) == [
        ("assign_writer", manager.pk, {"plan_writer": writer.pk})]
    assert list(Notification.objects.filter(recipient=writer).values_list("text", flat=True)) == [
        f"Complaint {complaint.number} is against customer service: the manager named you to write its plan."]
    assert available_actions(complaint, writer.user) == ["progress", "submit_plan_to_manager", "agree_next_reply",
                                                         "pause", "withdraw"]


@pytest.mark.parametrize(("who", "message"), [
    ("self", "You cannot name yourself"),
    ("complained_about", "is the person complained about and cannot write this plan"),
    ("named_in_text", "is the person complained about and cannot write this plan"),
    ("outside_cs", "is not active in 客服部"),
    ("nobody", "Name who in 客服部 writes the plan"),
])
def test_naming_a_writer_who_may_not_write_is_refused_and_nothing_changes(people, against_cs, make_employee, who,
                                                                          message):
    complaint = against_cs("assign")
    writer = {"self": people["manager"], "complained_about": people["agent"], "nobody": None,
              "outside_cs": people["handler"]}.get(who)
    if who == "named_in_text":  # the person complained about given by name only
        writer = make_employee("agent", name="孙浩")
        complaint = against_cs("assign", against_employee=None, against_person="孙浩")
    before = snapshot(complaint)
    with pytest.raises(ComplaintError, match=message):
        complaint_transition(complaint=complaint, action="assign_writer", by=people["manager"],
                             data={"plan_writer": writer})
    assert snapshot(complaint) == before


def test_a_supervisor_cannot_assign_a_complaint_against_cs(people, against_cs, make_employee):
    complaint = against_cs("assign")
    before = snapshot(complaint)
    with pytest.raises(ComplaintError, match="not possible now"):
        complaint_transition(complaint=complaint, action="assign", by=people["supervisor"],
                             data={"responsible_department": cs_department()})
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="assign_writer", by=people["supervisor"],
                             data={"plan_writer": make_employee("agent")})
    assert snapshot(complaint) == before


def test_only_the_named_writer_plans(people, against_cs, make_employee):
    writer = make_employee("agent", name="陈静")
    complaint = against_cs("plan", plan_writer=writer)
    before = snapshot(complaint)
    for other in (people["manager"], people["supervisor"], people["agent"], people["handler"],
                  make_employee("agent", name="杨帆")):
        assert "submit_plan_to_manager" not in available_actions(complaint, other.user)
        for action in ("submit_plan_to_manager", "progress"):
            with pytest.raises(ComplaintForbidden):
                complaint_transition(complaint=complaint, action=action, by=other, comment="已了解情况",
                                     data=_plan())
    assert snapshot(complaint) == before
    complaint_submit_plan(complaint=complaint, by=writer, data=_plan())
    complaint.refresh_from_db()
    assert complaint.stage == "manager_approve"


# --- who approves --------------------------------------------------------------------------------------------


def test_a_manager_who_did_not_write_the_plan_approves_an_ordinary_one(people, against_cs, make_employee):
    writer = make_employee("manager", name="钱经理")  # another manager, named by people["manager"]
    complaint = against_cs("plan", plan_writer=writer, severity="ordinary")
    complaint_submit_plan(complaint=complaint, by=writer, data=_plan())
    complaint.refresh_from_db()
    assert complaint.stage == "manager_approve"
    assert "approve_final" not in available_actions(complaint, writer.user)
    assert [a for a, _why in blocked_actions(complaint, writer.user)] == ["approve_final"]
    before = snapshot(complaint)
    with pytest.raises(ComplaintError) as exc:
        complaint_transition(complaint=complaint, action="approve_final", by=writer)
    assert not isinstance(exc.value, ComplaintForbidden)
    assert "the second approval is someone else's" in exc.value.message
    assert snapshot(complaint) == before
    complaint_transition(complaint=complaint, action="approve_final", by=people["manager"])
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


def test_a_major_one_gets_its_first_level_from_a_supervisor_other_than_the_writer(people, against_cs,
                                                                                   make_employee):
    writer = make_employee("supervisor", name="赵志强")
    complaint = against_cs("plan", plan_writer=writer, severity="major")
    complaint_submit_plan(complaint=complaint, by=writer, data=_plan())
    complaint.refresh_from_db()
    assert complaint.stage == "approve"  # a supervisor's first level, not straight to the manager
    before = snapshot(complaint)
    with pytest.raises(ComplaintError, match="someone else approves it"):
        complaint_transition(complaint=complaint, action="approve_first", by=writer)
    assert snapshot(complaint) == before
    complaint_transition(complaint=complaint, action="approve_first", by=people["supervisor"])
    complaint.refresh_from_db()
    assert complaint.stage == "manager_approve"
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="approve_final", by=writer)  # not a manager anyway
    complaint_transition(complaint=complaint, action="approve_final", by=people["manager"])
    complaint.refresh_from_db()
    assert complaint.stage == "respond"
    assert list(complaint.events.values_list("action", "by_id")) == [
        ("submit_plan", writer.pk), ("approve_first", people["supervisor"].pk),
        ("approve_final", people["manager"].pk)]


# --- nobody eligible: the page says so -------------------------------------------------------------------------


def test_when_nobody_can_be_named_writer_the_page_says_so_instead_of_offering_the_move(client_for, people,
                                                                                     against_cs):
    complaint = against_cs("assign")
    manager = people["manager"]
    # the only active employees of 客服部 left: the manager and the agent complained about
    Employee.objects.filter(department__kind="cs").exclude(pk__in=[manager.pk, people["agent"].pk]).update(
        active=False)
    assert "assign_writer" not in available_actions(complaint, manager.user)
    c = client_for(manager)
    page = c.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="action-assign_writer"' not in page
    assert 'data-blocked-action="assign_writer"' in page
    assert f"Nobody in 客服部 can be named to write the plan of complaint {complaint.number}" in page
    before = snapshot(complaint)
    response = c.post(reverse("complaints:act", args=[complaint.pk]),
                      {"action": "assign_writer", "assign_writer-plan_writer": people["agent"].pk})
    assert response.status_code == 200
    assert snapshot(complaint) == before


def test_when_nobody_may_approve_the_page_says_so(client_for, people, against_cs, make_employee):
    """The only manager wrote the plan: nobody may give the manager's approval."""
    manager = people["manager"]
    complaint = against_cs("manager_approve", plan_writer=manager, severity="ordinary")
    ComplaintEventFactory(complaint=complaint, by=people["supervisor"], action="assign_writer", from_stage="assign",
                          to_stage="plan")
    ComplaintEventFactory(complaint=complaint, by=manager, action="submit_plan_to_manager", from_stage="plan",
                          to_stage="manager_approve")
    assert nobody_may(complaint) == [("approve_final", "Nobody can give this plan the manager's approval: every "
                                      "manager wrote it, reported progress on it or gave its first approval. An "
                                      "administrator must give another employee the manager's role.")]
    page = client_for(people["supervisor"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-nobody-may="approve_final"' in page
    make_employee("manager", name="钱经理")  # another manager: they may, and the page stops saying so
    assert nobody_may(complaint) == []


def test_while_someone_may_approve_the_page_says_nothing(client_for, people, against_cs):
    complaint = against_cs("approve", severity="major", plan_writer=people["agent"])
    assert nobody_may(complaint) == []
    page = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "data-nobody-may" not in page


def test_a_writer_outside_cs_cannot_be_chosen_on_the_page(client_for, people, against_cs):
    complaint = against_cs("assign")
    outsider = people["handler"]  # of 质量管理部
    c = client_for(people["manager"])
    before = snapshot(complaint)
    response = c.post(reverse("complaints:act", args=[complaint.pk]),
                      {"action": "assign_writer", "assign_writer-plan_writer": outsider.pk})
    assert response.status_code == 200
    assert snapshot(complaint) == before


def test_an_agent_cannot_name_the_writer_through_the_page(client_for, people, against_cs, make_employee):
    complaint = against_cs("assign")
    writer = make_employee("agent")
    before = snapshot(complaint)
    response = client_for(people["agent"]).post(reverse("complaints:act", args=[complaint.pk]),
                                                {"action": "assign_writer", "assign_writer-plan_writer": writer.pk})
    assert response.status_code == 403
    assert snapshot(complaint) == before


# --- the page's buttons are the engine's moves, for each person ------------------------------------------------


def test_the_page_offers_each_person_exactly_their_moves_on_a_complaint_against_cs(client_for, people, against_cs,
                                                                                   make_employee):
    """Each detail page's buttons equal ``available_actions`` (issue 14), here for the moves of a complaint against
    客服部 (REGULATIONS §3): only the manager names the writer; only the named writer plans; a manager who did not
    write the plan gives the manager's approval, never the writer."""
    from tests.workflow_support import assert_buttons_are_the_available_actions

    writer = make_employee("manager", name="钱经理")  # a second manager, named to write the plan
    cast = {"manager": people["manager"], "supervisor": people["supervisor"], "agent": people["agent"],
            "writer": writer}
    planning = {"assign_writer", "assign", "progress", "submit_plan", "submit_plan_to_manager", "approve",
                "approve_first", "approve_final", "manager_send_back", "send_back"}
    cases = {
        "assign": (against_cs("assign"), {"manager": {"assign_writer"}, "supervisor": set(), "agent": set(),
                                           "writer": {"assign_writer"}}),  # any manager names the writer
        "plan": (against_cs("plan", plan_writer=writer, responsible_person=writer),
                 {"manager": set(), "supervisor": set(), "agent": set(),
                  "writer": {"progress", "submit_plan_to_manager"}}),
        "manager_approve": (against_cs("manager_approve", plan_writer=writer, responsible_person=writer),
                            {"manager": {"approve_final", "manager_send_back"}, "supervisor": set(), "agent": set(),
                             "writer": {"manager_send_back"}}),
    }
    for stage, (complaint, expected) in cases.items():
        if stage == "manager_approve":  # the writer submitted it: four eyes bars their approval
            ComplaintEventFactory(complaint=complaint, by=writer, action="submit_plan_to_manager", from_stage="plan",
                                  to_stage="manager_approve")
        url = reverse("complaints:detail", args=[complaint.pk])
        offered = {who: assert_buttons_are_the_available_actions(client_for(e), url, complaint, e)
                   for who, e in cast.items()}
        assert {who: moves & planning for who, moves in offered.items()} == expected, stage
