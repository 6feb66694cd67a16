"""Clocks: due times per severity, met and missed, and reminders sent exactly once."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import ClockKind, ClockLength, ClockState, ComplaintClock
from complaints.services import complaint_create, complaint_transition
from complaints.tasks import clocks_remind
from csmgmt.core.models import Notification
from csmgmt.core.registry import jobs

H = dt.timedelta(hours=1)


def register(people, received_at):
    return complaint_create(by=people["agent"], data={"received_at": received_at, "complainant_name": "林女士",
                                                      "complainant_phone": "138 1234 5678", "content": "包裹破损"})


def due(complaint, kind):
    return ComplaintClock.objects.get(complaint=complaint, kind=kind, state__in=["running", "met", "missed"]).due_at


@pytest.mark.parametrize(("severity", "close_clocks"), [("ordinary", {"close_ordinary": 72, "close": 168}),
                                                       ("major", {"close": 168})])
def test_due_times_follow_the_severity(people, severity, close_clocks):
    received = timezone.now() - 10 * dt.timedelta(minutes=1)
    complaint = register(people, received)
    assert due(complaint, "first_reply") == received + 2 * H
    assert due(complaint, "assign") == received + 3 * H
    assert due(complaint, "close_ordinary") == received + 72 * H
    assert due(complaint, "close") == received + 168 * H
    complaint_transition(complaint=complaint, action="uphold", by=people["agent"], data={"severity": severity})
    running = ComplaintClock.objects.filter(complaint=complaint, state="running", kind__startswith="close")
    assert {c.kind: c.due_at for c in running} == {k: received + h * H for k, h in close_clocks.items()}


def test_a_managers_clock_length_is_used_for_new_clocks(people):
    ClockLength.objects.create(kind="first_reply", severity="ordinary", hours=1)
    received = timezone.now()
    complaint = register(people, received)
    assert due(complaint, "first_reply") == received + 1 * H


@pytest.mark.parametrize(("hours_ago", "state"), [(1, ClockState.MET), (4, ClockState.MISSED)])
def test_assigning_meets_the_assign_clock_or_misses_it(people, qa, hours_ago, state):
    complaint = register(people, timezone.now() - hours_ago * H)
    complaint_transition(complaint=complaint, action="uphold", by=people["agent"], data={"severity": "ordinary"})
    complaint_transition(complaint=complaint, action="assign", by=people["supervisor"],
                         data={"responsible_department": qa})
    clock = ComplaintClock.objects.get(complaint=complaint, kind="assign")
    assert clock.state == state and clock.met_at is not None
    report = ComplaintClock.objects.get(complaint=complaint, kind="dept_report")
    assert (report.state, report.due_at - report.started_at) == (ClockState.RUNNING, 48 * H)


def test_the_short_path_cancels_the_assign_clock_and_starts_the_revisit_clock(people):
    complaint = register(people, timezone.now())
    complaint_transition(complaint=complaint, action="reject", by=people["agent"], data={"severity": "ordinary"})
    complaint_transition(complaint=complaint, action="respond", by=people["agent"],
                         data={"response_method": "phone", "response_text": "已解释"})
    states = dict(ComplaintClock.objects.filter(complaint=complaint).values_list("kind", "state"))
    assert states == {"first_reply": "met", "assign": "cancelled", "close_ordinary": "running", "close": "running",
                      "revisit": "running"}
    assert due(complaint, "revisit") - ComplaintClock.objects.get(complaint=complaint, kind="revisit").started_at == 168 * H


def test_overdue_is_an_indexed_query_on_running_clocks(people):
    from django.db import connection

    complaint = register(people, timezone.now() - 5 * H)
    overdue = ComplaintClock.objects.filter(state="running", due_at__lte=timezone.now())
    assert sorted(overdue.values_list("kind", flat=True)) == ["assign", "first_reply"]
    assert complaint.clocks.count() == 4
    if connection.vendor == "postgresql":
        names = [i.name for i in ComplaintClock._meta.indexes]
        assert "clock_running_due_idx" in names


def test_reminders_are_sent_once_when_the_task_runs_twice(people, complaint_at, django_capture_on_commit_callbacks):
    now = timezone.now()
    soon = complaint_at("plan", responsible_person=people["handler"])
    ComplaintClock.objects.create(complaint=soon, kind=ClockKind.DEPT_REPORT, started_at=now - 47 * H,
                                  due_at=now + dt.timedelta(minutes=20))
    late = complaint_at("analyse")
    ComplaintClock.objects.create(complaint=late, kind=ClockKind.FIRST_REPLY, started_at=now - 3 * H,
                                  due_at=now - H)
    revisit = complaint_at("revisit")
    ComplaintClock.objects.create(complaint=revisit, kind=ClockKind.REVISIT, started_at=now - 150 * H,
                                  due_at=now + 18 * H)
    far = complaint_at("plan")
    ComplaintClock.objects.create(complaint=far, kind=ClockKind.DEPT_REPORT, started_at=now, due_at=now + 48 * H)

    with django_capture_on_commit_callbacks(execute=True):
        first = clocks_remind.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = clocks_remind.delay().get()

    assert first == {"soon": 2, "overdue": 1}
    assert second == {"soon": 0, "overdue": 0}
    got = sorted(Notification.objects.values_list("recipient_id", "key"))
    assert got == sorted([
        (people["handler"].pk, f"complaint-clock:{soon.clocks.get().pk}:soon"),
        (people["supervisor"].pk, f"complaint-clock:{late.clocks.get().pk}:overdue"),
        (people["agent"].pk, f"complaint-clock:{revisit.clocks.get().pk}:soon"),
    ])
    assert Notification.objects.get(recipient=people["agent"]).text.startswith(
        f"Revisit the customer of complaint {revisit.number} by ")


def test_a_clock_noticed_as_due_soon_is_noticed_again_when_overdue(people, complaint_at):
    now = timezone.now()
    complaint = complaint_at("analyse")
    clock = ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.FIRST_REPLY, started_at=now - H,
                                          due_at=now + dt.timedelta(minutes=10))
    from complaints.services import clocks_remind as run

    assert run(now=now) == {"soon": 1, "overdue": 0}
    assert run(now=now + dt.timedelta(minutes=15)) == {"soon": 0, "overdue": 1}
    assert run(now=now + dt.timedelta(minutes=20)) == {"soon": 0, "overdue": 0}
    clock.refresh_from_db()
    assert clock.soon_notified_at is not None and clock.overdue_notified_at is not None


def test_the_reminder_job_runs_every_five_minutes():
    job = next(j for j in jobs() if j.name == "complaints.clocks_remind")
    assert (job.task, job.crontab) == ("complaints.tasks.clocks_remind", {"minute": "*/5"})


def test_the_reminder_job_is_installed_in_beat(db):
    from django_celery_beat.models import PeriodicTask

    from csmgmt.jobs import jobs_install

    jobs_install()
    task = PeriodicTask.objects.get(name="complaints.clocks_remind")
    assert (task.task, task.crontab.minute) == ("complaints.tasks.clocks_remind", "*/5")
