"""Every scoring page that shows a score month, a penalty record or an appeal offers exactly the moves the engine
allows the viewer: its ``data-workflow-action`` buttons are ``available_actions`` (the appeals page's "Decide"
button stands for uphold and reject: the radio chooses)."""

import pytest
from django.urls import reverse

from csmgmt.core.workflow import available_actions
from staff.models import ScoreMonth
from tests.factories import AppealFactory, PenaltyRecordFactory, _points_rule
from tests.workflow_support import assert_buttons_are_the_available_actions, page_actions

MONTH = "2026-11"
RECORDS = ("penalty", "appealed", "withdrawn", "voided", "reward")


@pytest.fixture
def people(presets, make_employee):
    supervisor = make_employee("supervisor")
    return {"owner": make_employee("agent", supervisor=supervisor), "supervisor": supervisor,
            "manager": make_employee("manager"), "agent": make_employee("agent")}


def record_of(owner, kind):
    if kind == "reward":
        return PenaltyRecordFactory(employee=owner, kind="month", key="month", points=1,
                                    rule=_points_rule("absent"))
    record = PenaltyRecordFactory(employee=owner, status={"withdrawn": "withdrawn", "voided": "voided"}.get(
        kind, "active"))
    if kind == "appealed":
        AppealFactory(record=record)
    return record


@pytest.mark.parametrize("kind", RECORDS)
def test_the_scorecard_offers_the_owner_the_appeal_of_each_penalty_and_nobody_else(client_for, people, kind):
    owner = people["owner"]
    record = record_of(owner, kind)
    offered = {
        "owner": assert_buttons_are_the_available_actions(
            client_for(owner), reverse("staff:scoring_card") + f"?month={MONTH}", record, owner)}
    for who in ("supervisor", "manager"):  # they see the card, and may not appeal for the employee
        offered[who] = assert_buttons_are_the_available_actions(
            client_for(people[who]), reverse("staff:scoring_employee_card", args=[owner.pk]) + f"?month={MONTH}",
            record, people[who])
    # written out: only a penalty that counts and was never appealed, only by its owner
    assert offered == {"owner": {"appeal"} if kind == "penalty" else set(), "supervisor": set(), "manager": set()}


@pytest.mark.parametrize("kind", RECORDS)
def test_the_appeal_page_offers_the_appeal_only_when_it_is_possible_and_says_why_not(client_for, people, kind):
    owner = people["owner"]
    record = record_of(owner, kind)
    url = reverse("staff:scoring_appeal_new", args=[record.pk])
    offered = assert_buttons_are_the_available_actions(client_for(owner), url, record, owner)
    assert offered == ({"appeal"} if kind == "penalty" else set())
    if kind != "penalty":
        reason = {"appealed": "This record has already been appealed; each record may be appealed once.",
                  "withdrawn": "This record no longer counts; there is nothing to appeal.",
                  "voided": "This record no longer counts; there is nothing to appeal.",
                  "reward": "Only a penalty can be appealed."}[kind]
        page = client_for(owner).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert reason in page
    for who in ("agent", "supervisor", "manager"):  # not theirs: no page at all
        assert client_for(people[who]).get(url).status_code == 403


@pytest.mark.parametrize(("case", "expected"), [
    ("pending", {"uphold", "reject"}),
    ("own", set()),  # a manager's own appeal: someone else decides it
    ("closed month", {"reject"}),  # upholding waits for the month to be reopened
])
def test_the_appeals_page_offers_a_manager_the_decisions_the_engine_allows(client_for, people, make_employee, case,
                                                                           expected):
    manager = people["manager"]
    appellant = manager if case == "own" else people["owner"]
    appeal = AppealFactory(record=PenaltyRecordFactory(employee=appellant))
    if case == "closed month":
        ScoreMonth.objects.filter(pk=appeal.record.score_month_id).update(status="closed")
    offered = assert_buttons_are_the_available_actions(client_for(manager), reverse("staff:scoring_appeals"),
                                                       appeal, manager)
    assert offered == expected
    for who in ("agent", "supervisor"):
        assert client_for(people[who]).get(reverse("staff:scoring_appeals")).status_code == 403


@pytest.mark.parametrize("state", ["open", "closed"])
def test_the_month_page_offers_a_manager_close_or_reopen_and_a_supervisor_nothing(client_for, people, state):
    from tests.factories import ScoreMonthFactory

    score_month = ScoreMonthFactory(status=state)
    url = reverse("staff:scoring_month") + f"?month={MONTH}"
    offered = {who: assert_buttons_are_the_available_actions(client_for(people[who]), url, score_month, people[who])
               for who in ("supervisor", "manager")}
    assert offered == {"supervisor": set(), "manager": {"close"} if state == "open" else {"reopen"}}


def test_a_month_never_computed_offers_a_manager_to_close_it(client_for, people):
    manager = people["manager"]
    html = client_for(manager).get(reverse("staff:scoring_month") + "?month=2026-10").content.decode()
    assert page_actions(html) == set(available_actions(ScoreMonth(year=2026, month=10), manager)) == {"close"}
    assert not ScoreMonth.objects.exists()
