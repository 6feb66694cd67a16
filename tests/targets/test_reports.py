"""The workbook's Targets sheet (REGULATIONS §8, §10): each agent's figures of the month and their targets, then
each team's and the department's — the numbers of the targets pages, hand-computed here."""

import datetime as dt
from decimal import Decimal

import pytest

from targets.reports import SHEETS
from targets.services import month_figures_store, target_set
from tests.factories import CallFactory

from .conftest import MARCH, at

pytestmark = pytest.mark.django_db


def test_the_targets_sheet_has_agents_teams_and_the_department_with_their_targets(team, make_employee):
    from django.utils import translation

    manager = make_employee("manager", name="王建国", team="", employee_no="M-01")
    target_set(figure="first_contact", month=MARCH, value=Decimal("80"), by=manager)
    target_set(figure="satisfaction", month=MARCH, value=Decimal("4.2"), by=manager)
    a, b = team["A"], team["B"]
    for i, outcome in enumerate(["resolved", "resolved", "resolved", "reply_promised"]):
        CallFactory(agent=a, owner=a, received_at=at(3, 2 + i), outcome=outcome,
                    status="closed" if outcome == "resolved" else "open",
                    reply_due_at=None if outcome == "resolved" else at(4, 20))  # due next month: not March's
    CallFactory(agent=b, owner=b, received_at=at(3, 9), outcome="resolved", status="closed")
    (sheet,) = SHEETS
    with translation.override("en"):
        rows = list(sheet.rows(MARCH))
    by_name = {r[1]: r for r in rows}
    # columns: row, name, employee no, team, then (figure, target) for the six figures in the order
    assert by_name["张伟"][:6] == ["Agent", "张伟", a.employee_no, "一组", 0.75, 0.8]  # 3 of 4 → 75.0%
    assert by_name["王芳"][4:6] == [1.0, 0.8]  # 1 of 1
    assert by_name["张伟"][12:14] == ["", 4.2]  # no complaint closed: no satisfaction, its target
    assert by_name["一组 · 李秀梅"][:6] == ["Team", "一组 · 李秀梅", "", "一组", 0.8, 0.8]  # 4 of 5
    assert by_name["Department"][:6] == ["Department", "Department", "", "", 0.8, 0.8]
    assert rows[-1][0] == "Department"
    assert [r[0] for r in rows].count("Team") == 1


def test_the_nightly_job_stores_13_ended_months(team):
    from targets.models import MonthFigure

    CallFactory(agent=team["A"], owner=team["A"], received_at=at(3, 2))
    assert month_figures_store(now=at(4, 1, 2, 20)) == 13
    months = sorted(set(MonthFigure.objects.values_list("month", flat=True)))
    assert months[0] == dt.date(2025, 3, 1) and months[-1] == dt.date(2026, 3, 1) and len(months) == 13
