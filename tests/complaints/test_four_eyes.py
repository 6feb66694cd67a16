"""Four eyes on complaint approvals (REGULATIONS §3): nobody who submitted the plan, or reported progress on it,
since the complaint last entered plan approves it; the two approvals of a major complaint are two people.
A refused approval changes nothing and says why."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from complaints.services import ComplaintError, ComplaintForbidden, complaint_transition
from complaints.workflow import available_actions, blocked_actions


def _plan():
    return {"findings": "包装不合格", "action_immediate": "补发商品",
            "promised_by": timezone.now() + dt.timedelta(days=2)}


def _row(complaint):
    c = Complaint.objects.get(pk=complaint.pk)
    return ({f.attname: getattr(c, f.attname) for f in Complaint._meta.concrete_fields},
            ComplaintEvent.objects.filter(complaint=c).count())


@pytest.fixture
def managers(make_employee):
    return make_employee("manager", name="王经理"), make_employee("manager", name="李经理")


def test_a_manager_who_submitted_the_plan_cannot_approve_it(people, complaint_at, managers):
    planner, _other = managers
    complaint = complaint_at("plan", severity="ordinary")
    complaint_transition(complaint=complaint, action="submit_plan", by=planner, data=_plan())
    assert "approve" not in available_actions(complaint, planner.user)
    assert [a for a, _reason in blocked_actions(complaint, planner.user)] == ["approve"]
    before = _row(complaint)

    with pytest.raises(ComplaintError) as exc:
        complaint_transition(complaint=complaint, action="approve", by=planner)

    assert not isinstance(exc.value, ComplaintForbidden)
    assert exc.value.message == "You submitted this plan or reported progress on it: someone else approves it."
    assert _row(complaint) == before
    complaint_transition(complaint=complaint, action="approve", by=people["supervisor"])
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


def test_reporting_progress_on_the_plan_also_bars_the_approval(people, complaint_at, managers):
    reporter, _other = managers
    complaint = complaint_at("plan", severity="ordinary")
    complaint_transition(complaint=complaint, action="progress", by=reporter, comment="已联系物流公司")
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"], data=_plan())
    before = _row(complaint)
    with pytest.raises(ComplaintError, match="someone else approves it"):
        complaint_transition(complaint=complaint, action="approve", by=reporter)
    assert _row(complaint) == before
    assert "approve" in available_actions(complaint, people["supervisor"].user)


def test_the_two_approvals_of_a_major_complaint_are_two_people(people, complaint_at, managers):
    first, second = managers
    complaint = complaint_at("approve", severity="major")
    complaint_transition(complaint=complaint, action="approve_first", by=first)
    assert "approve_final" not in available_actions(complaint, first.user)
    before = _row(complaint)
    with pytest.raises(ComplaintError, match="the second approval is someone else's"):
        complaint_transition(complaint=complaint, action="approve_final", by=first)
    assert _row(complaint) == before
    complaint_transition(complaint=complaint, action="approve_final", by=second)
    complaint.refresh_from_db()
    assert complaint.stage == "respond"
    assert list(complaint.events.values_list("action", "by_id")) == [("approve_first", first.pk),
                                                                     ("approve_final", second.pk)]


def test_the_planner_of_a_complaint_against_customer_service_cannot_give_the_managers_approval(
        people, complaint_at, managers):
    from tests.factories import cs_department

    planner, other = managers
    complaint = complaint_at("plan", severity="ordinary", against_department=cs_department(), plan_writer=planner)
    complaint_transition(complaint=complaint, action="submit_plan_to_manager", by=planner, data=_plan())
    with pytest.raises(ComplaintError):
        complaint_transition(complaint=complaint, action="approve_final", by=planner)
    complaint_transition(complaint=complaint, action="approve_final", by=other)
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


def test_what_counts_is_since_the_plan_was_last_entered(people, complaint_at, managers):
    """A manager whose earlier plan was sent back did nothing on the new one: they may approve it."""
    manager, _other = managers
    complaint = complaint_at("plan", severity="ordinary")
    complaint_transition(complaint=complaint, action="submit_plan", by=manager, data=_plan())
    complaint_transition(complaint=complaint, action="send_back", by=people["supervisor"], comment="方案不完整")
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"], data=_plan())
    assert "approve" in available_actions(complaint, manager.user)
    complaint_transition(complaint=complaint, action="approve", by=manager)
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


def test_the_page_says_why_the_planner_is_not_offered_the_approval(client_for, people, complaint_at, managers):
    planner, _other = managers
    complaint = complaint_at("plan", severity="ordinary")
    complaint_transition(complaint=complaint, action="submit_plan", by=planner, data=_plan())
    c = client_for("manager")
    c.force_login(planner.user)
    page = c.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="action-approve"' not in page
    assert 'data-blocked-action="approve"' in page
    assert "someone else approves it" in page
    before = _row(complaint)
    response = c.post(f"/complaints/{complaint.pk}/act/", {"action": "approve", "decision-comment": ""})
    assert response.status_code == 200
    assert "someone else approves it" in response.content.decode()
    assert _row(complaint) == before
