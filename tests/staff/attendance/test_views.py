import uuid
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staff.models import (
    Correction, DayStatus, DutyDaySignoff, DutyLogEntry, LeaveRequest, Punch, RosterEntry, Shift,
)
from tests.factories import DutyLogEntryFactory, EmployeeFactory, LeaveRequestFactory, RosterEntryFactory, shift

from .conftest import local

pytestmark = pytest.mark.django_db


def login(employee):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(employee.user)
    return c


def snapshot():
    return tuple(m.objects.count() for m in (Punch, RosterEntry, DayStatus, LeaveRequest, Correction, Shift,
                                             DutyLogEntry, DutyDaySignoff))


# --- every view refuses a role that may not use it ---------------------------------------------------------

REFUSED = [
    # (url name, kwargs?, method, who is refused)
    ("attendance_my", False, "get", "nobody"),
    ("attendance_clock", False, "post", "nobody"),
    ("attendance_team", False, "get", "agent"),
    ("attendance_roster", False, "get", "agent"),
    ("attendance_roster", False, "post", "agent"),
    ("attendance_roster_cell", False, "post", "agent"),
    ("attendance_roster_copy_week", False, "post", "agent"),
    ("attendance_roster_upload", False, "post", "agent"),
    ("attendance_punch_upload", False, "post", "agent"),
    ("attendance_manual_punch", False, "post", "agent"),
    ("attendance_leave", False, "get", "nobody"),
    ("attendance_leave_new", False, "post", "nobody"),
    ("attendance_leave_detail", True, "get", "agent2"),
    ("attendance_leave_certificate", True, "get", "agent2"),
    ("attendance_leave_decide", True, "post", "agent2"),
    ("attendance_leave_cancel", True, "post", "supervisor"),
    ("attendance_correction_new", False, "post", "nobody"),
    ("attendance_correction_decide", True, "post", "agent2"),
    ("attendance_approvals", False, "get", "agent"),
    ("attendance_shifts", False, "get", "supervisor"),
    ("attendance_shift_new", False, "post", "supervisor"),
    ("attendance_shift_edit", True, "post", "supervisor"),
    ("attendance_duty", False, "get", "handler"),
    ("attendance_duty_new", False, "post", "handler"),
    ("attendance_duty_detail", True, "get", "handler"),
    ("attendance_duty_edit", True, "post", "agent2"),
    ("attendance_duty_sign", True, "post", "handler"),
    ("attendance_duty_day_sign", False, "post", "agent"),
    ("attendance_duty_addendum", True, "post", "handler"),
    # issue 15: phoned-in leave, the certificate that follows, who approves leave
    ("attendance_leave_phone_in", False, "get", "agent"),
    ("attendance_leave_phone_in", False, "post", "agent"),
    ("attendance_leave_certificate_add", True, "post", "agent2"),
    ("attendance_leave_certificate_decide", True, "post", "agent"),
    ("attendance_leave_settings", False, "get", "supervisor"),
    ("attendance_leave_settings", False, "post", "supervisor"),
    ("attendance_deputy_new", False, "post", "supervisor"),
]


@pytest.mark.parametrize(("name", "with_pk", "method", "who"), REFUSED, ids=[f"{r[0]}-{r[2]}-{r[3]}" for r in REFUSED])
def test_view_refuses_a_role_that_may_not_use_it(team, past_monday, name, with_pk, method, who):
    people = {"agent": team.agent, "agent2": team.agent2, "supervisor": team.supervisor,
              "nobody": EmployeeFactory(roles=[]), "handler": EmployeeFactory(roles=["handler"])}
    RosterEntryFactory(employee=team.agent, date=past_monday, shift=shift("A"))
    leave = LeaveRequestFactory(employee=team.agent, start_date=timezone.localdate() + dt.timedelta(days=3),
                                certificate="attendance/x.pdf")
    correction = Correction.objects.create(employee=team.agent, date=past_monday, kind="status",
                                           requested_code="P", reason="x")
    entry = DutyLogEntryFactory(outgoing=team.agent, date=past_monday)
    pk = {"attendance_leave_detail": leave.pk, "attendance_leave_certificate": leave.pk,
          "attendance_leave_decide": leave.pk, "attendance_leave_cancel": leave.pk,
          "attendance_leave_certificate_add": leave.pk, "attendance_leave_certificate_decide": leave.pk,
          "attendance_correction_decide": correction.pk, "attendance_shift_edit": shift("A").pk}.get(name, entry.pk)
    url = reverse(f"staff:{name}", kwargs=({"addendum_to": pk} if name == "attendance_duty_addendum" else {"pk": pk})
                  if with_pk else None)
    data = {"direction": "in", "action": "approve", "comment": "ok", "code": "X", "name": "x", "start": "08:00",
            "end": "17:00", f"cell-{team.agent.pk}-{past_monday}": shift("B").pk, "shift": shift("B").pk,
            "date": past_monday.isoformat(), "events": "x", "reason": "x", "confirm": "1",
            "file": io.BytesIO(f"employee_no,timestamp\n{team.agent.employee_no},{past_monday} 08:00\n".encode())}
    before = snapshot()
    leave_state, correction_state = leave.state, correction.state
    client = login(people[who])
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 403
    assert snapshot() == before
    leave.refresh_from_db()
    correction.refresh_from_db()
    entry.refresh_from_db()
    assert (leave.state, correction.state, entry.outgoing_signed_at, entry.events) == (
        leave_state, correction_state, None, "早班无异常")
    assert RosterEntry.objects.get(employee=team.agent, date=past_monday).shift.code == "A"


def test_supervisor_cannot_decide_leave_of_another_team_through_the_page(team):
    leave = LeaveRequestFactory(employee=team.outsider, start_date=timezone.localdate() + dt.timedelta(days=3))
    response = login(team.supervisor).post(reverse("staff:attendance_leave_decide", args=[leave.pk]),
                                           {"action": "approve"})
    assert response.status_code == 403
    leave.refresh_from_db()
    assert (leave.state, leave.events.count()) == ("pending_supervisor", 0)


def test_supervisor_cannot_set_a_roster_cell_of_another_team(team, past_monday):
    response = login(team.supervisor).post(reverse("staff:attendance_roster_cell"),
                                           {f"cell-{team.outsider.pk}-{past_monday}": shift("A").pk})
    assert response.status_code == 403
    assert RosterEntry.objects.count() == 0


# --- pages work ---------------------------------------------------------------------------------------------


def test_clock_in_button_records_the_request_address_and_shows_the_last_handover(team):
    entry = DutyLogEntryFactory(outgoing=team.agent2, outgoing_signed_at=timezone.now(), events="3号线电话故障")
    client = login(team.agent)
    response = client.post(reverse("staff:attendance_clock"), {"direction": "in"}, REMOTE_ADDR="192.168.3.4")
    assert response.status_code == 302
    page = client.get(response["Location"])
    punch = Punch.objects.get(employee=team.agent)
    assert (str(punch.address), punch.source) == ("192.168.3.4", "web")
    assert "3号线电话故障" in page.content.decode()
    assert reverse("staff:attendance_duty_detail", args=[entry.pk]) in page.content.decode()
    # a double click makes one punch
    client.post(reverse("staff:attendance_clock"), {"direction": "in"}, REMOTE_ADDR="192.168.3.4")
    assert Punch.objects.filter(employee=team.agent).count() == 1


def test_roster_cell_htmx_saves_and_answers_the_cell(team, past_monday):
    response = login(team.supervisor).post(reverse("staff:attendance_roster_cell"),
                                           {f"cell-{team.agent.pk}-{past_monday}": shift("B").pk},
                                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'name="cell-{team.agent.pk}-{past_monday}"' in response.content.decode()
    assert RosterEntry.objects.get(employee=team.agent, date=past_monday).shift.code == "B"
    assert DayStatus.objects.get(employee=team.agent, date=past_monday).code == "A"


def test_roster_form_without_javascript_saves_changed_cells(team, past_monday):
    client = login(team.supervisor)
    url = reverse("staff:attendance_roster") + f"?start={past_monday}"
    response = client.post(url, {f"cell-{team.agent.pk}-{past_monday}": shift("A").pk,
                                 f"cell-{team.agent2.pk}-{past_monday}": ""})
    assert response.status_code == 302
    assert list(RosterEntry.objects.values_list("employee_id", "shift__code")) == [(team.agent.pk, "A")]


@pytest.mark.parametrize(("swap", "expected", "message"), [
    ("", {"agent": ["A", "B", "REST"], "agent2": ["B"]}, "Last week copied (4 cells)."),
    ("1", {"agent": ["B", "A", "REST"], "agent2": ["A"]}, "Last week copied with A and B swapped (4 cells)."),
])
def test_a_supervisor_copies_last_week_on_the_roster_page(team, past_monday, swap, expected, message):
    last_week = past_monday - dt.timedelta(days=7)
    for who, codes in (("agent", ["A", "B", "REST"]), ("agent2", ["B"]), ("outsider", ["A"])):
        for i, code in enumerate(codes):
            RosterEntryFactory(employee=getattr(team, who), date=last_week + dt.timedelta(days=i), shift=shift(code))
    client = login(team.supervisor)
    data = {"start": past_monday.isoformat(), **({"swap": swap} if swap else {})}
    response = client.post(reverse("staff:attendance_roster_copy_week"), data, follow=True)
    assert response.redirect_chain == [(reverse("staff:attendance_roster") + f"?start={past_monday}", 302)]
    assert [str(m) for m in response.context["messages"]] == [message]
    for who, codes in expected.items():
        copied = RosterEntry.objects.filter(employee=getattr(team, who), date__gte=past_monday).order_by("date")
        assert [(e.date, e.shift.code, e.set_by) for e in copied] == [
            (past_monday + dt.timedelta(days=i), code, team.supervisor) for i, code in enumerate(codes)]
    # another team's roster is not the supervisor's to copy
    assert not RosterEntry.objects.filter(employee=team.outsider, date__gte=past_monday).exists()


def test_roster_upload_page_lists_bad_rows(team):
    f = io.BytesIO(f"employee_no,date,shift_code\n{team.agent.employee_no},2026-02-30,A\n".encode())
    f.name = "r.csv"
    response = login(team.supervisor).post(reverse("staff:attendance_roster_upload"), {"file": f})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="import-errors"' in body and "“2026-02-30”" in body
    assert RosterEntry.objects.count() == 0


def test_leave_form_error_is_shown_on_the_form(team):
    start = timezone.localdate() - dt.timedelta(days=2)
    response = login(team.agent).post(reverse("staff:attendance_leave_new"), {"form_token": str(uuid.uuid4()),
        "kind": "sick", "start_date": start, "end_date": start, "part": "full", "reason": "发烧"})
    assert response.status_code == 200
    assert "Leave cannot start in the past; ask for a correction instead." in response.content.decode()
    assert LeaveRequest.objects.count() == 0


def test_manager_edits_a_shift(team):
    response = login(team.manager).post(reverse("staff:attendance_shift_edit", args=[shift("A").pk]), {
        "code": "A", "name": "A班", "start": "08:30", "end": "17:30", "grace_minutes": 5,
        "late_threshold_minutes": 30, "early_threshold_minutes": 30, "window_before_minutes": 120,
        "window_after_minutes": 240, "active": "on"})
    assert response.status_code == 302
    a = shift("A")
    last = a.history.first()
    assert (a.start, a.grace_minutes, last.start, last.history_user) == (dt.time(8, 30), 5, dt.time(8, 30),
                                                                          team.manager.user)


def test_manager_adds_a_night_shift_that_crosses_midnight(team):
    before = Shift.objects.count()
    c = login(team.manager)
    assert c.get(reverse("staff:attendance_shift_new")).status_code == 200
    response = c.post(reverse("staff:attendance_shift_new"), {
        "form_token": str(uuid.uuid4()), "code": "N2", "name": "大夜班", "start": "22:00", "end": "06:30", "crosses_midnight": "on",
        "grace_minutes": 0, "late_threshold_minutes": 30, "early_threshold_minutes": 30,
        "window_before_minutes": 120, "window_after_minutes": 240, "active": "on"})
    assert response.status_code == 302
    assert Shift.objects.count() == before + 1
    n2 = Shift.objects.get(code="N2")
    assert (n2.name, n2.is_rest, n2.start, n2.end, n2.crosses_midnight, n2.active) == (
        "大夜班", False, dt.time(22, 0), dt.time(6, 30), True, True)
    assert (n2.history.count(), n2.history.first().history_user) == (1, team.manager.user)
    assert "N2" in c.get(reverse("staff:attendance_shifts")).content.decode()


def test_a_shift_ending_before_it_starts_must_be_marked_crossing_midnight(team):
    before = snapshot()
    response = login(team.manager).post(reverse("staff:attendance_shift_new"), {
        "form_token": str(uuid.uuid4()), "code": "N3", "name": "夜班3", "start": "22:00", "end": "06:00", "grace_minutes": 0,
        "late_threshold_minutes": 30, "early_threshold_minutes": 30, "window_before_minutes": 120,
        "window_after_minutes": 240, "active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["crosses_midnight"] == [
        "The end is before the start: tick “ends the next day”."]
    assert snapshot() == before


def test_duty_log_signing_flow_through_the_pages(team):
    out = login(team.agent)
    response = out.post(reverse("staff:attendance_duty_new"), {"form_token": str(uuid.uuid4()),
        "date": timezone.localdate(), "shift": shift("A").pk, "events": "客户王先生来电投诉", "duty_manager": "李秀梅"})
    entry = DutyLogEntry.objects.get()
    assert response["Location"] == reverse("staff:attendance_duty_detail", args=[entry.pk])
    out.post(reverse("staff:attendance_duty_sign", args=[entry.pk]), {"confirm": "1"})
    login(team.agent2).post(reverse("staff:attendance_duty_sign", args=[entry.pk]), {"problems_found": "钥匙少一把", "confirm": "1"})
    entry.refresh_from_db()
    assert (entry.incoming, entry.problems_found) == (team.agent2, "钥匙少一把")
    # frozen: the edit page refuses, and the supervisor signs the day
    assert out.post(reverse("staff:attendance_duty_edit", args=[entry.pk]), {"events": "改"}).status_code == 403
    login(team.supervisor).post(reverse("staff:attendance_duty_day_sign"), {"date": entry.date.isoformat()})
    assert DutyDaySignoff.objects.get().supervisor == team.supervisor


# --- fixed query counts ------------------------------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["attendance_team", "attendance_roster", "attendance_approvals",
                                  "attendance_duty", "attendance_my", "attendance_leave"])
def test_page_runs_the_same_queries_for_1_and_20_rows(team, past_monday, name):
    client = login(team.supervisor)
    url = reverse(f"staff:{name}")
    today = timezone.localdate()

    def add(n):
        for _ in range(n):
            e = EmployeeFactory(roles=["agent"], supervisor=team.supervisor)
            RosterEntryFactory(employee=e, date=today, shift=shift("A"))
            DayStatus.objects.create(employee=e, date=today, code="P", shift=shift("A"))
            LeaveRequestFactory(employee=e, start_date=today + dt.timedelta(days=3))
            Correction.objects.create(employee=e, date=today, kind="status", requested_code="P", reason="x")
            DutyLogEntryFactory(outgoing=e, date=today - dt.timedelta(days=DutyLogEntry.objects.count() + 1))
            Punch.objects.create(employee=team.supervisor, at=local(today, "07:00") - dt.timedelta(
                days=Punch.objects.count()), source="import")
            LeaveRequestFactory(employee=team.supervisor, start_date=today + dt.timedelta(
                days=10 + LeaveRequest.objects.filter(employee=team.supervisor).count()))

    add(1)
    one = _count_queries(client, url)
    add(19)
    twenty = _count_queries(client, url)
    assert one == twenty


def test_correction_page_asks_and_refuses_a_punch_time_on_another_day(team, past_monday):
    client = login(team.agent)
    url = reverse("staff:attendance_correction_new")
    bad = client.post(url, {"form_token": str(uuid.uuid4()), "date": past_monday, "kind": "punch", "punch_at": f"{past_monday - dt.timedelta(days=3)}T17:00",
                            "direction": "out", "reason": "忘记打卡"})
    assert bad.status_code == 200
    assert "The punch time must be on that day" in bad.content.decode()
    assert Correction.objects.count() == 0
    ok = client.post(url, {"form_token": str(uuid.uuid4()), "date": past_monday, "kind": "punch", "punch_at": f"{past_monday}T17:00",
                           "direction": "out", "reason": "忘记打卡"})
    assert ok.status_code == 302
    c = Correction.objects.get()
    assert (c.employee, c.kind, c.punch_at, c.direction, c.state) == (team.agent, "punch", local(past_monday, "17:00"),
                                                                     "out", "pending")
