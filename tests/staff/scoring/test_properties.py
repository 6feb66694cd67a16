"""Property-based tests (hypothesis) on the real database: a month's total is the sum of its records;
materialising twice is a no-op; voiding a record by appeal changes the total by exactly its amount."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staff.models import FundEntry, PenaltyRecord, RuleSet, ScoreCard, ScoreMonthEvent
from staff.rules import Event
from staff.scoring.services.appeals import appeal_decide, appeal_file
from staff.scoring.services.materialise import month_materialise
from staff.scoring.workflow import record_is_penalty
from tests.factories import EmployeeFactory

Y, M = 2026, 11
KINDS = ["late", "late_over_30", "early", "absent", "missed_punch", "comp_leave_day", "complaint_general_fault",
         "manual:missed_call_complaint", "manual:conduct", "manual:order_entry", "manual:private_order",
         "manual:wrong_marking", "manual:unfinished_work"]
rows = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 30), st.sampled_from(KINDS)), max_size=40)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def people(presets):
    manager = EmployeeFactory(roles=["manager"])
    return manager, [EmployeeFactory(roles=["agent"]) for _ in range(3)]


def month_events(people, data):
    return [Event(people[e].pk, dt.date(Y, M, d), k, f"prop:{i}") for i, (e, d, k) in enumerate(data)]


def rolled_back(fn):
    """Each example runs in a savepoint that is rolled back, so examples do not see each other."""
    with transaction.atomic():
        fn()
        transaction.set_rollback(True)


def use(preset, manager):
    RuleSet.objects.filter(active=True).update(active=False)
    RuleSet.objects.filter(code=preset).update(active=True)


def card_state():
    return sorted(ScoreCard.objects.values_list("employee_id", "score", "fines", "reward_money", "flags"))


@SETTINGS
@given(data=rows, preset=st.sampled_from(["points", "fines"]))
def test_each_card_is_the_base_plus_the_sum_of_its_counting_records(people, data, preset):
    manager, staff = people

    def run():
        use(preset, manager)
        month_materialise(year=Y, month=M, events=month_events(staff, data))
        for card in ScoreCard.objects.filter(employee__in=staff):
            counting = PenaltyRecord.objects.filter(employee=card.employee, status="active")
            points = counting.aggregate(s=Sum("points"))["s"] or D("0")
            money = counting.aggregate(s=Sum("money"))["s"] or D("0")
            assert card.score == card.base + points
            assert card.reward_money - card.fines == money
        fund = FundEntry.objects.filter(kind__in=["fines", "rewards"]).aggregate(s=Sum("amount"))["s"] or D("0")
        assert fund == -(PenaltyRecord.objects.filter(status="active").aggregate(s=Sum("money"))["s"] or D("0"))

    rolled_back(run)


@SETTINGS
@given(first=rows, second=rows, preset=st.sampled_from(["points", "fines"]))
def test_materialising_twice_is_a_no_op(people, first, second, preset):
    manager, staff = people

    def run():
        use(preset, manager)
        month_materialise(year=Y, month=M, events=month_events(staff, first))
        events = month_events(staff, second)
        month_materialise(year=Y, month=M, events=events)
        before = (sorted(PenaltyRecord.objects.values_list("pk", "status", "occurrence", "points", "money")),
                  card_state(), sorted(FundEntry.objects.values_list("pk", "amount")), ScoreMonthEvent.objects.count(),
                  PenaltyRecord.history.count())
        result = month_materialise(year=Y, month=M, events=events)
        after = (sorted(PenaltyRecord.objects.values_list("pk", "status", "occurrence", "points", "money")),
                 card_state(), sorted(FundEntry.objects.values_list("pk", "amount")), ScoreMonthEvent.objects.count(),
                 PenaltyRecord.history.count())
        assert not result.changed
        assert after == before

    rolled_back(run)


@SETTINGS
@given(data=rows.filter(bool), pick=st.integers(0, 1000), preset=st.sampled_from(["points", "fines"]))
def test_voiding_a_record_by_appeal_changes_the_total_by_exactly_its_amount(people, data, pick, preset):
    """Points (deductions) and money (fines): the card and the fund's fines line move by exactly the
    record's amount; a voided violation is one violation fewer."""
    manager, staff = people

    def fines_line(department_id):
        line = FundEntry.objects.filter(kind="fines", department_id=department_id).first()
        return line.amount if line else D("0")

    def run():
        use(preset, manager)
        month_materialise(year=Y, month=M, events=month_events(staff, data))
        penalties = [r for r in PenaltyRecord.objects.filter(status="active").select_related("rule").order_by("pk")
                     if record_is_penalty(r)]
        if not penalties:
            return
        record = penalties[pick % len(penalties)]
        card = ScoreCard.objects.get(employee=record.employee)
        fund_before = fines_line(record.department_id)
        appeal = appeal_file(record=record, by=record.employee, reason="x")
        appeal_decide(appeal=appeal, by=manager, uphold=True, reason="y")
        after = ScoreCard.objects.get(employee=record.employee)
        assert after.score - card.score == -record.points
        assert after.deductions == card.deductions + record.points
        assert after.fines == card.fines + record.money
        assert fines_line(record.department_id) == fund_before + record.money
        assert card.violations - after.violations == int(record.kind == "occurrence" and record.rule.counts_as_violation)

    rolled_back(run)
