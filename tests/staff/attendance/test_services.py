import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csmgmt.core.models import Notification
from csmgmt.core.tabular import ImportRejected
from staff.attendance.services.corrections import correction_decide, correction_request
from staff.attendance.services.days import attendance_settle_day, day_status_recompute
from staff.attendance.services.leave import leave_approve, leave_cancel, leave_refuse, leave_request
from staff.attendance.services.punches import punch_clock, punch_manual, punches_import
from staff.attendance.services.roster import roster_copy_week, roster_import, roster_set
from staff.attendance.workflow import AttendanceError
from staff.models import Correction, DayStatus, LeaveEvent, LeaveRequest, Punch, RosterEntry
from tests.factories import LeaveRequestFactory, PunchFactory, shift

from .conftest import local

pytestmark = pytest.mark.django_db

from tests.upload_files import one_page_pdf  # noqa: E402

PDF = one_page_pdf()  # a PDF must open in a PDF parser with a page (issue 16)


def csv_file(text, name="f.csv"):
    f = io.BytesIO(text.encode("utf-8"))
    f.name = name
    return f


def status(employee, day):
    return DayStatus.objects.get(employee=employee, date=day)


# --- clock -----------------------------------------------------------------------------------------


def test_clock_in_records_server_time_and_address_and_judges_the_day(team, roster, past_monday):
    roster(team.agent, past_monday)
    punch, created = punch_clock(by=team.agent, direction="in", address="10.0.0.7",
                                 now=local(past_monday, "07:59:30"))
    punch_clock(by=team.agent, direction="out", address="10.0.0.7", now=local(past_monday, "17:00:10"))
    assert created is True
    assert (punch.address, punch.source, punch.direction) == ("10.0.0.7", "web", "in")
    s = status(team.agent, past_monday)
    assert (s.code, s.late_minutes, s.clock_in, s.clock_out) == ("P", 0, local(past_monday, "07:59:30"),
                                                                  local(past_monday, "17:00:10"))


def test_double_click_within_a_minute_makes_one_punch(team, past_monday):
    first, created1 = punch_clock(by=team.agent, direction="in", address="10.0.0.7",
                                  now=local(past_monday, "07:59:10"))
    second, created2 = punch_clock(by=team.agent, direction="in", address="10.0.0.7",
                                   now=local(past_monday, "07:59:50"))
    assert (created1, created2, first.pk == second.pk) == (True, False, True)
    assert Punch.objects.filter(employee=team.agent).count() == 1


def test_clock_with_a_bad_direction_is_refused(team):
    with pytest.raises(AttendanceError):
        punch_clock(by=team.agent, direction="sideways", address=None)
    assert Punch.objects.count() == 0


# --- manual punch ----------------------------------------------------------------------------------


def test_manual_punch_needs_a_reason_and_fixes_the_day(team, roster, past_monday):
    roster(team.agent, past_monday)
    PunchFactory(employee=team.agent, at=local(past_monday, "07:55"))
    day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert status(team.agent, past_monday).code == "M"
    with pytest.raises(AttendanceError):
        punch_manual(employee=team.agent, by=team.supervisor, at=local(past_monday, "17:05"), direction="out",
                     reason=" ")
    punch = punch_manual(employee=team.agent, by=team.supervisor, at=local(past_monday, "17:05"),
                         direction="out", reason="打卡机故障")
    assert (punch.source, punch.recorded_by, punch.reason) == ("manual", team.supervisor, "打卡机故障")
    assert status(team.agent, past_monday).code == "P"


def test_manual_punch_for_another_team_is_refused(team, past_monday):
    with pytest.raises(AttendanceError):
        punch_manual(employee=team.outsider, by=team.supervisor, at=local(past_monday, "08:00"),
                     direction="in", reason="补录")
    assert Punch.objects.count() == 0


# --- imports -----------------------------------------------------------------------------------------


def test_punch_import_reports_bad_rows_and_writes_nothing(team, past_monday):
    d = past_monday.isoformat()
    text = (f"employee_no,timestamp,direction\n{team.agent.employee_no},{d} 07:58:00,in\n"
            f"NOPE,{d} 08:00,\n{team.agent.employee_no},{d} 25:00,\n"
            f"{team.agent.employee_no},{d} 17:00,sideways\n{team.agent.employee_no},2999-01-01 08:00,\n")
    with pytest.raises(ImportRejected) as exc:
        punches_import(file=csv_file(text))
    assert [(e.row, e.message) for e in exc.value.errors] == [
        (3, "unknown employee number NOPE"),
        (4, f"timestamp “{d} 25:00” is not YYYY-MM-DD HH:MM[:SS]"),
        (5, "direction must be in, out or empty, not “sideways”"),
        (6, "timestamp 2999-01-01 08:00 is in the future"),
    ]
    assert Punch.objects.count() == 0


def test_identical_punches_imported_twice_are_stored_once(team, roster, past_monday):
    roster(team.agent, past_monday)
    d = past_monday.isoformat()
    text = (f"employee_no,timestamp\n{team.agent.employee_no},{d} 08:05:00\n"
            f"{team.agent.employee_no},{d} 08:05:00\n{team.agent.employee_no},{d} 17:00:00\n")
    first = punches_import(file=csv_file(text))
    second = punches_import(file=csv_file(text))
    assert (first.created, first.duplicates) == (2, 1)
    assert (second.created, second.duplicates) == (0, 3)
    assert Punch.objects.filter(employee=team.agent).count() == 2
    s = status(team.agent, past_monday)
    assert (s.code, s.late_minutes) == ("L", 5)


def test_punch_import_from_xlsx(team, roster, past_monday):
    from openpyxl import Workbook

    roster(team.agent, past_monday)
    wb = Workbook()
    ws = wb.active
    ws.append(["employee_no", "timestamp"])
    ws.append([team.agent.employee_no, dt.datetime.combine(past_monday, dt.time(7, 59))])
    ws.append([team.agent.employee_no, dt.datetime.combine(past_monday, dt.time(17, 1))])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "clock.xlsx"
    assert punches_import(file=buf).created == 2
    assert status(team.agent, past_monday).code == "P"


def test_supervisor_import_refuses_rows_of_another_team(team, past_monday):
    text = f"employee_no,timestamp\n{team.outsider.employee_no},{past_monday} 08:00\n"
    with pytest.raises(ImportRejected) as exc:
        punches_import(file=csv_file(text), by=team.supervisor)
    assert [e.row for e in exc.value.errors] == [2]
    assert Punch.objects.count() == 0


def test_roster_import_is_all_or_nothing_with_a_message_per_bad_row(team, past_monday):
    no = team.agent.employee_no
    text = (f"employee_no,date,shift_code\n{no},{past_monday},A\n{no},2026-13-01,A\n{no},{past_monday},X\n"
            f"{no},{past_monday},B\n")
    with pytest.raises(ImportRejected) as exc:
        roster_import(file=csv_file(text))
    assert [(e.row, e.message) for e in exc.value.errors] == [
        (3, "date “2026-13-01” is not YYYY-MM-DD"),
        (4, "unknown shift code “X”"),
        (4, f"{no} on {past_monday} is already on row 2"),
        (5, f"{no} on {past_monday} is already on row 4"),
    ]
    assert RosterEntry.objects.count() == 0


def test_roster_import_sets_cells_and_judges_past_days(team, past_monday):
    no = team.agent.employee_no
    text = f"employee_no,date,shift_code\n{no},{past_monday},a\n{no},{past_monday + dt.timedelta(days=1)},REST\n"
    assert roster_import(file=csv_file(text)) == 2
    assert status(team.agent, past_monday).code == "A"
    assert status(team.agent, past_monday + dt.timedelta(days=1)).code == "R"


# --- roster grid ----------------------------------------------------------------------------------------


def test_roster_cell_change_recomputes_and_keeps_history(team, roster, past_monday):
    PunchFactory(employee=team.agent, at=local(past_monday, "09:58"))
    PunchFactory(employee=team.agent, at=local(past_monday, "19:00"))
    roster_set(employee=team.agent, date=past_monday, shift=shift("A"), by=team.supervisor)
    assert (status(team.agent, past_monday).code, status(team.agent, past_monday).late_over) == ("L", True)
    entry = roster_set(employee=team.agent, date=past_monday, shift=shift("B"), by=team.supervisor)
    assert status(team.agent, past_monday).code == "P"
    assert [h.shift.code for h in entry.history.order_by("history_date")] == ["A", "B"]
    roster_set(employee=team.agent, date=past_monday, shift=None, by=team.supervisor)
    assert status(team.agent, past_monday).code == ""


def test_supervisor_cannot_roster_another_team(team, past_monday):
    with pytest.raises(AttendanceError):
        roster_set(employee=team.outsider, date=past_monday, shift=shift("A"), by=team.supervisor)
    assert RosterEntry.objects.count() == 0


@pytest.mark.parametrize(("swap", "expected"), [(False, ["A", "B", "REST"]), (True, ["B", "A", "REST"])])
def test_copy_last_week_optionally_swapping_a_and_b(team, roster, past_monday, swap, expected):
    last_week = past_monday - dt.timedelta(days=7)
    roster(team.agent, last_week, "A")
    roster(team.agent, last_week + dt.timedelta(days=1), "B")
    roster(team.agent, last_week + dt.timedelta(days=2), "REST")
    n = roster_copy_week(employees=[team.agent], week_start=past_monday, by=team.supervisor, swap_ab=swap)
    cells = RosterEntry.objects.filter(employee=team.agent, date__gte=past_monday).order_by("date")
    assert n == 3
    assert [c.shift.code for c in cells] == expected
    assert [c.date for c in cells] == [past_monday + dt.timedelta(days=i) for i in range(3)]


# --- leave --------------------------------------------------------------------------------------------------


def ask(employee, days=1, start=None, kind="annual", **kw):
    start = start or timezone.localdate() + dt.timedelta(days=3)
    return leave_request(by=employee, kind=kind, start_date=start,
                         end_date=start + dt.timedelta(days=days - 1), reason="回老家", **kw)


def test_short_leave_is_approved_by_the_supervisor_alone(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        leave = ask(team.agent, days=3)
    assert Notification.objects.filter(recipient=team.supervisor, key=f"leave-request-{leave.pk}").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        leave = leave_approve(leave=leave, by=team.supervisor)
    assert leave.state == "approved"
    assert list(leave.events.values_list("action", "from_state", "to_state")) == [
        ("request", "", "pending_supervisor"), ("approve", "pending_supervisor", "approved")]
    assert Notification.objects.filter(recipient=team.agent, key=f"leave-{leave.pk}-approved").count() == 1


def test_long_leave_goes_supervisor_then_manager(team):
    leave = ask(team.agent, days=4)
    with pytest.raises(AttendanceError):  # a supervisor cannot skip to the end
        leave_approve(leave=leave_approve(leave=leave, by=team.supervisor), by=team.supervisor)
    leave.refresh_from_db()
    assert leave.state == "pending_manager"
    leave = leave_approve(leave=leave, by=team.manager)
    assert leave.state == "approved"
    assert [e.to_state for e in leave.events.all()] == ["pending_supervisor", "pending_manager", "approved"]


def test_an_employee_cannot_approve_their_own_leave(team):
    leave = ask(team.supervisor)
    with pytest.raises(AttendanceError):
        leave_approve(leave=leave, by=team.supervisor)
    leave.refresh_from_db()
    assert leave.state == "pending_supervisor"


def test_a_supervisor_approves_only_their_team(team):
    leave = ask(team.outsider)
    with pytest.raises(AttendanceError):
        leave_approve(leave=leave, by=team.supervisor)
    with pytest.raises(AttendanceError):
        leave_refuse(leave=leave, by=team.supervisor, comment="不行")
    leave.refresh_from_db()
    assert (leave.state, LeaveEvent.objects.filter(leave=leave).count()) == ("pending_supervisor", 1)


def test_an_agent_cannot_approve_a_colleagues_leave(team):
    leave = ask(team.agent)
    with pytest.raises(AttendanceError):
        leave_approve(leave=leave, by=team.agent2)
    leave.refresh_from_db()
    assert leave.state == "pending_supervisor"


def test_refusal_needs_a_reason(team):
    leave = ask(team.agent)
    with pytest.raises(AttendanceError):
        leave_refuse(leave=leave, by=team.supervisor, comment="")
    assert leave_refuse(leave=leave, by=team.supervisor, comment="人手不够").state == "refused"


def test_overlapping_leave_is_refused_but_the_other_half_day_is_not(team):
    start = timezone.localdate() + dt.timedelta(days=5)
    ask(team.agent, days=3, start=start)
    with pytest.raises(AttendanceError):
        ask(team.agent, days=1, start=start + dt.timedelta(days=2))
    half_day = start + dt.timedelta(days=10)
    ask(team.agent, start=half_day, part="first_half")
    ask(team.agent, start=half_day, part="second_half")
    with pytest.raises(AttendanceError):
        ask(team.agent, start=half_day, part="first_half")
    assert LeaveRequest.objects.filter(employee=team.agent).count() == 3


def test_refused_or_cancelled_leave_does_not_block_a_new_request(team):
    leave = ask(team.agent)
    leave_cancel(leave=leave, by=team.agent)
    assert ask(team.agent).state == "pending_supervisor"


def test_personal_leave_needs_a_day_of_notice_or_an_emergency_an_hour_before_the_shift(team, roster):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    roster(team.agent, today, "A")
    with pytest.raises(AttendanceError):
        ask(team.agent, start=today, kind="personal")
    early = local(today, "06:30")
    late = local(today, "07:30")
    assert leave_request(by=team.agent, kind="personal", start_date=today, end_date=today, reason="急事",
                         emergency=True, now=early).state == "pending_supervisor"
    roster(team.agent2, today, "A")
    with pytest.raises(AttendanceError):
        leave_request(by=team.agent2, kind="personal", start_date=today, end_date=today, reason="急事",
                      emergency=True, now=late)
    assert ask(team.agent2, start=tomorrow, kind="personal").state == "pending_supervisor"


def test_sick_leave_certificate_must_be_a_real_one_and_may_follow(team):
    start = timezone.localdate() + dt.timedelta(days=1)
    fake = SimpleUploadedFile("note.pdf", b"just text, not a pdf", content_type="application/pdf")
    with pytest.raises(AttendanceError, match="photo"):
        ask(team.agent, start=start, kind="sick", certificate=fake)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(AttendanceError, match="10 MB"):
        ask(team.agent, start=start, kind="sick", certificate=big)
    assert LeaveRequest.objects.count() == 0
    ok = ask(team.agent, start=start, kind="sick",
             certificate=SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"))
    assert ok.certificate.name.endswith(".pdf")
    # half a day of sick leave needs none; a whole day's may follow (REGULATIONS §4): "certificate due"
    assert ask(team.agent2, start=start, kind="sick", part="first_half").certificate.name in ("", None)
    later = ask(team.agent2, start=start + dt.timedelta(days=1), kind="sick")
    assert later.needs_certificate() and not ok.needs_certificate()


def test_cancel_only_before_the_leave_starts(team, roster):
    start = timezone.localdate() + dt.timedelta(days=2)
    leave = ask(team.agent, start=start)
    leave_approve(leave=leave, by=team.supervisor)
    with pytest.raises(AttendanceError):
        leave_cancel(leave=leave, by=team.agent, now=local(start, "08:00"))
    with pytest.raises(AttendanceError):
        leave_cancel(leave=leave, by=team.supervisor)
    leave.refresh_from_db()
    assert leave.state == "approved"
    assert leave_cancel(leave=leave, by=team.agent).state == "cancelled"


def test_approving_a_leave_turns_its_day_to_on_leave_through_the_approval_alone(team, roster, past_monday):
    days = [past_monday + dt.timedelta(days=i) for i in range(2)]
    for day in days:
        roster(team.agent, day, "A")
    leave = LeaveRequestFactory(employee=team.agent, kind="comp", start_date=days[0], end_date=days[1],
                                state="pending_supervisor")
    # approved on the first morning, before the 08:00 shift: that day is judged at once
    leave_approve(leave=leave, by=team.supervisor, now=local(days[0], "07:00"))
    leave.refresh_from_db()
    assert (leave.state, leave.approved_at) == ("approved", local(days[0], "07:00"))
    first = status(team.agent, days[0])
    assert (first.code, first.leave_kind, float(first.leave_fraction), first.pending) == ("V", "comp", 1.0, False)
    assert not DayStatus.objects.filter(employee=team.agent, date=days[1]).exists()  # not begun yet
    attendance_settle_day(date=days[1])  # the nightly job, when the day has come and gone
    assert (status(team.agent, days[1]).code, status(team.agent, days[1]).leave_kind) == ("V", "comp")


def test_long_leave_turns_to_on_leave_only_at_the_managers_approval(team, roster, past_monday):
    days = [past_monday + dt.timedelta(days=i) for i in range(4)]
    for day in days:
        roster(team.agent, day, "A")
    leave = LeaveRequestFactory(employee=team.agent, start_date=days[0], end_date=days[-1],
                                state="pending_supervisor")
    leave_approve(leave=leave, by=team.supervisor, now=local(days[0], "06:00"))
    assert not DayStatus.objects.filter(employee=team.agent).exists()  # waiting for the manager: nothing judged
    leave_approve(leave=leave, by=team.manager, now=local(days[0], "07:30"))
    assert (status(team.agent, days[0]).code, float(status(team.agent, days[0]).leave_fraction)) == ("V", 1.0)


def test_a_leave_approved_after_its_shift_started_leaves_the_day_absent(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    leave = LeaveRequestFactory(employee=team.agent, start_date=past_monday, state="pending_supervisor")
    leave_approve(leave=leave, by=team.supervisor, now=local(past_monday, "08:01"))
    s = status(team.agent, past_monday)
    assert (s.code, s.pending, float(s.leave_fraction)) == ("", True, 0)  # the day runs on, without leave
    attendance_settle_day(date=past_monday)
    assert status(team.agent, past_monday).code == "A"


def test_leave_approved_after_the_shift_started_leaves_the_day_absent(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    LeaveRequestFactory(employee=team.agent, start_date=past_monday, state="approved",
                        approved_at=local(past_monday, "09:00"))
    assert day_status_recompute(employee_id=team.agent.pk, date=past_monday).code == "A"


def test_half_day_leave_judges_the_other_half(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    LeaveRequestFactory(employee=team.agent, start_date=past_monday, part="first_half", state="approved",
                        approved_at=local(past_monday - dt.timedelta(days=2), "09:00"))
    PunchFactory(employee=team.agent, at=local(past_monday, "12:35"))
    PunchFactory(employee=team.agent, at=local(past_monday, "17:00"))
    s = day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert (s.code, s.late_minutes, float(s.leave_fraction)) == ("L", 5, 0.5)


def _half(employee, day, part, kind="annual", approved_at=None):
    return LeaveRequestFactory(employee=employee, start_date=day, part=part, kind=kind, state="approved",
                               approved_at=approved_at or local(day - dt.timedelta(days=2), "09:00"))


@pytest.mark.parametrize(("first_kind", "second_kind", "stored_kind"), [
    ("annual", "annual", "annual"),
    ("personal", "comp", "comp"),  # a 调休 half makes it a compensatory day for scoring
    ("comp", "personal", "comp"),
    ("official", "personal", "official"),
])
def test_two_approved_half_days_make_a_whole_day_on_leave(team, roster, past_monday, first_kind, second_kind,
                                                          stored_kind):
    roster(team.agent, past_monday, "A")
    _half(team.agent, past_monday, "second_half", second_kind)  # asked first: the order of requests is no matter
    _half(team.agent, past_monday, "first_half", first_kind)
    s = day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert (s.code, s.computed_code, s.leave_kind, float(s.leave_fraction), s.late_minutes, s.early_minutes) == (
        "V", "V", stored_kind, 1.0, 0, 0)


def test_two_half_days_on_leave_ignore_stray_punches(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    _half(team.agent, past_monday, "first_half")
    _half(team.agent, past_monday, "second_half")
    PunchFactory(employee=team.agent, at=local(past_monday, "12:40"))
    s = day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert (s.code, float(s.leave_fraction)) == ("V", 1.0)


def test_a_half_approved_after_the_shift_started_leaves_only_the_other_half_on_leave(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    _half(team.agent, past_monday, "first_half")
    _half(team.agent, past_monday, "second_half", approved_at=local(past_monday, "09:00"))
    PunchFactory(employee=team.agent, at=local(past_monday, "12:30"))
    PunchFactory(employee=team.agent, at=local(past_monday, "17:00"))
    s = day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert (s.code, float(s.leave_fraction)) == ("P", 0.5)  # the second half is worked as punched


def test_a_cancelled_half_does_not_join_the_other(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    _half(team.agent, past_monday, "first_half")
    LeaveRequestFactory(employee=team.agent, start_date=past_monday, part="second_half", state="cancelled")
    s = day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    assert (s.code, float(s.leave_fraction)) == ("A", 0.5)


# --- corrections -------------------------------------------------------------------------------------------


def test_approved_missed_punch_correction_adds_the_punch_and_keeps_the_original(team, roster, past_monday):
    roster(team.agent, past_monday)
    PunchFactory(employee=team.agent, at=local(past_monday, "07:50"))
    day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    c = correction_request(by=team.agent, date=past_monday, kind="punch", reason="忘记打卡",
                           punch_at=local(past_monday, "17:02"), direction="out")
    correction_decide(correction=c, by=team.supervisor, approve=True)
    s = status(team.agent, past_monday)
    assert s.code == "P"
    assert [h.code for h in s.history.order_by("history_date")] == ["M", "P"]
    assert Punch.objects.get(employee=team.agent, source="correction").at == local(past_monday, "17:02")
    c.refresh_from_db()
    assert (c.state, c.decided_by) == ("approved", team.supervisor)


def test_status_correction_overrides_the_code_and_keeps_the_computed_one(team, roster, past_monday):
    roster(team.agent, past_monday)
    day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    c = correction_request(by=team.agent, date=past_monday, kind="status", reason="外出培训",
                           requested_code="P")
    correction_decide(correction=c, by=team.supervisor, approve=True)
    s = status(team.agent, past_monday)
    assert (s.code, s.computed_code, s.source) == ("P", "A", "correction")


def test_refused_correction_changes_nothing_and_needs_a_reason(team, roster, past_monday):
    roster(team.agent, past_monday)
    day_status_recompute(employee_id=team.agent.pk, date=past_monday)
    c = correction_request(by=team.agent, date=past_monday, kind="status", reason="x", requested_code="P")
    with pytest.raises(AttendanceError):
        correction_decide(correction=c, by=team.supervisor, approve=False, comment="")
    correction_decide(correction=c, by=team.supervisor, approve=False, comment="无证明")
    assert status(team.agent, past_monday).code == "A"
    assert Correction.objects.get(pk=c.pk).state == "refused"


def test_only_the_team_supervisor_decides_a_correction(team, past_monday):
    c = correction_request(by=team.agent, date=past_monday, kind="status", reason="x", requested_code="P")
    for who in (team.other_supervisor, team.agent2, team.agent):
        with pytest.raises(AttendanceError):
            correction_decide(correction=c, by=who, approve=True)
    assert Correction.objects.get(pk=c.pk).state == "pending"


# --- settling -------------------------------------------------------------------------------------------------


def test_settling_a_day_marks_absent_where_nothing_came_and_is_idempotent(team, roster, past_monday):
    roster(team.agent, past_monday)
    roster(team.agent2, past_monday, "REST")
    assert attendance_settle_day(date=past_monday) is None
    assert attendance_settle_day(date=past_monday) is None
    assert sorted(DayStatus.objects.values_list("employee_id", "code")) == sorted(
        [(team.agent.pk, "A"), (team.agent2.pk, "R")])
    assert status(team.agent, past_monday).history.count() == 1


def test_settling_runs_in_bounded_batches(team, roster, past_monday):
    roster(team.agent, past_monday)
    roster(team.agent2, past_monday)
    last = attendance_settle_day(date=past_monday, batch=1)
    assert last == min(team.agent.pk, team.agent2.pk)
    assert DayStatus.objects.count() == 1
    assert attendance_settle_day(date=past_monday, after_id=last, batch=1) == max(team.agent.pk, team.agent2.pk)


def test_the_nightly_task_settles_yesterday(team, roster):
    from staff.attendance.tasks import attendance_settle_yesterday

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    roster(team.agent, yesterday, "A")
    attendance_settle_yesterday.delay()
    assert status(team.agent, yesterday).code == "A"


def test_the_nightly_job_is_registered():
    from csmgmt.core.registry import jobs

    job = next(j for j in jobs() if j.name == "attendance-settle-yesterday")
    assert (job.task, job.crontab) == ("staff.attendance.tasks.attendance_settle_yesterday",
                                       {"minute": "30", "hour": "6"})


def test_punch_import_understands_chinese_directions(team, roster, past_monday):
    roster(team.agent, past_monday)
    text = (f"employee_no,timestamp,direction\n{team.agent.employee_no},{past_monday} 07:59,上班\n"
            f"{team.agent.employee_no},{past_monday} 17:01,下班\n")
    assert punches_import(file=csv_file(text)).created == 2
    assert list(Punch.objects.order_by("at").values_list("direction", flat=True)) == ["in", "out"]
