"""The pages: an agent sees their own inspections only, a supervisor their team's, a manager all (issue 20); a
refused person changes nothing; the month list's queries do not grow with its rows; the detail page's buttons
are the engine's available actions."""

import re

import pytest
from django.urls import reverse

from quality.models import Inspection, InspectionEvent, ItemScore, QualitySettings, SampleDraw, Swap
from quality.services.draws import draw_month
from quality.services.inspections import inspection_score
from staff.models import ManualEntry
from tests.factories import CallFactory, EmployeeFactory
from tests.workflow_support import assert_buttons_are_the_available_actions, snapshot

from .conftest import MONTH, at, full_marks, scores_by_name

pytestmark = pytest.mark.django_db

MONTH_Q = "?month=2025-03"


@pytest.fixture
def drawn(team):
    draw_month(month=MONTH, by=team.sup)
    return team


def _of(agent):
    return Inspection.objects.filter(agent=agent).order_by("pk").first()


def _numbers(html, inspections):
    return {i.call.number for i in inspections if i.call.number in html}


def test_the_agent_sees_their_own_inspections_only(drawn, client_for):
    client = client_for(drawn.a1)
    html = client.get(reverse("quality:mine") + MONTH_Q).content.decode()
    own = {i.call.number for i in Inspection.objects.filter(agent=drawn.a1)}
    assert _numbers(html, Inspection.objects.all()) == own
    assert client.get(reverse("quality:detail", args=[_of(drawn.a1).pk])).status_code == 200
    assert client.get(reverse("quality:detail", args=[_of(drawn.a2).pk])).status_code == 404
    assert client.get(reverse("quality:month") + MONTH_Q).status_code == 403


def test_a_supervisor_sees_their_team_and_a_manager_everyone(drawn, client_for):
    team_calls = {i.call.number for i in Inspection.objects.filter(agent__in=[drawn.a1, drawn.a2])}
    html = client_for(drawn.sup).get(reverse("quality:month") + MONTH_Q).content.decode()
    assert _numbers(html, Inspection.objects.all()) == team_calls
    assert client_for(drawn.sup).get(reverse("quality:detail", args=[_of(drawn.b1).pk])).status_code == 404
    html = client_for(drawn.manager).get(reverse("quality:month") + MONTH_Q).content.decode()
    assert _numbers(html, Inspection.objects.all()) == {i.call.number for i in Inspection.objects.all()}


def test_the_month_list_runs_a_fixed_number_of_queries_whatever_its_size(team, client_for,
                                                                        django_assert_num_queries):
    client = client_for(team.manager)
    url = reverse("quality:month") + MONTH_Q
    client.get(url)
    # session, user, employee, roles; the page: inspections, draw, swaps, settings; the nav's 8 badge counts
    with django_assert_num_queries(16):
        small = client.get(url)
    assert small.status_code == 200
    for n in range(12):  # twelve more agents with five calls each
        agent = EmployeeFactory(roles=["agent"], supervisor=team.sup)
        for day in range(1, 6):
            CallFactory(agent=agent, received_at=at(day))
    draw_month(month=MONTH, by=team.sup)
    for inspection in Inspection.objects.all()[:20]:
        inspection_score(inspection=inspection, by=inspection.agent.supervisor, scores=full_marks(inspection))
    assert Inspection.objects.count() == 73
    with django_assert_num_queries(16):
        big = client.get(url)
    assert len(re.findall(r'href="/quality/\d+/"', big.content.decode())) == 73


def test_scoring_from_the_page_and_a_failed_item_without_comment_refused(drawn, client_for):
    inspection = _of(drawn.a1)
    client = client_for(drawn.sup)
    items = list(inspection.checklist.items.order_by("order"))
    data = {f"points_{i.pk}": i.points for i in items}
    data[f"points_{items[1].pk}"] = 3  # 语言规范 3/15: failed, and no comment
    before = snapshot(inspection)
    response = client.post(reverse("quality:score", args=[inspection.pk]), data)
    assert response.status_code == 200 and "failed (below half its points)" in response.content.decode()
    assert snapshot(inspection) == before

    data[f"comment_{items[1].pk}"] = "语速过快"
    response = client.post(reverse("quality:score", args=[inspection.pk]), data)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.total == 88 and inspection.failed_items == 1  # 100 − (15 − 3)


@pytest.mark.parametrize("who", ["a1", "a2", "sup2"])
def test_who_may_not_score_swap_record_or_decide_changes_nothing(drawn, client_for, who):
    inspection = _of(drawn.a1)
    inspection_score(inspection=inspection, by=drawn.sup, scores=scores_by_name(inspection, {"语言规范": 2},
                                                                                 {"语言规范": "多次打断客户"}))
    drawn_one = Inspection.objects.filter(agent=drawn.a1, state="drawn").first()
    failed = ItemScore.objects.get(inspection=inspection, failed=True)
    client = client_for(getattr(drawn, who))
    before = (snapshot(inspection), snapshot(drawn_one), Swap.objects.count(), ManualEntry.objects.count(),
              InspectionEvent.objects.count())
    posts = [
        (reverse("quality:score", args=[drawn_one.pk]), {f"points_{i.pk}": i.points
                                                        for i in drawn_one.checklist.items.all()}),
        (reverse("quality:swap", args=[drawn_one.pk]), {"reason": "换一个"}),
        (reverse("quality:violation", args=[failed.pk]), {"confirm": "1"}),
        (reverse("quality:decide", args=[inspection.pk]), {"decision": "uphold", "reason": "撤销"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), (url, response.status_code)
    assert (snapshot(inspection), snapshot(drawn_one), Swap.objects.count(), ManualEntry.objects.count(),
            InspectionEvent.objects.count()) == before


def test_an_agent_may_not_draw_from_the_page(drawn, client_for):
    response = client_for(drawn.a1).post(reverse("quality:draw"), {"month": "2025-02"})
    assert response.status_code == 403
    assert SampleDraw.objects.count() == 1


def test_only_the_agent_appeals_from_the_page(drawn, client_for):
    inspection = _of(drawn.a1)
    inspection_score(inspection=inspection, by=drawn.sup, scores=full_marks(inspection))
    url = reverse("quality:appeal", args=[inspection.pk])
    before = snapshot(inspection)
    for who in (drawn.a2, drawn.sup, drawn.manager):
        client_for(who).post(url, {"reason": "不服"})
    assert snapshot(inspection) == before
    assert client_for(drawn.a1).post(url, {"reason": "评分有误"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == "appealed"


def test_the_settings_are_the_managers(drawn, client_for):
    url = reverse("quality:settings")
    assert client_for(drawn.sup).post(url, {"sample_size": 9, "swaps_per_agent": 3}).status_code == 403
    assert QualitySettings.objects.get().sample_size == 5
    assert client_for(drawn.manager).post(url, {"sample_size": 9, "swaps_per_agent": 3}).status_code == 302
    row = QualitySettings.objects.get()
    assert (row.sample_size, row.swaps_per_agent) == (9, 3)
    assert row.history.latest().history_user == drawn.manager.user


@pytest.mark.parametrize("state", ["drawn", "scored", "appealed"])
def test_the_detail_buttons_are_the_available_actions(drawn, client_for, state):
    from quality.services.inspections import inspection_appeal

    inspection = _of(drawn.a1)
    if state != "drawn":
        inspection_score(inspection=inspection, by=drawn.sup, scores=full_marks(inspection))
    if state == "appealed":
        inspection_appeal(inspection=inspection, by=drawn.a1, reason="不服")
    for who in (drawn.a1, drawn.sup, drawn.manager):
        assert_buttons_are_the_available_actions(client_for(who), reverse("quality:detail", args=[inspection.pk]),
                                                 inspection, who)


def test_my_inspections_run_a_fixed_number_of_queries(drawn, client_for, django_assert_num_queries):
    client = client_for(drawn.a1)
    url = reverse("quality:mine") + MONTH_Q
    client.get(url)
    # session, user, employee, roles; the page: the inspections; the nav's badge counts an agent sees
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(re.findall(r'href="/quality/\d+/"', response.content.decode())) == 5  # 张's five inspections
