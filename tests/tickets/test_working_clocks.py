"""Promised replies and repair call-backs on working calendars (REGULATIONS §2, §9): each clock's unit in the intake
settings, the rule and due time stored on the call when the clock starts (kept when the settings change), the
sweeps reading the stored due time. Due times are computed by hand from the rule: 工程部 Monday–Friday 08:30–17:30
(closed on public holidays: 2026 National Day 10-01…10-07; open on the make-up Saturday 10-10); 客服部 every day
08:00–01:00 the next morning, holidays included. Whose hours (§9: "the clocks it must meet (…, promised replies,
call-backs) count these hours"): promised replies and repair call-backs both count customer service's hours, never
the hours of the department the repair went to."""

import datetime as dt

import pytest
from django.urls import reverse

from csmgmt.core.calendar import SHANGHAI
from csmgmt.core.models import Notification
from tests.factories import cs_department
from tickets import services
from tickets.models import Call, IntakeSettings

SETTINGS = {"phone_reply_hours": 2, "phone_reply_unit": "calendar", "email_reply_hours": 24,
            "email_reply_unit": "calendar", "remind_before_minutes": 30, "repair_callback_minutes": 20,
            "repair_callback_unit": "calendar"}


def t(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def cs(db):
    return cs_department()


def settings_set(people, **over):
    services.intake_settings_save(by=people["manager"], data={**SETTINGS, **over})


def repair_at(people, eng, received_at):
    return services.call_create(by=people["supervisor"], received_at=received_at, data={
        "channel": "phone", "direction": "in", "caller_phone": "13812345678", "caller_name": "林女士",
        "category": "repair", "summary": "空调不制冷", "outcome": "transferred", "department": eng, "valid": False})


def promise_at(people, received_at, channel="phone"):
    return services.call_create(by=people["supervisor"], received_at=received_at, data={
        "channel": channel, "direction": "in", "caller_phone": "13912345678", "caller_name": "陈先生",
        "category": "enquiry", "summary": "询问会员积分", "outcome": "reply_promised", "valid": True})


def rule(call):
    return call.reply_due_unit, call.reply_due_minutes, call.reply_due_calendar_id, call.reply_due_at


def callback_rule(call):
    return (call.repair_callback_unit, call.repair_callback_length, call.repair_callback_calendar_id,
            call.repair_callback_due_at)


# --- repair call-backs: customer service's working time -----------------------------------------------------


def test_a_call_back_asked_at_0050_is_due_0810_on_customer_service_s_hours(people, eng, cs):
    """Friday 12-04 00:50 + 20 working minutes of 客服部: 00:50–01:00 (10), then 08:00 + 10 = 08:10."""
    settings_set(people, repair_callback_unit="working_hours")
    call = repair_at(people, eng, t("2026-12-04 00:50"))
    assert callback_rule(call) == ("working_hours", 20, cs.pk, t("2026-12-04 08:10"))
    assert rule(call) == ("working_hours", 20, cs.pk, t("2026-12-04 08:10"))  # the reply clock is the mark


def test_a_call_back_on_calendar_time_is_twenty_minutes_later(people, eng, cs):
    call = repair_at(people, eng, t("2026-12-04 17:25"))
    assert callback_rule(call) == ("calendar", 20, None, t("2026-12-04 17:45"))


def test_a_call_back_counts_customer_service_s_hours_not_the_closed_department_s(people, eng, cs):
    """工程部 is closed at these moments; customer service is not: Friday 17:25 → 17:45; Saturday 12-05 10:00 →
    10:20; National Day 10-01 00:55 (a holiday, which customer service works): 00:55–01:00 (5), 08:00 + 15 = 08:15."""
    settings_set(people, repair_callback_unit="working_hours")
    assert repair_at(people, eng, t("2026-12-04 17:25")).repair_callback_due_at == t("2026-12-04 17:45")
    assert repair_at(people, eng, t("2026-12-05 10:00")).repair_callback_due_at == t("2026-12-05 10:20")
    assert repair_at(people, eng, t("2026-10-01 00:55")).repair_callback_due_at == t("2026-10-01 08:15")


def test_the_call_back_sweep_reads_the_stored_due_time(people, eng, cs):
    settings_set(people, repair_callback_unit="working_hours")
    call = repair_at(people, eng, t("2026-12-04 00:50"))
    notices = Notification.objects.filter(key=f"call-repair-callback-{call.pk}")
    assert services.repair_callback_reminders_send(now=t("2026-12-04 01:10")) == 0  # 20 calendar minutes: not yet
    assert services.repair_callback_reminders_send(now=t("2026-12-04 08:09:59")) == 0
    assert not notices.exists()
    assert services.repair_callback_reminders_send(now=t("2026-12-04 08:10")) == 1
    assert notices.get().recipient == people["supervisor"]


# --- promised replies: customer service's working time ---------------------------------------------------------


def test_a_promised_reply_at_0030_on_the_night_span_is_due_0930(people, cs):
    """12-04 00:30 + 2 working hours of 客服部 (08:00–01:00): 00:30–01:00 (0.5 h), then 08:00 + 1.5 h = 09:30."""
    settings_set(people, phone_reply_unit="working_hours")
    call = promise_at(people, t("2026-12-04 00:30"))
    assert rule(call) == ("working_hours", 120, cs.pk, t("2026-12-04 09:30"))


def test_an_email_reply_counts_24_working_hours_of_customer_service(people, cs):
    """12-03 10:00 + 24 working hours: 10:00–01:00 (15 h), then 12-04 08:00 + 9 h = 17:00."""
    settings_set(people, email_reply_unit="working_hours")
    call = promise_at(people, t("2026-12-03 10:00"), channel="email")
    assert rule(call) == ("working_hours", 1440, cs.pk, t("2026-12-04 17:00"))
    phone = promise_at(people, t("2026-12-03 10:00"))  # the phone clock stays on calendar time
    assert rule(phone) == ("calendar", 120, None, t("2026-12-03 12:00"))


def test_customer_service_works_on_public_holidays(people, cs):
    """National Day 10-01 23:00 + 2 working hours: 23:00–01:00 = 2 h: due 10-02 01:00."""
    settings_set(people, phone_reply_unit="working_hours")
    assert promise_at(people, t("2026-10-01 23:00")).reply_due_at == t("2026-10-02 01:00")


def test_the_reminder_sweeps_read_the_stored_due_time(people, cs):
    settings_set(people, phone_reply_unit="working_hours")
    call = promise_at(people, t("2026-12-04 00:30"))  # due 09:30 (above)
    at = services.call_reply_reminders_send
    assert (at(now=t("2026-12-04 02:31")).due_sent, at(now=t("2026-12-04 02:31")).overdue_sent) == (0, 0)
    assert at(now=t("2026-12-04 09:00")).due_sent == 1  # 30 minutes before
    assert Notification.objects.filter(key=f"call-reply-due-{call.pk}").exists()
    at(now=t("2026-12-04 09:29"))
    call.refresh_from_db()
    assert call.overdue_notified_at is None
    at(now=t("2026-12-04 09:30"))  # overdue at the stored due time (the owner here has nobody above: the stamp)
    call.refresh_from_db()
    assert call.overdue_notified_at == t("2026-12-04 09:30")


# --- running clocks keep their rule ----------------------------------------------------------------------------


def test_a_setting_change_leaves_running_calls_as_they_are(people, eng, cs):
    promised = promise_at(people, t("2026-12-04 00:30"))
    repair = repair_at(people, eng, t("2026-12-04 17:25"))
    settings_set(people, phone_reply_hours=3, phone_reply_unit="working_hours", repair_callback_minutes=30,
                 repair_callback_unit="working_hours")
    promised.refresh_from_db()
    repair.refresh_from_db()
    assert rule(promised) == ("calendar", 120, None, t("2026-12-04 02:30"))
    assert callback_rule(repair) == ("calendar", 20, None, t("2026-12-04 17:45"))
    assert services.repair_callback_reminders_send(now=t("2026-12-04 17:45")) == 1  # its own mark
    # a new call starts on the new rule: 00:30–01:00, then 08:00 + 2.5 h = 10:30
    assert rule(promise_at(people, t("2026-12-04 00:30"))) == ("working_hours", 180, cs.pk, t("2026-12-04 10:30"))


def test_an_edit_keeps_the_clock_and_a_time_the_agent_gives_has_no_rule(people, cs):
    settings_set(people, phone_reply_unit="working_hours")
    call = promise_at(people, t("2026-12-04 00:30"))
    call = services.call_update(call=call, by=people["supervisor"], data={
        "summary": "询问会员积分（补充）", "reply_due_at": t("2026-12-04 09:30")})
    assert rule(call) == ("working_hours", 120, cs.pk, t("2026-12-04 09:30"))
    call = services.call_update(call=call, by=people["supervisor"], data={"reply_due_at": t("2026-12-04 11:00")})
    assert rule(call) == ("", None, None, t("2026-12-04 11:00"))


def test_the_call_page_says_which_rule_each_clock_runs_on(people, eng, cs, client_for):
    settings_set(people, repair_callback_unit="working_hours")
    call = repair_at(people, eng, t("2026-12-04 00:50"))
    page = client_for(people["supervisor"]).get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert f"{cs.name} 工作时间 20 分钟" in page  # "20 minutes of customer service's working time", in Chinese
    assert "2026-12-04 08:10" in page


# --- the settings page ---------------------------------------------------------------------------------------


def test_a_manager_sets_the_units_on_the_settings_page_with_a_trail(people, client_for):
    c = client_for(people["manager"])
    response = c.post(reverse("tickets:scripts"), {"form": "settings", **SETTINGS, "phone_reply_unit": "working_hours",
                                                   "repair_callback_unit": "working_hours"})
    assert response.status_code == 302
    s = IntakeSettings.current()
    assert (s.phone_reply_unit, s.email_reply_unit, s.repair_callback_unit) == (
        "working_hours", "calendar", "working_hours")
    last = s.history.order_by("-history_date").first()
    assert (last.history_user, last.phone_reply_unit) == (people["manager"].user, "working_hours")


def test_a_unit_the_rules_do_not_know_is_refused_on_the_form(people, client_for):
    c = client_for(people["manager"])
    response = c.post(reverse("tickets:scripts"), {"form": "settings", **SETTINGS, "phone_reply_unit": "lunar"})
    assert response.status_code == 200
    assert response.context["settings_form"].errors["phone_reply_unit"]
    assert IntakeSettings.current().phone_reply_unit == "calendar"


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_a_refused_role_changes_no_unit(people, client_for, role):
    settings_set(people)
    before = list(IntakeSettings.objects.values())
    trail = IntakeSettings.history.count()
    response = client_for(people[role]).post(reverse("tickets:scripts"), {
        "form": "settings", **SETTINGS, "phone_reply_unit": "working_hours", "repair_callback_unit": "working_hours"})
    assert response.status_code == 403
    assert list(IntakeSettings.objects.values()) == before
    assert IntakeSettings.history.count() == trail
    with pytest.raises(services.PermissionRefused):
        services.intake_settings_save(by=people[role], data={**SETTINGS, "phone_reply_unit": "working_hours"})
    assert list(IntakeSettings.objects.values()) == before
    assert Call.objects.count() == 0


def test_an_imported_register_starts_its_clocks_on_the_settings_rule(people, eng, cs):
    """An earlier register's repair request (Friday 12-04 00:50, 工程部) without a due time: the call-back mark on
    customer service's working time, 08:10, stored with its rule, as at intake."""
    settings_set(people, repair_callback_unit="working_hours")
    call = Call(number="LD-IMPORT-1", received_at=t("2026-12-04 00:50"), channel="phone", caller_phone="13812345678",
                category="repair", summary="水管漏水", outcome="transferred", department=eng, agent=people["agent"],
                owner=people["agent"])
    services.call_registered(call=call, by=people["agent"])
    call.refresh_from_db()
    assert callback_rule(call) == ("working_hours", 20, cs.pk, t("2026-12-04 08:10"))
    assert rule(call) == ("working_hours", 20, cs.pk, t("2026-12-04 08:10"))


def test_a_corrected_receipt_time_moves_the_call_back_mark_on_its_own_rule(people, eng, cs):
    """Started on working time (00:50 → 08:10); the settings then go back to calendar time; the supervisor corrects
    the receipt to 00:30: 20 working minutes of 客服部 from 00:30 = 00:50 (before its 01:00 close)."""
    settings_set(people, repair_callback_unit="working_hours")
    call = repair_at(people, eng, t("2026-12-04 00:50"))
    settings_set(people)
    call = services.call_update(call=call, by=people["supervisor"], data={}, received_at=t("2026-12-04 00:30"))
    assert callback_rule(call) == ("working_hours", 20, cs.pk, t("2026-12-04 00:50"))


def test_a_calendar_edit_moves_running_call_clocks_with_a_trail(people, eng, cs):
    """A promised reply at 12-04 00:30 on 2 working hours of 客服部 is due 09:30. The manager then closes 客服部 on
    12-04 (an exception without hours): 00:30–01:00 still counts (12-03's span), the 90 minutes left start 12-05
    08:00: due 12-05 09:30. A reply on calendar time does not move."""
    from staff.calendars.services import calendar_exception_add
    from tickets.models import CallEvent

    settings_set(people, phone_reply_unit="working_hours")
    working = promise_at(people, t("2026-12-04 00:30"))
    settings_set(people)
    calendar = promise_at(people, t("2026-12-04 00:30"))
    assert (working.reply_due_at, calendar.reply_due_at) == (t("2026-12-04 09:30"), t("2026-12-04 02:30"))
    calendar_exception_add(by=people["manager"], department=cs, date=dt.date(2026, 12, 4), spans=[], note="停电检修")
    working.refresh_from_db()
    calendar.refresh_from_db()
    assert (working.reply_due_at, calendar.reply_due_at) == (t("2026-12-05 09:30"), t("2026-12-04 02:30"))
    note = CallEvent.objects.filter(call=working, kind="note").get()
    assert note.by == people["manager"]
    assert "2026-12-04 09:30 → 2026-12-05 09:30" in note.text
    assert not CallEvent.objects.filter(call=calendar, kind="note").exists()
