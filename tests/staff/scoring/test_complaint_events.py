"""Complaints as scoring events: ``complaints.selectors.complaint_score_events`` (what the complaint area hands
to scoring) and the supervisor-recorded "missed call that drew a complaint" of the points preset."""

import datetime as dt
from decimal import Decimal as D

import pytest

from complaints.selectors import complaint_score_events
from staff.models import ManualCategory, PenaltyRecord, ScoreCard
from staff.scoring.services.manual_entries import manual_entry_create
from staff.scoring.services.materialise import month_materialise
from tests.factories import ComplaintFactory, EmployeeFactory

UTC = dt.timezone.utc
Y, M = 2026, 11


def closed(employee, at, fault, **extra):
    return ComplaintFactory(stage="closed", closed_at=at, fault_level=fault, responsible_employee=employee,
                            **extra)


def test_complaints_closed_in_the_month_with_a_fault_are_events_and_the_others_are_not(db):
    agent, other = EmployeeFactory(), EmployeeFactory()
    general = closed(agent, dt.datetime(2026, 11, 10, 2, 0, tzinfo=UTC), "general")
    serious = closed(other, dt.datetime(2026, 11, 12, 9, 30, tzinfo=UTC), "serious")
    closed(agent, dt.datetime(2026, 11, 11, 2, 0, tzinfo=UTC), "none")  # no fault
    closed(agent, dt.datetime(2026, 11, 11, 3, 0, tzinfo=UTC), "")  # fault level never set
    closed(None, dt.datetime(2026, 11, 11, 4, 0, tzinfo=UTC), "general")  # nobody responsible
    ComplaintFactory(stage="withdrawn", withdrawn_at=dt.datetime(2026, 11, 13, 2, 0, tzinfo=UTC),
                     withdrawn_reason="客户撤回", fault_level="general", responsible_employee=agent)
    ComplaintFactory(stage="close", fault_level="general", responsible_employee=agent)  # not closed yet
    closed(agent, dt.datetime(2026, 12, 3, 2, 0, tzinfo=UTC), "general")  # next month
    assert complaint_score_events(year=Y, month=M) == [
        {"employee_id": agent.pk, "date": dt.date(2026, 11, 10), "kind": "complaint_general_fault",
         "source": f"complaint:{general.pk}"},
        {"employee_id": other.pk, "date": dt.date(2026, 11, 12), "kind": "complaint_serious_fault",
         "source": f"complaint:{serious.pk}"},
    ]


@pytest.mark.parametrize(("closed_at", "month", "date"), [
    # the month's edges are midnight in Asia/Shanghai (UTC+8), not in UTC
    (dt.datetime(2026, 10, 31, 15, 59, 59, tzinfo=UTC), (2026, 10), dt.date(2026, 10, 31)),
    (dt.datetime(2026, 10, 31, 16, 0, 0, tzinfo=UTC), (2026, 11), dt.date(2026, 11, 1)),
    (dt.datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC), (2026, 11), dt.date(2026, 11, 30)),
    (dt.datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC), (2026, 12), dt.date(2026, 12, 1)),
])
def test_the_month_of_a_closed_complaint_is_taken_in_local_time(db, closed_at, month, date):
    agent = EmployeeFactory()
    complaint = closed(agent, closed_at, "general")
    other_month = (2026, 12) if month != (2026, 12) else (2026, 11)
    assert complaint_score_events(year=month[0], month=month[1]) == [
        {"employee_id": agent.pk, "date": date, "kind": "complaint_general_fault",
         "source": f"complaint:{complaint.pk}"}]
    assert complaint_score_events(year=other_month[0], month=other_month[1]) == []


def test_a_closed_complaint_with_a_general_fault_costs_one_point_on_the_card(presets):
    agent = EmployeeFactory()
    complaint = closed(agent, dt.datetime(2026, 11, 10, 2, 0, tzinfo=UTC), "general")
    month_materialise(year=Y, month=M)
    record = PenaltyRecord.objects.get(employee=agent)
    assert (record.rule.code, record.points, record.source, record.date) == (
        "complaint_general_fault", D("-1.00"), f"complaint:{complaint.pk}", dt.date(2026, 11, 10))


# --- missed calls that drew a complaint: recorded by the supervisor ------------------------------------


@pytest.mark.parametrize(("entries", "deductions"), [(2, D("0")), (3, D("5")), (4, D("5")), (5, D("10"))])
def test_missed_calls_recorded_by_a_supervisor_cost_5_at_3_and_10_at_5(presets, entries, deductions):
    supervisor = EmployeeFactory(roles=["supervisor"])
    agent = EmployeeFactory(supervisor=supervisor)
    category = ManualCategory.objects.get(code="missed_call_complaint")
    assert (category.kind, category.name) == ("violation", "漏接电话/留言引起投诉")
    for day in range(2, 2 + entries):
        manual_entry_create(employee=agent, category=category, date=dt.date(Y, M, day),
                                     note="漏接来电，客户投诉", by=supervisor)
    month_materialise(year=Y, month=M)
    card = ScoreCard.objects.get(employee=agent, score_month__year=Y, score_month__month=M)
    assert (card.deductions, card.score, card.violations) == (deductions, D("10") - deductions, entries)
    extras = PenaltyRecord.objects.filter(employee=agent, kind="threshold").order_by("occurrence")
    assert [(r.occurrence, r.points) for r in extras] == [(n, D("-5")) for n in (3, 5) if n <= entries]


def test_the_points_preset_counts_the_missed_call_category(db):
    from staff.models import Rule

    rule = Rule.objects.get(rule_set__code="points", code="complaint_missed_call")
    assert (rule.event_kind, rule.counts_as_violation) == ("manual:missed_call_complaint", True)
    assert list(rule.tiers.values_list("first", "last", "points")) == [(1, None, D("0"))]
    assert list(rule.thresholds.order_by("at").values_list("at", "points", "flag")) == [(3, D("-5"), ""),
                                                                                      (5, D("-5"), "")]
