"""REGULATIONS §4, as sharpened by issue 15: a same-day sick call is not 旷工; the certificate may follow; leave levels
are two people; the long-leave threshold (3 days) is a setting a manager edits; deputies. Expectations are written
out from the rule book; every refusal asserts that nothing changed."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from staff.attendance.services.days import day_status_recompute
from staff.attendance.services.leave import (leave_approve, leave_certificate_add, leave_certificate_late_decide,
                                             leave_certificates_flag, leave_phone_in, leave_refuse, leave_request)
from staff.attendance.services.leave_levels import deputy_name, deputy_withdraw, leave_settings_update
from staff.attendance.workflow import AttendanceError, AttendanceForbidden
from staff.models import AttendanceSettings, DayStatus, LeaveDeputy, LeaveEvent, LeaveRequest
from tests.workflow_support import snapshot

from .conftest import local

pytestmark = pytest.mark.django_db


def png(name="假条.png"):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def leave_count():
    return LeaveRequest.objects.count(), LeaveEvent.objects.count()


# --- a same-day sick call is not 旷工 ------------------------------------------------------------------------


def test_a_same_day_sick_call_recorded_after_the_shift_started_covers_the_day_and_is_not_absent(
        team, roster, past_monday):
    day = past_monday
    roster(team.agent, day, "A")  # 08:00–17:00; nobody punches
    leave = leave_phone_in(by=team.supervisor, employee=team.agent, kind="sick", start_date=day, end_date=day,
                           reason="发烧，早上 7:30 来电", called_at=local(day, "07:30"), now=local(day, "09:15"))
    assert leave.state == "approved"  # the supervisor's record is the first level; 1 day needs no manager
    assert leave.called_at == local(day, "07:30")
    assert list(leave.events.values_list("action", "from_state", "to_state", "by_id")) == [
        ("phone_in", "", "approved", team.supervisor.pk)]
    status = day_status_recompute(employee_id=team.agent.pk, date=day)  # the day is over
    assert (status.code, status.leave_kind) == ("V", "sick")


def test_an_emergency_personal_leave_can_be_phoned_in_too(team, roster, past_monday):
    day = past_monday
    roster(team.agent, day, "A")
    leave = leave_phone_in(by=team.supervisor, employee=team.agent, kind="personal", start_date=day, end_date=day,
                           reason="家中急事", called_at=local(day, "07:00"), now=local(day, "08:30"))
    assert (leave.state, leave.emergency) == ("approved", True)


def test_a_phoned_in_long_leave_still_needs_the_manager_level(team, roster, past_monday):
    day = past_monday
    roster(team.agent, day, "A")
    leave = leave_phone_in(by=team.supervisor, employee=team.agent, kind="sick", start_date=day,
                           end_date=day + dt.timedelta(days=3), reason="住院", called_at=local(day, "07:40"),
                           now=local(day, "07:50"))  # 4 days: more than 3
    assert leave.state == "pending_manager"
    leave_approve(leave=leave, by=team.manager, now=local(day, "10:00"))
    leave.refresh_from_db()
    assert leave.state == "approved"
    assert day_status_recompute(employee_id=team.agent.pk, date=day).code == "V"  # the call was before the shift


def test_a_call_after_the_shift_started_is_not_a_same_day_sick_call_and_nothing_is_written(
        team, roster, past_monday):
    day = past_monday
    roster(team.agent, day, "A")
    before = leave_count()
    with pytest.raises(AttendanceError, match="after the shift started"):
        leave_phone_in(by=team.supervisor, employee=team.agent, kind="sick", start_date=day, end_date=day,
                       reason="迟到才来电", called_at=local(day, "08:10"), now=local(day, "08:20"))
    assert leave_count() == before


def test_only_sick_or_emergency_personal_leave_is_phoned_in(team, roster, past_monday):
    before = leave_count()
    with pytest.raises(AttendanceError, match="sick leave, or personal leave in an emergency"):
        leave_phone_in(by=team.supervisor, employee=team.agent, kind="annual", start_date=past_monday,
                       end_date=past_monday, reason="年假", called_at=local(past_monday, "07:00"),
                       now=local(past_monday, "07:10"))
    assert leave_count() == before


def test_a_manager_cannot_record_a_phoned_in_leave_in_the_supervisors_place(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    before = leave_count()
    with pytest.raises(AttendanceForbidden, match="a manager does not approve in the supervisor's place"):
        leave_phone_in(by=team.manager, employee=team.agent, kind="sick", start_date=past_monday,
                       end_date=past_monday, reason="发烧", called_at=local(past_monday, "07:00"),
                       now=local(past_monday, "07:10"))
    assert leave_count() == before


# --- the certificate may follow ---------------------------------------------------------------------------------


@pytest.fixture
def sick_monday(team, roster, past_monday):
    """A phoned-in full-day sick leave on Monday with no certificate; Tuesday is a rest day, Wednesday the first
    rostered working day after it: the certificate may follow until the end of Wednesday (Thursday 00:00)."""
    monday = past_monday
    roster(team.agent, monday, "A")
    roster(team.agent, monday + dt.timedelta(days=1), "REST")
    roster(team.agent, monday + dt.timedelta(days=2), "B")
    leave = leave_phone_in(by=team.supervisor, employee=team.agent, kind="sick", start_date=monday, end_date=monday,
                           reason="发烧", called_at=local(monday, "07:20"), now=local(monday, "07:30"))
    return leave


def test_a_full_day_sick_leave_without_its_certificate_shows_certificate_due(sick_monday, client_for, team):
    assert sick_monday.needs_certificate()
    page = client_for(team.agent).get(reverse("staff:attendance_leave_detail", args=[sick_monday.pk]))
    assert 'id="certificate-due"' in page.content.decode()


def test_the_certificate_may_be_added_until_the_end_of_the_first_rostered_working_day_after_the_leave(
        sick_monday, team):
    wednesday = sick_monday.end_date + dt.timedelta(days=2)
    leave_certificate_add(leave=sick_monday, by=team.agent, certificate=png(), now=local(wednesday, "23:59"))
    sick_monday.refresh_from_db()
    assert sick_monday.certificate and not sick_monday.needs_certificate()
    assert sick_monday.events.last().action == "add_certificate"


def test_after_that_the_certificate_is_late_and_cannot_be_added(sick_monday, team):
    thursday = sick_monday.end_date + dt.timedelta(days=3)
    before = snapshot(sick_monday)
    with pytest.raises(AttendanceError, match="it is late and the supervisor decides"):
        leave_certificate_add(leave=sick_monday, by=team.agent, certificate=png(), now=local(thursday, "00:00"))
    assert snapshot(sick_monday) == before


def test_a_late_certificate_the_supervisor_keeps_the_leave_with_a_reason(sick_monday, team):
    thursday = sick_monday.end_date + dt.timedelta(days=3)
    leave = leave_certificate_late_decide(leave=sick_monday, by=team.supervisor, keep=True,
                                          reason="医院证明已电话核实", now=local(thursday, "09:00"))
    assert (leave.state, leave.certificate_kept_at) == ("approved", local(thursday, "09:00"))
    assert not leave.needs_certificate()
    assert leave.events.values_list("action", "comment").last() == ("keep_leave", "医院证明已电话核实")
    assert DayStatus.objects.get(employee=team.agent, date=leave.start_date).code == "V"


def test_a_late_certificate_the_supervisor_records_the_days_as_absent_with_a_reason(sick_monday, team):
    thursday = sick_monday.end_date + dt.timedelta(days=3)
    leave = leave_certificate_late_decide(leave=sick_monday, by=team.supervisor, keep=False,
                                          reason="未交假条", now=local(thursday, "09:00"))
    assert leave.state == "absent"
    assert leave.events.values_list("action", "comment").last() == ("make_absent", "未交假条")
    assert DayStatus.objects.get(employee=team.agent, date=leave.start_date).code == "A"  # 旷工


def test_a_late_certificate_decision_needs_a_reason_and_the_supervisor_and_is_not_taken_early(sick_monday, team):
    wednesday = sick_monday.end_date + dt.timedelta(days=2)
    thursday = wednesday + dt.timedelta(days=1)
    before = snapshot(sick_monday)
    with pytest.raises(AttendanceError, match="Give a reason."):
        leave_certificate_late_decide(leave=sick_monday, by=team.supervisor, keep=False, reason=" ",
                                      now=local(thursday, "09:00"))
    with pytest.raises(AttendanceError, match="The certificate is not late"):
        leave_certificate_late_decide(leave=sick_monday, by=team.supervisor, keep=False, reason="未交假条",
                                      now=local(wednesday, "12:00"))
    with pytest.raises(AttendanceForbidden, match="Only the employee's supervisor decides on a late certificate."):
        leave_certificate_late_decide(leave=sick_monday, by=team.manager, keep=False, reason="未交假条",
                                      now=local(thursday, "09:00"))
    assert snapshot(sick_monday) == before


def test_the_daily_job_flags_late_certificates_to_the_supervisor_once(sick_monday, team):
    thursday = sick_monday.end_date + dt.timedelta(days=3)
    wednesday = thursday - dt.timedelta(days=1)
    assert leave_certificates_flag(now=local(wednesday, "12:00")) == 0  # not late yet
    assert leave_certificates_flag(now=local(thursday, "06:45")) == 1
    assert leave_certificates_flag(now=local(thursday, "06:45")) == 0  # told once
    notice = team.supervisor.notifications.get()
    assert notice.link == reverse("staff:attendance_leave_detail", args=[sick_monday.pk])


def test_an_employee_asking_sick_leave_may_send_the_certificate_later(team):
    leave = leave_request(by=team.agent, kind="sick", start_date=timezone.localdate() + dt.timedelta(days=1),
                          end_date=timezone.localdate() + dt.timedelta(days=1), reason="明天手术")
    assert leave.needs_certificate()


# --- leave levels are two people ---------------------------------------------------------------------------------


def _leave(employee, days, start_in=5):
    start = timezone.localdate() + dt.timedelta(days=start_in)
    return LeaveRequest.objects.create(employee=employee, kind="annual", start_date=start,
                                       end_date=start + dt.timedelta(days=days - 1), reason="探亲")


def test_a_manager_approving_in_the_supervisors_place_is_refused(team):
    leave = _leave(team.agent, 1)
    before = snapshot(leave)
    with pytest.raises(AttendanceForbidden, match="a manager does not approve in the supervisor's place"):
        leave_approve(leave=leave, by=team.manager)
    assert snapshot(leave) == before


def test_3_days_is_one_level_and_4_days_needs_a_manager_after_the_supervisor(team):
    three, four = _leave(team.agent, 3), _leave(team.agent, 4, start_in=20)
    assert leave_approve(leave=three, by=team.supervisor).state == "approved"
    assert leave_approve(leave=four, by=team.supervisor).state == "pending_manager"
    assert leave_approve(leave=four, by=team.manager).state == "approved"


def test_the_second_level_is_a_manager_who_did_not_give_the_first(team, make_employee):
    deputy_manager = make_employee("manager", team="")
    today = timezone.localdate()
    deputy_name(by=team.manager, supervisor=team.supervisor, deputy=deputy_manager, start_date=today,
                end_date=today + dt.timedelta(days=7))
    leave = _leave(team.agent, 5)
    assert leave_approve(leave=leave, by=deputy_manager).state == "pending_manager"  # the first level only
    before = snapshot(leave)
    with pytest.raises(AttendanceError, match="You gave the first level of this leave: another manager gives the "
                                              "second."):
        leave_approve(leave=leave, by=deputy_manager)
    assert snapshot(leave) == before
    assert leave_approve(leave=leave, by=team.manager).state == "approved"


def test_when_the_own_supervisor_is_a_manager_that_one_approval_is_both_levels(team):
    report = team.supervisor  # 张主管's own supervisor is the manager
    leave = _leave(report, 5)
    leave = leave_approve(leave=leave, by=team.manager)
    assert leave.state == "approved"
    assert list(leave.events.values_list("action", "from_state", "to_state")) == [
        ("approve", "pending_supervisor", "approved")]


def test_an_employee_with_no_supervisor_goes_to_a_manager(team, make_employee):
    loner = make_employee("agent", supervisor=None)
    leave = _leave(loner, 1)
    before = snapshot(leave)
    with pytest.raises(AttendanceForbidden):
        leave_approve(leave=leave, by=team.supervisor)
    assert snapshot(leave) == before
    assert leave_approve(leave=leave, by=team.manager).state == "approved"


def test_a_deputy_named_for_a_period_gives_the_first_level_only_in_that_period(team):
    today = timezone.localdate()
    named = deputy_name(by=team.manager, supervisor=team.supervisor, deputy=team.other_supervisor,
                        start_date=today, end_date=today + dt.timedelta(days=2))
    leave = _leave(team.agent, 1)
    assert leave_approve(leave=leave, by=team.other_supervisor).state == "approved"
    deputy_withdraw(by=team.manager, deputy=named)
    other = _leave(team.agent, 1, start_in=30)
    before = snapshot(other)
    with pytest.raises(AttendanceForbidden):
        leave_approve(leave=other, by=team.other_supervisor)
    assert snapshot(other) == before
    named.refresh_from_db()
    assert named.withdrawn_by == team.manager and named.history.count() == 2  # kept, with its trail


def test_a_deputys_decision_is_recorded_as_the_deputys_for_the_supervisor(team):
    """REGULATIONS §4: "a deputy the manager named for a period, recorded as such" — the trail says whose deputy
    decided; the own supervisor's decision carries no such mark."""
    today = timezone.localdate()
    deputy_name(by=team.manager, supervisor=team.supervisor, deputy=team.other_supervisor,
                start_date=today, end_date=today + dt.timedelta(days=60))
    by_deputy, refused_by_deputy, by_supervisor = _leave(team.agent, 1), _leave(team.agent, 1, start_in=10), \
        _leave(team.agent, 1, start_in=20)
    leave_approve(leave=by_deputy, by=team.other_supervisor)
    leave_refuse(leave=refused_by_deputy, by=team.other_supervisor, comment="当天人手不足")
    leave_approve(leave=by_supervisor, by=team.supervisor)
    decided = {leave: list(leave.events.exclude(action="request").values_list("action", "by_id", "data"))
               for leave in (by_deputy, refused_by_deputy, by_supervisor)}
    assert decided == {
        by_deputy: [("approve", team.other_supervisor.pk, {"as_deputy_for": team.supervisor.pk})],
        refused_by_deputy: [("refuse", team.other_supervisor.pk, {"as_deputy_for": team.supervisor.pk})],
        by_supervisor: [("approve", team.supervisor.pk, {})],
    }


def test_the_leave_page_says_which_supervisor_a_deputy_decided_for(team, client_for):
    """REGULATIONS §4 (a named deputy, recorded as such): the leave's trail on its page names the supervisor the
    deputy decided for; the own supervisor's decision has no such words."""
    today = timezone.localdate()
    deputy_name(by=team.manager, supervisor=team.supervisor, deputy=team.other_supervisor,
                start_date=today, end_date=today + dt.timedelta(days=60))
    by_deputy, by_supervisor = _leave(team.agent, 1), _leave(team.agent, 1, start_in=10)
    leave_approve(leave=by_deputy, by=team.other_supervisor)
    leave_approve(leave=by_supervisor, by=team.supervisor)
    client = client_for(team.agent)

    deputy_page = client.get(reverse("staff:attendance_leave_detail", args=[by_deputy.pk])).content.decode()
    own_page = client.get(reverse("staff:attendance_leave_detail", args=[by_supervisor.pk])).content.decode()

    # the page speaks Chinese: 代<supervisor>审批, "approving for <supervisor>"
    assert f"{team.other_supervisor.name} <span class=\"deputy-for\">(代{team.supervisor.name}审批)</span>" in deputy_page
    assert "deputy-for" not in own_page


def test_a_supervisor_cannot_name_a_deputy_and_nothing_is_written(team):
    today = timezone.localdate()
    with pytest.raises(AttendanceForbidden):
        deputy_name(by=team.supervisor, supervisor=team.supervisor, deputy=team.other_supervisor,
                    start_date=today, end_date=today)
    assert LeaveDeputy.objects.count() == 0


# --- the long-leave threshold is a setting a manager edits -----------------------------------------------------


def test_the_long_leave_threshold_is_3_days_by_default_and_a_manager_edits_it_with_history(team):
    assert AttendanceSettings.objects.count() == 0
    five = _leave(team.agent, 5)
    leave_settings_update(by=team.manager, long_leave_days=5)
    assert leave_approve(leave=five, by=team.supervisor).state == "approved"  # 5 days is not more than 5
    leave_settings_update(by=team.manager, long_leave_days=3)
    conf = AttendanceSettings.objects.get()
    assert conf.long_leave_days == 3
    assert list(conf.history.order_by("history_date").values_list("long_leave_days", flat=True)) == [5, 3]


def test_a_supervisor_cannot_edit_the_long_leave_threshold_and_nothing_changes(team):
    with pytest.raises(AttendanceForbidden):
        leave_settings_update(by=team.supervisor, long_leave_days=10)
    assert AttendanceSettings.objects.count() == 0


# --- pages: each new one refuses the roles it is not for ---------------------------------------------------------


def test_the_phone_in_page_records_the_leave_once_per_form(team, roster, client_for):
    client = client_for(team.supervisor)
    page = client.get(reverse("staff:attendance_leave_phone_in"), {"employee": team.agent.pk})
    assert page.status_code == 200
    token = page.context["form"]["form_token"].value()
    today = timezone.localdate()
    data = {"form_token": token, "employee": team.agent.pk, "called_at": f"{today:%Y-%m-%d} 00:01",
            "kind": "sick", "start_date": today, "end_date": today, "part": "full", "reason": "发烧"}
    first = client.post(reverse("staff:attendance_leave_phone_in"), data)
    second = client.post(reverse("staff:attendance_leave_phone_in"), data)
    [leave] = LeaveRequest.objects.all()
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("staff:attendance_leave_detail", args=[leave.pk])


def test_the_phone_in_page_refuses_an_agent_and_nothing_is_written(team, client_for):
    client = client_for(team.agent2)
    assert client.get(reverse("staff:attendance_leave_phone_in")).status_code == 403
    today = timezone.localdate()
    response = client.post(reverse("staff:attendance_leave_phone_in"), {
        "employee": team.agent.pk, "called_at": f"{today:%Y-%m-%d} 00:01", "kind": "sick",
        "start_date": today, "end_date": today, "part": "full", "reason": "发烧"})
    assert response.status_code == 403
    assert LeaveRequest.objects.count() == 0


def test_the_certificate_page_refuses_a_colleague_and_nothing_changes(sick_monday, team, client_for):
    before = snapshot(sick_monday)
    response = client_for(team.agent2).post(reverse("staff:attendance_leave_certificate_add", args=[sick_monday.pk]),
                                            {"certificate": png()})
    assert response.status_code == 403
    assert snapshot(sick_monday) == before


def test_the_late_certificate_decision_refuses_an_agent_and_nothing_changes(sick_monday, team, client_for):
    before = snapshot(sick_monday)
    response = client_for(team.agent).post(
        reverse("staff:attendance_leave_certificate_decide", args=[sick_monday.pk]),
        {"decision": "absent", "reason": "未交假条"})
    assert response.status_code == 403
    assert snapshot(sick_monday) == before


def test_the_leave_settings_pages_refuse_a_supervisor_and_nothing_changes(team, client_for):
    named = deputy_name(by=team.manager, supervisor=team.supervisor, deputy=team.other_supervisor,
                        start_date=timezone.localdate(), end_date=timezone.localdate())
    client = client_for(team.supervisor)
    assert client.get(reverse("staff:attendance_leave_settings")).status_code == 403
    assert client.post(reverse("staff:attendance_leave_settings"), {"long_leave_days": 9}).status_code == 403
    assert client.post(reverse("staff:attendance_deputy_new"), {
        "supervisor": team.other_supervisor.pk, "deputy": team.supervisor.pk, "start_date": timezone.localdate(),
        "end_date": timezone.localdate()}).status_code == 403
    assert client.post(reverse("staff:attendance_deputy_withdraw", args=[named.pk])).status_code == 403
    assert AttendanceSettings.objects.count() == 0
    assert list(LeaveDeputy.objects.values_list("pk", "withdrawn_at")) == [(named.pk, None)]


def test_a_manager_edits_the_threshold_and_names_a_deputy_on_the_page(team, client_for):
    client = client_for(team.manager)
    page = client.get(reverse("staff:attendance_leave_settings"))
    assert page.status_code == 200
    assert client.post(reverse("staff:attendance_leave_settings"), {"long_leave_days": 4}).status_code == 302
    token = page.context["deputy_form"]["form_token"].value()
    today = timezone.localdate()
    client.post(reverse("staff:attendance_deputy_new"), {
        "form_token": token, "supervisor": team.supervisor.pk, "deputy": team.other_supervisor.pk,
        "start_date": today, "end_date": today})
    assert AttendanceSettings.objects.get().long_leave_days == 4
    assert list(LeaveDeputy.objects.values_list("supervisor", "deputy", "named_by")) == [
        (team.supervisor.pk, team.other_supervisor.pk, team.manager.pk)]
    assert "4" in client.get(reverse("staff:attendance_leave_settings")).content.decode()
