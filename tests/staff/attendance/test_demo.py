import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from staff.attendance.selectors import attendance_score_events
from staff.models import (Correction, DayStatus, DutyDaySignoff, DutyLogEntry, LeaveDeputy, LeaveEvent, LeaveRequest,
                          Punch, RosterEntry)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MODELS = (RosterEntry, Punch, DayStatus, LeaveRequest, LeaveEvent, Correction, DutyLogEntry, DutyDaySignoff)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def counts():
    return [m.objects.count() for m in MODELS]


def load(now=None):
    from staff import demo as staff_demo
    from staff.attendance import demo

    staff_demo.load()
    demo.load(now=now)


def test_demo_loads_every_page_something_and_is_idempotent():
    load()
    before = counts()
    load()
    assert counts() == before
    assert all(before[:3])
    # leave requests: 9, 2 to show deadlines (issue 17), and the phoned-in sick leave when someone of team 二组
    # works today
    phoned = LeaveRequest.objects.filter(called_at__isnull=False).count()
    assert before[3] == 11 + phoned and phoned <= 1
    assert set(LeaveRequest.objects.values_list("state", flat=True)) == {
        "pending_supervisor", "pending_manager", "approved", "refused", "cancelled"}
    assert not Punch.objects.filter(at__gt=dt.datetime.now(dt.timezone.utc)).exists()


# 2026-11-19 00:30 in Shanghai, a Thursday: CS104 worked the night shift (N, 17:30–01:00) on Wednesday and,
# by the demo's time clock, clocks out at 01:12 — after the moment the demo is loaded.
NIGHT = dt.datetime(2026, 11, 19, 0, 30, tzinfo=SHANGHAI)


def test_the_demo_never_punches_after_it_is_loaded_and_has_every_kind_of_sample():
    load(now=NIGHT)
    assert RosterEntry.objects.get(employee__employee_no="CS104", date=dt.date(2026, 11, 18)).shift.code == "N"
    assert Punch.objects.filter(at__gt=NIGHT).count() == 0
    night = Punch.objects.filter(employee__employee_no="CS104",
                                 at__gte=dt.datetime(2026, 11, 18, 15, 0, tzinfo=SHANGHAI))
    assert list(night.values_list("direction", flat=True)) == ["in"]  # the clock-out is yet to come
    # last month is 2026-10; its first Monday is the 5th: CS104's week of 调休 is 5–9 October
    comp = LeaveRequest.objects.get(employee__employee_no="CS104", kind="comp", start_date=dt.date(2026, 10, 5))
    assert (comp.end_date, comp.state, list(comp.events.values_list("to_state", flat=True))) == (
        dt.date(2026, 10, 9), "approved", ["pending_supervisor", "pending_manager", "approved"])
    days = DayStatus.objects.filter(employee__employee_no="CS104", date__range=(dt.date(2026, 10, 5),
                                                                                  dt.date(2026, 10, 9)))
    assert sorted(days.values_list("code", "leave_kind")) == [("V", "comp")] * 5
    comp_events = [e for e in attendance_score_events(year=2026, month=10) if e["kind"] == "comp_leave_day"]
    assert len(comp_events) == 5
    sick = LeaveRequest.objects.get(kind="sick", employee__employee_no="CS201")
    assert sick.state == "approved" and sick.start_date < NIGHT.date()
    with sick.certificate.open("rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert DayStatus.objects.get(employee=sick.employee, date=sick.start_date).code == "V"
    # a same-day sick call that 赵志强 recorded at once: approved, the certificate due (REGULATIONS §4)
    phoned = LeaveRequest.objects.get(called_at__isnull=False)
    assert (phoned.kind, phoned.state, phoned.start_date, phoned.employee.supervisor.employee_no) == (
        "sick", "approved", NIGHT.date(), "CS003")
    assert phoned.needs_certificate() and phoned.called_at < NIGHT
    assert list(phoned.events.values_list("action", "by__employee_no")) == [("phone_in", "CS003")]
    deputy = LeaveDeputy.objects.get()
    assert (deputy.supervisor.employee_no, deputy.deputy.employee_no, deputy.named_by.employee_no) == (
        "CS002", "CS003", "CS001")
    assert LeaveRequest.objects.get(state="cancelled").events.last().action == "cancel"
    # one pending of last month, one pending of this month (issue 17: fine and overdue), one approved, one refused
    assert sorted(Correction.objects.values_list("state", flat=True)) == ["approved", "pending", "pending", "refused"]
    approved = Correction.objects.get(state="approved")
    assert Punch.objects.filter(employee=approved.employee, source="correction", at=approved.punch_at).exists()
    assert DayStatus.objects.get(employee=approved.employee, date=approved.date).code != "M"
    assert Correction.objects.get(state="refused").decision_comment == "堵车不属于补卡范围，请提前出门。"
    manual = Punch.objects.get(source="manual")
    assert (manual.reason, manual.recorded_by.employee_no) == ("考勤机故障，组长现场确认到岗", "CS003")
    addendum = DutyLogEntry.objects.get(addendum_to__isnull=False)
    assert addendum.incoming_signed_at is not None
    signoff = DutyDaySignoff.objects.get()
    assert (signoff.date, signoff.supervisor.employee_no) == (addendum.date, "CS002")


def test_loading_again_on_a_later_day_adds_no_sample_twice():
    load(now=NIGHT)
    samples = [m.objects.count() for m in (LeaveRequest, Correction, DutyDaySignoff)]
    addenda = DutyLogEntry.objects.filter(addendum_to__isnull=False).count()
    load(now=NIGHT + dt.timedelta(days=3))
    assert [m.objects.count() for m in (LeaveRequest, Correction, DutyDaySignoff)] == samples
    assert DutyLogEntry.objects.filter(addendum_to__isnull=False).count() == addenda == 1
    assert Punch.objects.filter(source="manual").count() == 1
