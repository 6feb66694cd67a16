"""Stands in for another area's score-event selector (attendance/complaints) in the adapter tests."""

import datetime as dt

CALLS = []


def score_events(*, year, month):
    CALLS.append((year, month))
    from staff.models import Employee

    employee = Employee.objects.order_by("pk").first()
    return [{"employee_id": employee.pk, "date": dt.date(year, month, 2), "kind": "absent",
             "source": "attendance:day:77"}]


MONTH_ROWS = []  # set by a test: plain dicts as the attendance/complaint selectors return them


def month_rows(*, year, month):
    return list(MONTH_ROWS)
