"""Every page renders for the role it is for, with data, in both languages."""

import uuid
import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.attendance.services.leave import leave_approve, leave_request
from staff.attendance.services.punches import punch_clock
from staff.models import Correction, DayStatus, Employee, RosterEntry
from tests.factories import DutyLogEntryFactory, EmployeeFactory, LeaveRequestFactory, RosterEntryFactory, shift

from .conftest import local

pytestmark = pytest.mark.django_db

from tests.upload_files import one_page_pdf  # noqa: E402

PDF = one_page_pdf()  # a PDF must open in a PDF parser with a page (issue 16)


def login(employee, lang="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(employee.user)
    return c


@pytest.fixture
def data(team, past_monday):
    RosterEntryFactory(employee=team.agent, date=past_monday, shift=shift("A"))
    punch_clock(by=team.agent, direction="in", address="10.0.0.1", now=local(past_monday, "08:12"))
    leave = LeaveRequestFactory(employee=team.agent, kind="sick", start_date=timezone.localdate() + dt.timedelta(days=2))
    leave.certificate.save("cert.pdf", ContentFile(PDF))
    Correction.objects.create(employee=team.agent, date=past_monday, kind="punch", reason="忘记打卡",
                              punch_at=local(past_monday, "17:00"), direction="out")
    entry = DutyLogEntryFactory(outgoing=team.supervisor, date=past_monday)
    return type("Data", (), {"leave": leave, "entry": entry})


PAGES = [
    ("attendance_my", None, "agent"),
    ("attendance_team", None, "supervisor"),
    ("attendance_roster", None, "supervisor"),
    ("attendance_approvals", None, "supervisor"),
    ("attendance_manual_punch", None, "supervisor"),
    ("attendance_punch_upload", None, "supervisor"),
    ("attendance_roster_upload", None, "supervisor"),
    ("attendance_leave", None, "agent"),
    ("attendance_leave_new", None, "agent"),
    ("attendance_leave_detail", "leave", "agent"),
    ("attendance_leave_detail", "leave", "supervisor"),
    ("attendance_correction_new", None, "agent"),
    ("attendance_shifts", None, "manager"),
    ("attendance_shift_new", None, "manager"),
    ("attendance_shift_edit", "shift", "manager"),
    ("attendance_duty", None, "agent"),
    ("attendance_duty_new", None, "agent"),
    ("attendance_duty_detail", "entry", "agent"),
    ("attendance_duty_edit", "entry", "supervisor"),
    ("attendance_duty_addendum", "entry", "agent"),
]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(("name", "obj", "who"), PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_page_renders_for_its_role(team, data, name, obj, who, lang):
    pk = {"leave": lambda: data.leave.pk, "entry": lambda: data.entry.pk, "shift": lambda: shift("N").pk}
    kwargs = None
    if obj:
        kwargs = {"addendum_to": pk[obj]()} if name == "attendance_duty_addendum" else {"pk": pk[obj]()}
    response = login(getattr(team, who), lang).get(reverse(f"staff:{name}", kwargs=kwargs))
    assert response.status_code == 200
    assert b"<script>" not in response.content and b" onclick=" not in response.content


def test_roster_month_view_and_my_month_navigation(team, data, past_monday):
    r = login(team.supervisor).get(reverse("staff:attendance_roster") + f"?view=month&start={past_monday}")
    assert r.status_code == 200
    assert f'id="cell-{team.agent.pk}-{past_monday.replace(day=1)}"' in r.content.decode()
    r = login(team.agent).get(reverse("staff:attendance_my") + f"?month={past_monday:%Y-%m}")
    assert 'data-date="%s"' % past_monday in r.content.decode()
    assert "08:12:00" in r.content.decode()
    assert login(team.agent).get(reverse("staff:attendance_my") + "?month=2026-13").status_code == 200


def test_certificate_is_served_to_the_employee_and_the_supervisor(team, data):
    for who in (team.agent, team.supervisor):
        response = login(who).get(reverse("staff:attendance_leave_certificate", args=[data.leave.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_home_page_shows_the_clock_buttons(team):
    body = login(team.agent).get(reverse("home")).content.decode()
    assert reverse("staff:attendance_clock") in body


def test_manual_punch_page_records_a_punch_with_its_reason(team, past_monday):
    RosterEntryFactory(employee=team.agent, date=past_monday, shift=shift("A"))
    response = login(team.supervisor).post(reverse("staff:attendance_manual_punch"), {"form_token": str(uuid.uuid4()),
        "employee": team.agent.pk, "at": f"{past_monday}T07:58", "direction": "in", "reason": "考勤机坏了"})
    assert response.status_code == 302
    assert DayStatus.objects.get(employee=team.agent, date=past_monday).code == "M"
    response = login(team.supervisor).post(reverse("staff:attendance_manual_punch"), {"form_token": str(uuid.uuid4()),
        "employee": team.outsider.pk, "at": f"{past_monday}T07:58", "direction": "in", "reason": "x"})
    assert response.status_code == 200  # another team's employee is not a choice
    assert "Select a valid choice" in response.content.decode()


def test_team_grid_for_200_employees_runs_the_same_queries_as_for_1(team):
    today = timezone.localdate()
    a = shift("A")
    RosterEntry.objects.create(employee=team.agent, date=today, shift=a)
    client = login(team.supervisor)
    url = reverse("staff:attendance_team")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    more = [EmployeeFactory(supervisor=team.supervisor) for _ in range(199)]
    RosterEntry.objects.bulk_create([RosterEntry(employee=e, date=today.replace(day=d), shift=a)
                                     for e in more for d in range(1, 29)])
    DayStatus.objects.bulk_create([DayStatus(employee=e, date=today.replace(day=d), shift=a, code="L")
                                   for e in more for d in range(1, 29)])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    grid, totals = response.content.decode().split('id="team-grid"', 1)[1].split('id="team-totals"', 1)
    assert grid.count('class="att-name"') == 201  # header + 200 rows
    assert totals.count('class="att-name"') == 201  # the month's totals: the same rows
    assert len(many) == len(one)
    assert Employee.objects.filter(supervisor=team.supervisor).count() == 201


def test_long_leave_reaching_the_manager_notifies_the_department_head(team, django_capture_on_commit_callbacks):
    from csmgmt.core.models import Notification

    dept = team.agent.department
    dept.head = team.manager
    dept.save()
    start = timezone.localdate() + dt.timedelta(days=3)
    leave = leave_request(by=team.agent, kind="annual", start_date=start,
                          end_date=start + dt.timedelta(days=4), reason="旅行")
    with django_capture_on_commit_callbacks(execute=True):
        leave_approve(leave=leave, by=team.supervisor)
    assert Notification.objects.filter(recipient=team.manager, key=f"leave-request-{leave.pk}-manager").count() == 1


def test_admin_lists_attendance_read_only(team, data, make_employee):
    admin_user = make_employee("admin")
    client = login(admin_user)
    for model in ("shift", "rosterentry", "punch", "daystatus", "leaverequest", "correction", "dutylogentry"):
        assert client.get(f"/admin/staff/{model}/").status_code == 200
    from staff.models import Punch

    punch = Punch.objects.get()
    assert client.post(f"/admin/staff/punch/{punch.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Punch.objects.filter(pk=punch.pk).exists()
