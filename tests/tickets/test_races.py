"""Races on PostgreSQL: two threads, two connections, at the same moment."""

import threading
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection

from csmgmt.core.onetime import AlreadySubmitted, once
from tickets import services
from tickets.models import Call, Customer, CustomerPhone


def run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def wrap(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_a_double_click_with_one_token_saves_one_call(postgres, make_employee):
    """Intake's one-time token is the shared one (``csmgmt.core.onetime.once``): two saves of the same rendered form
    at the same moment log one call, and the other is sent to it."""
    agent = make_employee("agent")
    token = uuid.uuid4()

    def save():
        form = SimpleNamespace(cleaned_data={"form_token": token})
        return once(form, by=agent, create=lambda: services.call_create(
            by=agent, data={"valid": True, "summary": "双击", "caller_phone": "13800138000"}),
            url=lambda c: f"/calls/{c.pk}/", label=lambda c: c.number)

    results, _ = run_together(save, save)
    saved = [r for r in results if isinstance(r, Call)]
    duplicates = [r for r in results if isinstance(r, AlreadySubmitted)]
    assert len(saved) == 1 and len(duplicates) == 1, results
    assert duplicates[0].url == f"/calls/{saved[0].pk}/"
    assert Call.objects.count() == 1
    assert Customer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_agents_logging_a_new_number_at_once_make_one_profile(postgres, make_employee):
    a, b = make_employee("agent"), make_employee("agent")
    results, _ = run_together(
        lambda: services.call_create(by=a, data={"valid": True, "summary": "甲", "caller_phone": "13912345678"}),
        lambda: services.call_create(by=b, data={"valid": True, "summary": "乙", "caller_phone": "+86 139 1234 5678"}),
    )
    assert all(isinstance(r, Call) for r in results), results
    assert CustomerPhone.objects.count() == 1
    assert Customer.objects.count() == 1
    assert len({r.number for r in results}) == 2
