"""Event sources, the monthly-workbook selector, the home panel, the job and the nav entries."""

import datetime as dt
from decimal import Decimal as D

from django.urls import reverse

from csmgmt.core.registry import jobs, nav_for
from staff.models import ManualCategory, PenaltyRecord
from staff.rules import Event
from staff.scoring import sources
from staff.scoring.selectors import SCORECARD_COLUMNS, scorecards_month
from staff.scoring.services.materialise import month_materialise
from tests.factories import EmployeeFactory, ManualEntryFactory
from tests.staff.scoring import fake_adapters

Y, M = 2026, 11


def test_manual_entries_are_events_and_voided_ones_are_not(presets):
    a = EmployeeFactory()
    kept = ManualEntryFactory(employee=a, date=dt.date(Y, M, 4))
    ManualEntryFactory(employee=a, date=dt.date(Y, M, 5), voided=True, void_reason="x")
    ManualEntryFactory(employee=a, date=dt.date(Y, M + 1, 1))
    assert sources.events_for_month(year=Y, month=M) == [
        Event(employee_id=a.pk, date=dt.date(Y, M, 4), kind="manual:conduct", source=f"manual:{kept.pk}")]


def test_the_attendance_and_complaint_adapters_are_found_and_a_missing_one_contributes_nothing(presets):
    from complaints.selectors import complaint_score_events
    from staff.attendance.selectors import attendance_score_events

    assert sources._adapter("staff.attendance.selectors", "attendance_score_events") is attendance_score_events
    assert sources._adapter("complaints.selectors", "complaint_score_events") is complaint_score_events
    assert sources._adapter("no_such_package.selectors", "x") is None


def test_an_existing_adapter_feeds_the_materialiser(presets, monkeypatch):
    agent = EmployeeFactory()
    monkeypatch.setattr(sources, "ADAPTERS", (("tests.staff.scoring.fake_adapters", "score_events"),))
    month_materialise(year=Y, month=M)
    assert fake_adapters.CALLS[-1] == (Y, M)
    record = PenaltyRecord.objects.get(source="attendance:day:77")
    assert (record.employee_id, record.points) == (agent.pk, D("-5"))


def test_scorecards_month_gives_the_workbook_columns(presets):
    b = EmployeeFactory(employee_no="A002", name="李四")
    a = EmployeeFactory(employee_no="A001", name="张三")
    month_materialise(year=Y, month=M, events=[
        Event(a.pk, dt.date(Y, M, d), "absent", f"t{d}") for d in (1, 2)])
    rows = [r for r in scorecards_month(year=Y, month=M) if r.employee_no in ("A001", "A002")]
    assert [h for h, _a in SCORECARD_COLUMNS] == ["Employee No", "Name", "Department", "Base", "Deductions",
                                                  "Rewards", "Score", "Fines (CNY)", "Rewards (CNY)", "Flags"]
    assert rows[0].values() == ["A001", "张三", "客服部", D("10"), D("10"), D("0"), D("0"), D("0"), D("0"),
                                "Punishment"]
    assert rows[1].values() == ["A002", "李四", "客服部", D("10"), D("0"), D("0"), D("10"), D("0"), D("0"), ""]
    assert b.pk != a.pk
    assert scorecards_month(year=Y, month=M - 3) == []


def test_severe_after_three_months_at_or_below_5(presets):
    a = EmployeeFactory()
    for month in (9, 10, 11):
        month_materialise(year=Y, month=month, events=[Event(a.pk, dt.date(Y, month, 3), "absent", "x")])
    flags = [r.flags for r in scorecards_month(year=Y, month=11) if r.employee_id == a.pk]
    assert flags == ["Verbal warning、Severe (3 months running)"]


def test_the_home_panel_shows_my_score(client_for, presets):
    agent = EmployeeFactory(roles=["agent"])
    from django.utils import timezone

    today = timezone.localdate()
    month_materialise(year=today.year, month=today.month,
                               events=[Event(agent.pk, today, "late", "x")])
    response = client_for(agent).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "staff/scoring/partials/home_card.html" in [t.name for t in response.templates]
    (mine,) = [w for w in response.context["widgets"] if w["template"] == "staff/scoring/partials/home_card.html"]
    assert mine["context"]["card"].score == D("9.5")


def test_the_nightly_job_is_registered_and_idempotent(presets):
    from staff.scoring.tasks import scoring_materialise_recent

    assert "scoring-materialise-recent" in {j.name for j in jobs()}
    EmployeeFactory()
    scoring_materialise_recent.delay()
    before = PenaltyRecord.history.count(), list(PenaltyRecord.objects.values_list("pk", "status"))
    scoring_materialise_recent.delay()
    assert (PenaltyRecord.history.count(), list(PenaltyRecord.objects.values_list("pk", "status"))) == before


def test_nav_entries_follow_the_abilities(presets):
    names = lambda role: {i.url_name for items in nav_for(EmployeeFactory(roles=[role]).user).values()  # noqa: E731
                          for i in items}
    assert {"staff:scoring_card"} <= names("agent")
    assert "staff:scoring_month" not in names("agent")
    assert {"staff:scoring_month", "staff:scoring_manual_list"} <= names("supervisor")
    assert "staff:scoring_appeals" not in names("supervisor")
    assert {"staff:scoring_appeals", "staff:scoring_rule_sets"} <= names("manager")
    assert ManualCategory.objects.filter(code="conduct").exists()
