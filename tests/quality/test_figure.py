"""The QA score figure's source (issue 20: "mean inspection total of the agent inspected, month = the inspection
month"; voided inspections left out): {agent: (sum of totals, number of inspections)}, one query."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csmgmt.core.registry import figure_sources
from quality.models import Inspection
from quality.selectors import qa_score_per_employee
from quality.services.draws import draw_month
from quality.services.inspections import appeal_decide, inspection_appeal, inspection_score

from .conftest import MONTH, scores_by_name

pytestmark = pytest.mark.django_db


def test_the_qa_score_source_sums_the_scored_inspections_of_the_month_and_leaves_out_voided_ones(team):
    draw_month(month=MONTH, by=team.sup)
    a1 = list(Inspection.objects.filter(agent=team.a1).order_by("pk"))  # 5 drawn
    a2 = list(Inspection.objects.filter(agent=team.a2).order_by("pk"))  # 3 drawn
    # 张: 100, 90 (服务态度 10/20), 80 (解答准确 0/20 with a comment), 70 → voided by an upheld appeal; 1 not scored
    inspection_score(inspection=a1[0], by=team.sup, scores=scores_by_name(a1[0], {}))
    inspection_score(inspection=a1[1], by=team.sup, scores=scores_by_name(a1[1], {"服务态度": 10}))
    inspection_score(inspection=a1[2], by=team.sup, scores=scores_by_name(a1[2], {"解答准确": 0}, {"解答准确": "答错"}))
    inspection_score(inspection=a1[3], by=team.sup, scores=scores_by_name(a1[3], {"服务态度": 0, "解答准确": 10},
                                                                            {"服务态度": "态度差"}))
    inspection_appeal(inspection=a1[3], by=team.a1, reason="不服")
    appeal_decide(inspection=a1[3], by=team.manager, uphold=True, reason="复核撤销")
    # 刘: 95 (记录完整 0/5 with a comment), and one appealed but not decided yet (still counts): 85
    inspection_score(inspection=a2[0], by=team.sup, scores=scores_by_name(a2[0], {"记录完整": 0}, {"记录完整": "未记"}))
    inspection_score(inspection=a2[1], by=team.sup, scores=scores_by_name(a2[1], {"开场问候及标准话术": 0},
                                                                            {"开场问候及标准话术": "未问候"}))
    inspection_appeal(inspection=a2[1], by=team.a2, reason="有问候")

    with CaptureQueriesContext(connection) as queries:
        figures = qa_score_per_employee(dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    assert len(queries) == 1
    assert figures == {team.a1.pk: (270, 3), team.a2.pk: (180, 2)}
    assert qa_score_per_employee(dt.date(2025, 4, 1), dt.date(2025, 5, 1)) == {}
    assert qa_score_per_employee(dt.date(2025, 2, 1), dt.date(2025, 3, 1)) == {}


def test_the_source_is_registered_for_the_qa_score_figure(db):
    sources = figure_sources("qa_score")
    assert [(s.name, s.per_employee) for s in sources] == [("inspections", qa_score_per_employee)]
