"""Races on PostgreSQL: two connections at once (real threads, committed data)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from staff.models import Appeal, PenaltyRecord, ScoreCard, ScoreMonth
from staff.rules import Event
from staff.scoring.services.appeals import appeal_decide, appeal_file
from staff.scoring.services.materialise import month_materialise
from staff.scoring.workflow import ScoringError
from tests.factories import EmployeeFactory

Y, M = 2026, 11


def run_together(*fns):
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def wrap(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_materialisations_at_once_give_one_set_of_records(postgres, presets):
    agent = EmployeeFactory()
    events = [Event(agent.pk, dt.date(Y, M, d), "late", f"race:{d}") for d in range(1, 6)]
    results = run_together(*(lambda: month_materialise(year=Y, month=M, events=events),) * 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted((r.created, r.updated, r.withdrawn) for r in results) == [(0, 0, 0), (5, 0, 0)]
    assert PenaltyRecord.objects.count() == 5
    assert ScoreMonth.objects.count() == 1
    assert ScoreCard.objects.get(employee=agent).deductions == 2.5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_one_appeal_at_once_decide_it_once(postgres, presets):
    agent = EmployeeFactory(roles=["agent"])
    managers = [EmployeeFactory(roles=["manager"]) for _ in range(2)]
    month_materialise(year=Y, month=M, events=[Event(agent.pk, dt.date(Y, M, 3), "absent", "race:a")])
    record = PenaltyRecord.objects.get()
    appeal = appeal_file(record=record, by=agent, reason="x")
    results = run_together(
        lambda: appeal_decide(appeal=appeal, by=managers[0], uphold=True, reason="upheld"),
        lambda: appeal_decide(appeal=appeal, by=managers[1], uphold=False, reason="rejected"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ScoringError), results
    appeal.refresh_from_db()
    record.refresh_from_db()
    assert (appeal.status == "upheld") == (record.status == "voided")
    assert Appeal.history.filter(id=appeal.pk, history_type="~").count() == 1
