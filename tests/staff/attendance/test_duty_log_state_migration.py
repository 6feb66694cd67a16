"""Migration 0011 gives each existing duty-log entry the state its signatures say."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = ("staff", "0010_attendance_workflow_events")


def test_existing_entries_get_the_state_of_their_signatures(postgres):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: going back to staff 0010 unapplies what depends on it
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    User, Department, Employee, Shift, Entry = (apps.get_model(*name.split(".")) for name in (
        "auth.User", "staff.Department", "staff.Employee", "staff.Shift", "staff.DutyLogEntry"))
    department = Department.objects.create(name="客服中心", code="CS-M")
    out, inc = (Employee.objects.create(user=User.objects.create(username=f"m{i}"), employee_no=f"M{i}", name=f"员工{i}",
                                        department=department) for i in (1, 2))
    shift = Shift.objects.create(code="MA", name="A", start=dt.time(8), end=dt.time(17))
    now = timezone.now()
    day = timezone.localdate()
    draft = Entry.objects.create(date=day, shift=shift, outgoing=out)
    half = Entry.objects.create(date=day - dt.timedelta(days=1), shift=shift, outgoing=out, outgoing_signed_at=now)
    both = Entry.objects.create(date=day - dt.timedelta(days=2), shift=shift, outgoing=out, outgoing_signed_at=now,
                                incoming=inc, incoming_signed_at=now)
    assert set(Entry.objects.values_list("state", flat=True)) == {"draft"}  # the new column's default

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from staff.models import DutyLogEntry

    assert dict(DutyLogEntry.objects.values_list("pk", "state")) == {
        draft.pk: "draft", half.pk: "signed_by_outgoing", both.pk: "signed_by_both"}
