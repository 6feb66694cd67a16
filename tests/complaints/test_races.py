"""Races on PostgreSQL: two connections at the same moment."""

import threading

import pytest
from django.db import connection

from complaints.models import ComplaintEvent
from complaints.services import ComplaintError, complaint_transition
from staff.models import Employee


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_approving_the_same_plan_make_one_approval(postgres, people, complaint_at, make_employee):
    complaint = complaint_at("approve")
    second = make_employee("supervisor")
    supervisors = [people["supervisor"].pk, second.pk]
    barrier = threading.Barrier(2)
    results = {}

    def approve(employee_id):
        try:
            by = Employee.objects.select_related("user").get(pk=employee_id)
            barrier.wait(timeout=10)
            complaint_transition(complaint=complaint, action="approve", by=by, comment="同意")
            results[employee_id] = "ok"
        except ComplaintError as exc:
            results[employee_id] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in supervisors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    outcomes = sorted(results.values())
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    refusal = next(o for o in outcomes if o != "ok")
    assert refusal.startswith(f"Already approved: complaint {complaint.number} has moved on to")
    assert ComplaintEvent.objects.filter(complaint=complaint, action="approve").count() == 1
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_the_same_moment_send_each_notice_once(postgres, people, complaint_at):
    import datetime as dt

    from django.utils import timezone

    from complaints.models import ClockKind, ComplaintClock
    from complaints.services import clocks_remind
    from csmgmt.core.models import Notification

    now = timezone.now()
    for i in range(10):
        complaint = complaint_at("analyse")
        ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.FIRST_REPLY, started_at=now - dt.timedelta(hours=3),
                                      due_at=now - dt.timedelta(minutes=i + 1))
    barrier = threading.Barrier(2)
    totals = []

    def run():
        try:
            barrier.wait(timeout=10)
            totals.append(clocks_remind(now=now)["overdue"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sum(totals) == 10
    assert Notification.objects.filter(key__endswith=":overdue").count() == 10
    assert Notification.objects.values("key").distinct().count() == 10
