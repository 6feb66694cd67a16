"""Promised replies: the owner before it is due, the owner's supervisor once it is overdue — each once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from csmgmt.core.models import Notification
from csmgmt.core.registry import jobs
from tests.factories import CallFactory
from tickets.models import Call, IntakeSettings
from tickets.services import call_reply_reminders_send
from tickets.tasks import call_reply_reminders


@pytest.fixture
def team(make_employee):
    boss = make_employee("supervisor")
    owner = make_employee("agent", supervisor=boss)
    return owner, boss


def promised(owner, due_in_minutes, **kw):
    return CallFactory(agent=owner, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(minutes=due_in_minutes), **kw)


def test_the_job_runs_every_five_minutes():
    job = next(j for j in jobs() if j.name == "tickets.call_reply_reminders")
    assert job.task == "tickets.tasks.call_reply_reminders"
    assert job.crontab == {"minute": "*/5"}


def test_owner_is_reminded_once_when_due_within_30_minutes(team):
    owner, boss = team
    call = promised(owner, 20)
    assert call_reply_reminders.delay().get() == {"due": 1, "overdue": 0}
    assert call_reply_reminders.delay().get() == {"due": 0, "overdue": 0}
    notices = Notification.objects.filter(key=f"call-reply-due-{call.pk}")
    assert list(notices.values_list("recipient", flat=True)) == [owner.pk]
    assert call.number in notices.get().text
    assert Notification.objects.filter(recipient=boss).count() == 0


def test_nothing_is_sent_for_a_reply_due_later(team):
    owner, _boss = team
    promised(owner, 45)
    assert call_reply_reminders_send().due_sent == 0
    assert Notification.objects.count() == 0


def test_lead_time_is_the_managers_setting(team):
    owner, _boss = team
    IntakeSettings.objects.update(remind_before_minutes=60)
    promised(owner, 45)
    assert call_reply_reminders_send().due_sent == 1


def test_supervisor_is_told_once_when_overdue(team):
    owner, boss = team
    call = promised(owner, -5)
    first = call_reply_reminders_send()
    second = call_reply_reminders_send()
    assert (first.overdue_sent, second.overdue_sent) == (1, 0)
    assert list(Notification.objects.filter(key=f"call-reply-overdue-{call.pk}").values_list("recipient", flat=True)) \
        == [boss.pk]


def test_without_a_supervisor_the_department_head_is_told(make_employee):
    head = make_employee("manager")
    owner = make_employee("agent")
    owner.department.head = head
    owner.department.save()
    call = promised(owner, -5)
    call_reply_reminders_send()
    assert Notification.objects.get(key=f"call-reply-overdue-{call.pk}").recipient == head


def test_closed_and_voided_calls_are_not_reminded(team):
    owner, _boss = team
    c1 = promised(owner, 10)
    c2 = promised(owner, -10)
    Call.objects.filter(pk=c1.pk).update(status="closed")
    Call.objects.filter(pk=c2.pk).update(status="voided", void_reason="误登记")
    result = call_reply_reminders_send()
    assert (result.due_sent, result.overdue_sent) == (0, 0)
    assert Notification.objects.count() == 0


def test_sent_stamps_keep_later_runs_from_rescanning(team, django_assert_num_queries):
    owner, _boss = team
    promised(owner, 10)
    promised(owner, -10)
    call_reply_reminders_send()
    with django_assert_num_queries(3):  # the settings row and the two scans, both empty
        call_reply_reminders_send()


def test_even_with_stamps_cleared_the_unique_key_sends_once(team):
    owner, boss = team
    call = promised(owner, -1)
    Call.objects.filter(pk=call.pk).update(reply_due_at=timezone.now() + dt.timedelta(minutes=10))
    call_reply_reminders_send()
    Call.objects.filter(pk=call.pk).update(reply_reminded_at=None)
    assert call_reply_reminders_send().due_sent == 0
    assert Notification.objects.filter(key=f"call-reply-due-{call.pk}").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(postgres, make_employee):
    boss = make_employee("supervisor")
    owner = make_employee("agent", supervisor=boss)
    due = promised(owner, 10)
    late = promised(owner, -10)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(call_reply_reminders_send())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sum(r.due_sent for r in results) == 1
    assert sum(r.overdue_sent for r in results) == 1
    assert Notification.objects.filter(key=f"call-reply-due-{due.pk}").count() == 1
    assert Notification.objects.filter(key=f"call-reply-overdue-{late.pk}").count() == 1


def test_after_a_hand_over_the_new_owner_gets_their_own_due_reminder(team, make_employee):
    from tickets.services import call_hand_over

    owner, _boss = team
    call = promised(owner, 20)
    assert call_reply_reminders_send().due_sent == 1
    colleague = make_employee("agent")
    call_hand_over(call=call, by=owner, to=colleague, reason="下班交接")
    result = call_reply_reminders_send()
    assert result.due_sent == 1
    key = f"call-reply-due-{call.pk}"
    assert Notification.objects.filter(key=key).count() == 2
    assert Notification.objects.filter(recipient=colleague, key=key).count() == 1
    assert Notification.objects.filter(recipient=owner, key=key).count() == 1
    assert call_reply_reminders_send().due_sent == 0  # and once only
    assert Notification.objects.filter(key=key).count() == 2
