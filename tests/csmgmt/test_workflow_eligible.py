"""The engine's ``applies`` (is this move a way forward for the record now?) and ``eligible`` (who among these
people may make it — roles, object-level rule and every guard, four eyes included), tried on a real workflow: the
complaint's (REGULATIONS §3: nobody who submitted the plan approves it)."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.services import complaint_transition
from complaints.workflow import COMPLAINT
from csmgmt.core.permissions import roles_of
from csmgmt.core.workflow import applies, eligible
from tests.factories import ComplaintFactory, DepartmentFactory


@pytest.fixture
def qa(db):
    return DepartmentFactory(name="质量管理部", code="QA")


def _plan():
    return {"findings": "包装不合格", "action_immediate": "补发商品", "promised_by": timezone.now() + dt.timedelta(days=2)}


def test_applies_says_which_way_forward_a_record_takes_whoever_moves(qa, make_employee):
    ordinary = ComplaintFactory(stage="approve", severity="ordinary", responsible_department=qa)
    major = ComplaintFactory(stage="approve", severity="major", responsible_department=qa)
    assert (applies(ordinary, "approve", COMPLAINT), applies(ordinary, "approve_first", COMPLAINT)) == (True, False)
    assert (applies(major, "approve", COMPLAINT), applies(major, "approve_first", COMPLAINT)) == (False, True)
    assert applies(ordinary, "assign", COMPLAINT) is False  # not a move of this stage at all
    assert applies(ordinary, "no_such_move") is False  # the record's own workflow is found


def test_eligible_leaves_out_who_may_not_move_by_role_or_by_four_eyes(qa, make_employee):
    planner = make_employee("manager", name="王经理")
    other_manager = make_employee("manager", name="李经理")
    supervisor = make_employee("supervisor", name="李主管")
    agent = make_employee("agent", name="张伟")
    complaint = ComplaintFactory(stage="plan", severity="ordinary", responsible_department=qa)
    complaint_transition(complaint=complaint, action="submit_plan", by=planner, data=_plan())
    candidates = [planner, other_manager, supervisor, agent]
    assert eligible(complaint, "approve", candidates, COMPLAINT) == [other_manager, supervisor]
    assert eligible(complaint, "approve", [planner, agent]) == []
    assert eligible(complaint, "approve_first", candidates) == []  # not this record's way forward


def test_eligible_reads_the_records_events_once_whatever_the_number_of_candidates(qa, make_employee,
                                                                                  django_assert_num_queries):
    complaint = ComplaintFactory(stage="approve", severity="ordinary", responsible_department=qa)
    few = [make_employee("supervisor")]
    many = few + [make_employee("supervisor") for _ in range(4)]
    for employee in many:
        roles_of(employee.user)  # roles cached on the user, as within one request
    with django_assert_num_queries(1):
        assert eligible(complaint, "approve", few, COMPLAINT) == few
    with django_assert_num_queries(1):
        assert eligible(complaint, "approve", many, COMPLAINT) == many
