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
