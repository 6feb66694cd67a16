"""Issue 17, queues driven by deadlines, on the approvals page: a leave request's deadline is its first shift (the
start of its first rostered working shift; the start of its first day when none is rostered), a correction's the
close of its month (the month's end, REGULATIONS §5 "not corrected by month end"). Soonest first, the level by the
one rule, and the page says what its menu badge counts."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staff.models import Correction, LeaveRequest
from tests.deadline_support import H, M, deadline_rows
from tests.factories import LeaveRequestFactory

from .conftest import local

CAPTION = "Leave requests and attendance corrections waiting for your decision"


@pytest.fixture(autouse=True)
def _english_pages(settings):
    settings.LANGUAGE_CODE = "en"


def client(employee):
    c = Client()
    c.force_login(employee.user)
    return c


@pytest.fixture
def six_am(monkeypatch):
    """Django's clock fixed at 06:00 (local) today."""
    now = local(timezone.localdate(), "06:00")
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def leave(employee, start, end=None, *, requested):
    row = LeaveRequestFactory(employee=employee, start_date=start, end_date=end or start)
    LeaveRequest.objects.filter(pk=row.pk).update(created=requested)
    return row


def test_leave_is_listed_by_its_first_shift_soonest_first(six_am, team, roster):
    now, today = six_am, six_am.date()
    day = dt.timedelta(days=1)
    roster(team.agent, today, "A")  # 08:00
    roster(team.agent, today - day, "N")  # 17:30 yesterday
    roster(team.agent2, today + day, "REST")
    roster(team.agent2, today + 2 * day, "B")  # 10:00
    unrostered = leave(team.agent, today + day, requested=now - 6 * H)  # no shift: its first day, 00:00
    rest_first = leave(team.agent2, today + day, today + 2 * day, requested=now - 156 * H)  # the rest day is no shift
    two_hours = leave(team.agent, today, requested=now - 20 * H)
    overdue = leave(team.agent, today - day, requested=now - 40 * H)

    html = client(team.supervisor).get(reverse("staff:attendance_approvals")).content.decode()

    assert deadline_rows(html, "leave") == [
        (str(overdue.pk), "overdue", "overdue 12 h 30 min"),  # yesterday's N shift, 17:30
        (str(two_hours.pk), "soon", "due in 2 h"),  # today's A shift, 08:00: exactly 2 h
        (str(unrostered.pk), "ok", "due in 18 h"),  # tomorrow 00:00; 18 h of a 24 h clock is more than its quarter
        (str(rest_first.pk), "soon", "due in 2 d 4 h"),  # B the day after: 52 h left of 208 h, the last quarter
    ]


def test_corrections_are_listed_by_their_month_close(six_am, team):
    now, today = six_am, six_am.date()
    first_of_month = today.replace(day=1)
    close = local(first_of_month.replace(year=today.year + (today.month == 12), month=today.month % 12 + 1), "00:00")

    def correction(date, requested):
        row = Correction.objects.create(employee=team.agent, date=date, kind="status", requested_code="P",
                                        reason="外出培训")
        Correction.objects.filter(pk=row.pk).update(created=requested)
        return row

    this_month = correction(today, now - H)
    last_quarter = correction(today, close - 4 * (close - now))  # the time left is exactly a quarter of its clock
    last_month = correction(first_of_month - dt.timedelta(days=1), now - 30 * 24 * H)

    html = client(team.supervisor).get(reverse("staff:attendance_approvals")).content.decode()

    rows = deadline_rows(html, "correction")
    assert [(key, level) for key, level, _text in rows] == [
        (str(last_month.pk), "overdue"), (str(this_month.pk), "ok"), (str(last_quarter.pk), "soon")]
    assert rows[0][2].startswith("overdue ") and rows[1][2].startswith("due in ")
    assert f"month close · {close:%m-%d} 00:00" in html


def test_the_approvals_page_says_what_its_menu_badge_counts(team):
    LeaveRequestFactory(employee=team.agent)

    html = client(team.supervisor).get(reverse("staff:attendance_approvals")).content.decode()

    assert f"The number beside this list in the menu counts: {CAPTION}." in html
    assert f'title="{CAPTION}">1<span class="visually-hidden"> ({CAPTION})</span></span>' in html


def test_an_agent_is_refused_the_approvals_page_and_nothing_changes(team):
    row = LeaveRequestFactory(employee=team.agent2)
    before = list(LeaveRequest.objects.values_list("pk", "state", "approved_at"))

    response = client(team.agent).get(reverse("staff:attendance_approvals"))

    assert response.status_code == 403
    assert list(LeaveRequest.objects.values_list("pk", "state", "approved_at")) == before
    assert row.reason not in response.content.decode()


def test_the_approvals_page_runs_a_fixed_number_of_queries(six_am, team, roster, django_assert_num_queries):
    today = six_am.date()
    c = client(team.supervisor)

    added = []

    def add(n):
        for _ in range(n):
            added.append(1)
            i = len(added)
            day = today + dt.timedelta(days=10 + i)
            roster(team.agent, day, "A")
            leave(team.agent, day, requested=six_am - M)
            Correction.objects.create(employee=team.agent2, date=today - dt.timedelta(days=i), kind="status",
                                      requested_code="P", reason="外出培训")

    add(1)
    c.get(reverse("staff:attendance_approvals"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        c.get(reverse("staff:attendance_approvals"))
    add(9)
    with django_assert_num_queries(len(one.captured_queries)):
        response = c.get(reverse("staff:attendance_approvals"))
    assert len(response.context["leave"]) == 10 and len(response.context["corrections"]) == 10
