"""Migration 0018 moves today's repair revisits (two fields of the call) into call revisits (issue 20)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = ("tickets", "0017_call_exchange_call_id")
STAFF = ("staff", "0023_employee_extension")  # as the database has it (employees' columns all there)


def test_answered_repair_revisits_become_call_revisits_and_a_waiting_one_a_pending_revisit(postgres):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE, STAFF])
    apps = executor.loader.project_state([BEFORE, STAFF]).apps
    User, Department, Employee, Call, CallEvent = (apps.get_model(*name.split(".")) for name in (
        "auth.User", "staff.Department", "staff.Employee", "tickets.Call", "tickets.CallEvent"))
    department = Department.objects.create(name="工程部", code="ENG-M")
    agent = Employee.objects.create(user=User.objects.create(username="rv1"), employee_no="RV1", name="张伟",
                                    department=department)
    finished = timezone.now() - dt.timedelta(days=3)
    revisited = finished + dt.timedelta(hours=5)

    def repair(n, **fields):
        fields = {"repair_finished_at": finished, **fields}
        return Call.objects.create(number=f"LD-M-{n}", received_at=finished - dt.timedelta(hours=2), summary="报修",
                                   category="repair", outcome="transferred", department=department, agent=agent,
                                   owner=agent, repair_on_site_at=finished - dt.timedelta(hours=1), **fields)

    happy = repair(1, status="closed", repair_satisfaction=5, repair_revisited_at=revisited)
    CallEvent.objects.create(call=happy, kind="revisit", by=agent, at=revisited, text="很满意",
                             from_status="open", to_status="closed")
    unhappy = repair(2, status="closed", repair_satisfaction=2, repair_revisited_at=revisited)
    waiting = repair(3, status="open")
    repair(4, status="open", repair_finished_at=None)  # not finished: no revisit yet

    MigrationExecutor(connection).migrate(latest)

    from tickets.models import CallRevisit

    rows = {r.call_id: r for r in CallRevisit.objects.all()}
    assert set(rows) == {happy.pk, unhappy.pk, waiting.pk}
    assert (rows[happy.pk].state, rows[happy.pk].satisfaction, rows[happy.pk].note, rows[happy.pk].by_id,
            rows[happy.pk].revisited_at) == ("done", 5, "很满意", agent.pk, revisited)
    assert (rows[unhappy.pk].state, rows[unhappy.pk].satisfaction) == ("unsatisfied", 2)
    assert (rows[waiting.pk].state, rows[waiting.pk].due_at) == ("pending", finished + dt.timedelta(days=2))
    assert list(rows[happy.pk].events.values_list("action", "from_state", "to_state", "by")) == [
        ("record", "pending", "done", agent.pk)]
