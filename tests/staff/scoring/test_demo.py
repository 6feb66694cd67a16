"""The scoring demo: loading it twice, or again later in the month, gives the same rows."""

import datetime as dt
from decimal import Decimal as D

from staff.models import Appeal, FundEntry, ManualEntry, PenaltyRecord, ScoreCard, ScoreMonth, ScoreMonthEvent

MODELS = (ManualEntry, PenaltyRecord, ScoreCard, Appeal, FundEntry, ScoreMonth, ScoreMonthEvent)


def counts():
    return [m.objects.count() for m in MODELS]


def load(today=None):
    from staff import demo as staff_demo
    from staff.scoring import demo

    staff_demo.load()
    demo.load(today=today)


def test_loading_the_demo_twice_changes_nothing(db):
    load()
    before = counts()
    load()
    assert counts() == before
    assert sorted(Appeal.objects.values_list("status", flat=True)) == ["pending", "upheld"]


def test_loading_again_later_in_the_month_makes_no_duplicate_entries(db):
    load(today=dt.date(2026, 10, 2))  # early in the month: every entry of October is dated the 1st or 2nd
    before = counts()
    load(today=dt.date(2026, 10, 20))
    assert counts() == before
    assert ManualEntry.objects.filter(date__year=2026, date__month=10).count() == 7
    assert not ManualEntry.objects.filter(date__gt=dt.date(2026, 10, 2), date__month=10).exists()


def test_the_demo_has_a_closed_month_an_upheld_appeal_and_a_fund_adjustment(db):
    load(today=dt.date(2026, 10, 20))
    assert list(ScoreMonth.objects.order_by("month").values_list("month", "status")) == [(9, "closed"), (10, "open")]
    upheld = Appeal.objects.get(status="upheld")
    assert (upheld.employee.employee_no, upheld.record.status, upheld.record.score_month.month) == (
        "CS102", "voided", 10)
    card = ScoreCard.objects.get(employee=upheld.employee, score_month__month=10)
    assert (card.deductions, card.score) == (D("0"), D("10"))  # the voided record no longer counts
    pending = Appeal.objects.get(status="pending")
    assert (pending.employee.employee_no, pending.record.status) == ("CS101", "active")
    adjustment = FundEntry.objects.get(kind="adjustment")
    assert (adjustment.amount, adjustment.note, adjustment.score_month.month, adjustment.department.code) == (
        D("-120"), "购买团队活动饮料和水果", 10, "CS")
