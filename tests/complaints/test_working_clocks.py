"""Complaint clocks on working calendars (REGULATIONS §9): each clock's unit and whose hours it counts, stored on
the clock; pause and resume; "why due then"; the recompute when a calendar changes; the statistics by each clock's
own rule. Due times are computed by hand from the rule (2026: National Day 10-01…10-07 off, make-up Saturday 10-10;
工程部 Monday–Friday 08:30–17:30 = 9 hours a day; 客服部 every day 08:00–01:00)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.clocks import clocks_recompute
from complaints.models import ClockState, ComplaintClock, ComplaintEvent, ComplaintPause
from complaints.selectors import statistics
from complaints.services import ComplaintError, ComplaintForbidden, clock_lengths_set, complaint_create, \
    complaint_transition
from csmgmt.core.calendar import SHANGHAI
from staff.calendars.services import calendar_exception_add
from tests.factories import DepartmentFactory, cs_department

H = dt.timedelta(hours=1)


def t(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def eng(db):
    return DepartmentFactory(name="工程部", code="ENG")


@pytest.fixture
def cs(db):
    return cs_department()


def register(people, received_at, phone="13812345678"):
    return complaint_create(by=people["agent"], data={"received_at": received_at, "complainant_name": "林女士",
                                                      "complainant_phone": phone, "content": "维修迟迟未到"})


def on_working_time(people, kind, length, unit):
    clock_lengths_set(by=people["manager"], hours={(kind, "ordinary"): length, (kind, "major"): length},
                      units={(kind, "ordinary"): unit, (kind, "major"): unit})


def test_first_reply_counts_customer_service_hours_across_midnight(people, cs):
    """Received 12-03 23:30, 2 working hours of 客服部: 23:30–01:00 (1.5 h), then 08:00 + 0.5 h = 12-04 08:30."""
    on_working_time(people, "first_reply", 2, "working_hours")
    complaint = register(people, t("2026-12-03 23:30"))
    clock = ComplaintClock.objects.get(complaint=complaint, kind="first_reply")
    assert (clock.unit, clock.length, clock.calendar_department_id, clock.due_at) == (
        "working_hours", 2, cs.pk, t("2026-12-04 08:30"))
    assert ComplaintClock.objects.get(complaint=complaint, kind="assign").due_at == t("2026-12-03 23:30") + 3 * H


def test_running_clocks_keep_the_rule_they_started_with(people, cs):
    complaint = register(people, t("2026-12-03 23:30"))
    on_working_time(people, "first_reply", 2, "working_hours")
    clock = ComplaintClock.objects.get(complaint=complaint, kind="first_reply")
    assert (clock.unit, clock.due_at) == ("calendar", t("2026-12-04 01:30"))
    page = _client(people, "agent").get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "2 calendar hours" in page


def _client(people, role):
    from django.test import Client

    c = Client()
    c.force_login(people[role].user)
    return c


def _dept_clock(people, eng, cs):
    on_working_time(people, "dept_report", 48, "working_hours")
    complaint = register(people, timezone.now() - H)
    complaint_transition(complaint=complaint, action="uphold", by=people["agent"], data={"severity": "ordinary"})
    complaint_transition(complaint=complaint, action="assign", by=people["supervisor"],
                         data={"responsible_department": eng})
    clock = ComplaintClock.objects.get(complaint=complaint, kind="dept_report")
    assert (clock.unit, clock.calendar_department_id) == ("working_hours", eng.pk)
    # as if assigned on the eve of National Day
    ComplaintClock.objects.filter(pk=clock.pk).update(started_at=t("2026-09-30 16:00"))
    return complaint, clock


def test_the_department_clock_counts_the_department_s_hours_over_national_day(people, eng, cs):
    """48 working hours of 工程部 from 09-30 16:00: 09-30 1.5, 10-08 9, 10-09 9, 10-10 (make-up) 9, 10-12 9,
    10-13 9 (46.5), 10-14 08:30 + 1.5 = 10:00."""
    complaint, clock = _dept_clock(people, eng, cs)
    assert clocks_recompute([eng], people["manager"]) == 1
    clock.refresh_from_db()
    assert clock.due_at == t("2026-10-14 10:00")
    html = _client(people, "agent").get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "48 working hours of 工程部" in html
    assert ("工程部: 09-30 16:00–17:30, 10-08 08:30–17:30, 10-09 08:30–17:30, 10-10 08:30–17:30, "
            "10-12 08:30–17:30, 10-13 08:30–17:30, 10-14 08:30–10:00") in html


def test_a_calendar_edited_while_a_clock_runs_recomputes_it_with_a_trail(people, eng, cs):
    """工程部 closes on 10-13: the clock needs 10-14 whole and 1.5 h of 10-15: due 10-15 10:00."""
    complaint, clock = _dept_clock(people, eng, cs)
    clocks_recompute([eng], people["manager"])
    met = ComplaintClock.objects.create(complaint=complaint, kind="revisit", started_at=t("2026-09-30 16:00"),
                                        due_at=t("2026-10-01 16:00"), met_at=t("2026-10-01 15:00"),
                                        state=ClockState.MET, unit="working_hours", length=9,
                                        calendar_department=eng)
    ComplaintClock.objects.filter(pk=clock.pk).update(overdue_notified_at=t("2026-10-14 10:05"))
    before = ComplaintEvent.objects.filter(complaint=complaint, action="clock_recomputed").count()
    moved = calendar_exception_add(by=people["manager"], department=eng, date=dt.date(2026, 10, 13), spans=[],
                                   note="设备检修")
    assert moved == 1
    clock.refresh_from_db()
    assert clock.due_at == t("2026-10-15 10:00")
    # the new due time has passed too (it is December): the clock is still overdue, its notice stands
    assert clock.overdue_notified_at == t("2026-10-14 10:05")
    met.refresh_from_db()
    assert (met.state, met.due_at) == ("met", t("2026-10-01 16:00"))  # a decided clock never flips
    events = ComplaintEvent.objects.filter(complaint=complaint, action="clock_recomputed").order_by("pk")
    assert events.count() == before + 1
    event = events.last()
    assert event.by == people["manager"]
    assert dt.datetime.fromisoformat(event.data["old_due"]) == t("2026-10-14 10:00")
    assert dt.datetime.fromisoformat(event.data["new_due"]) == t("2026-10-15 10:00")
    assert dt.datetime.fromisoformat(event.data["overdue_notice_at"]) == t("2026-10-14 10:05")
    assert "2026-10-14 10:00 → 2026-10-15 10:00" in event.comment
    assert "overdue notice was sent at 2026-10-14 10:05" in event.comment


def test_the_owner_pauses_and_resumes_and_paused_time_does_not_count(people, cs):
    complaint = register(people, timezone.now() - H)
    close = ComplaintClock.objects.get(complaint=complaint, kind="close")
    complaint_transition(complaint=complaint, action="pause", by=people["agent"], comment="等客户补充照片")
    complaint.refresh_from_db()
    assert complaint.paused_at is not None
    assert set(ComplaintClock.objects.filter(complaint=complaint).values_list("state", flat=True)) == {"paused"}
    ComplaintPause.objects.filter(complaint=complaint).update(started_at=timezone.now() - 30 * dt.timedelta(minutes=1))
    complaint_transition(complaint=complaint, action="resume", by=people["agent"], comment="客户已发来照片")
    pause = ComplaintPause.objects.get(complaint=complaint)
    close_after = ComplaintClock.objects.get(pk=close.pk)
    assert close_after.state == "running"
    assert close_after.due_at == close.due_at + (pause.ended_at - pause.started_at)
    assert list(ComplaintEvent.objects.filter(complaint=complaint, action__in=["pause", "resume"])
                .values_list("action", "comment", "by")) == [("pause", "等客户补充照片", people["agent"].pk),
                                                             ("resume", "客户已发来照片", people["agent"].pk)]


def _snapshot(complaint):
    complaint.refresh_from_db()
    return (complaint.stage, complaint.paused_at, list(ComplaintClock.objects.filter(complaint=complaint)
                                                       .order_by("pk").values_list("state", "due_at")),
            ComplaintEvent.objects.filter(complaint=complaint).count(),
            ComplaintPause.objects.filter(complaint=complaint).count())


def test_pause_refusals_change_nothing(people, make_employee, cs):
    complaint = register(people, timezone.now() - H)
    other_agent = make_employee("agent")
    before = _snapshot(complaint)
    with pytest.raises(ComplaintForbidden):  # an agent who does not own it
        complaint_transition(complaint=complaint, action="pause", by=other_agent, comment="x")
    with pytest.raises(ComplaintError):  # no reason
        complaint_transition(complaint=complaint, action="pause", by=people["agent"], comment="")
    with pytest.raises(ComplaintError):  # not paused
        complaint_transition(complaint=complaint, action="resume", by=people["agent"], comment="x")
    with pytest.raises(ComplaintForbidden):  # a handler of a department it is not assigned to
        complaint_transition(complaint=complaint, action="pause", by=people["handler"], comment="x")
    assert _snapshot(complaint) == before
    complaint_transition(complaint=complaint, action="pause", by=people["supervisor"], comment="等客户回电")
    paused = _snapshot(complaint)
    with pytest.raises(ComplaintError):  # already paused
        complaint_transition(complaint=complaint, action="pause", by=people["agent"], comment="x")
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="resume", by=other_agent, comment="x")
    assert _snapshot(complaint) == paused


def test_the_responsible_handler_and_a_manager_may_pause(people, complaint_at, cs):
    complaint = complaint_at("plan")  # assigned to QA, the handler's department
    complaint_transition(complaint=complaint, action="pause", by=people["handler"], comment="等客户寄回样品")
    complaint_transition(complaint=complaint, action="resume", by=people["manager"], comment="样品已到")
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", flat=True)) == [
        "pause", "resume"]


def test_a_call_from_the_customer_prompts_the_resume(people, cs):
    from tickets.models import Call
    from tests.factories import CallFactory

    complaint = register(people, timezone.now() - H, phone="13812345678")
    complaint_transition(complaint=complaint, action="pause", by=people["agent"], comment="等客户补充凭证")
    html = _client(people, "agent").get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="paused-banner"' in html and "data-call=" not in html
    call = CallFactory(caller_phone="13812345678", agent=people["agent"])
    html = _client(people, "agent").get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f'data-call="{call.number}"' in html
    assert Call.objects.filter(pk=call.pk).exists()


def test_the_caller_history_prompts_the_resume_while_the_customer_calls(people, cs):
    """The agent typing the customer's number at intake sees that the complaint waits on them (REGULATIONS §9)."""
    complaint = register(people, timezone.now() - H, phone="13812345678")
    panel = reverse("tickets:history_panel") + "?phone=13812345678"
    client = _client(people, "agent")
    assert "waiting on the customer" not in client.get(panel).content.decode()
    complaint_transition(complaint=complaint, action="pause", by=people["agent"], comment="等客户补充凭证")
    html = client.get(panel).content.decode()
    assert complaint.number in html and "waiting on the customer: resume its clocks" in html
    complaint_transition(complaint=complaint, action="resume", by=people["agent"], comment="客户来电补充")
    assert "waiting on the customer" not in client.get(panel).content.decode()


def test_statistics_count_each_clock_by_its_own_rule(people, cs):
    """A first reply on 1 working day from receipt an hour ago is met now; on the default 2 calendar hours it would
    be too (so the clock on 1 working day is compared with one of 1 calendar hour started two hours ago: missed)."""
    on_working_time(people, "first_reply", 1, "working_days")
    now = timezone.now()
    working = register(people, now - 2 * H)
    on_working_time(people, "first_reply", 1, "calendar")
    calendar = register(people, now - 2 * H, phone="13812345679")
    for c in (working, calendar):
        complaint_transition(complaint=c, action="uphold", by=people["agent"], data={"severity": "ordinary"})
    states = dict(ComplaintClock.objects.filter(kind="first_reply").values_list("complaint_id", "state"))
    assert states == {working.pk: "met", calendar.pk: "missed"}
    local = timezone.localtime(now - 2 * H)
    first = next(r for r in statistics(year=local.year, month=local.month)["clocks"] if r["kind"] == "first_reply")
    assert (first["met"], first["missed"]) == (1, 1)
