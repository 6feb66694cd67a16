"""Races on PostgreSQL: two threads, two connections."""

import threading

import pytest
from django.db import connection

from staff.attendance.services.leave import leave_request
from staff.attendance.services.punches import punch_clock
from staff.attendance.workflow import AttendanceError
from staff.models import LeaveRequest, Punch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_simultaneous_clock_clicks_make_one_punch(postgres, make_employee):
    employee = make_employee("agent")
    errors = _race(lambda: punch_clock(by=employee, direction="in", address="10.1.1.1"))
    assert errors == []
    assert Punch.objects.filter(employee=employee).count() == 1


def test_two_simultaneous_overlapping_leave_requests_make_one(postgres, make_employee):
    import datetime as dt

    from django.utils import timezone

    employee = make_employee("agent")
    start = timezone.localdate() + dt.timedelta(days=5)
    errors = _race(lambda: leave_request(by=employee, kind="annual", start_date=start, end_date=start,
                                         reason="旅行"))
    assert [type(e) for e in errors] == [AttendanceError]
    assert LeaveRequest.objects.filter(employee=employee).count() == 1
