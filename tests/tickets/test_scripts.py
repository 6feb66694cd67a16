"""Standard scripts: seeded defaults, the holiday variant by date, managers edit with a trail."""

import datetime as dt
import uuid

from django.urls import reverse

from django.utils import timezone

from staff.models import PublicDay
from tickets.models import IntakeSettings, Script
from tickets.selectors import scripts_for


def test_every_situation_of_the_regulations_is_seeded_in_chinese(db):
    assert set(Script.objects.values_list("kind", flat=True)) == set(Script.Kind.values)
    answer = Script.objects.get(kind="answer").text
    assert answer == "您好，XX客服中心，工号XXX为您服务，请问有什么可以帮您？"
    assert "这不是我的工作" in Script.objects.get(kind="forbidden").text
    assert IntakeSettings.objects.get().phone_reply_hours == 2


def test_the_holiday_answer_is_shown_on_the_calendar_s_holidays_only(db):
    """2026-10-07 is the last day of National Day (the shipped notice), 10-08 an ordinary Thursday; the scripts'
    old 国庆节 greeting moved onto those calendar days."""
    on = {s["kind"]: s for s in scripts_for(dt.date(2026, 10, 7))}
    off = {s["kind"]: s for s in scripts_for(dt.date(2026, 10, 8))}
    assert "国庆" in on["answer"]["text"]
    assert "国庆节" in on["answer"]["label"]
    assert off["answer"]["text"] == Script.objects.get(kind="answer").text


def test_the_spring_festival_greeting_is_answered_on_the_2026_spring_festival(db):
    answer = {s["kind"]: s for s in scripts_for(dt.date(2026, 2, 17))}["answer"]
    assert "拜年" in answer["text"]


def test_a_year_without_a_notice_has_no_holiday_greeting(db):
    """2027 is not in the shipped notices: its Spring Festival is not guessed."""
    answer = {s["kind"]: s for s in scripts_for(dt.date(2027, 2, 6))}["answer"]
    assert answer["text"] == Script.objects.get(kind="answer").text


def test_a_voided_holiday_changes_nothing(db):
    PublicDay.objects.filter(date=dt.date(2026, 10, 7)).update(voided_at=timezone.now(), void_reason="test")
    answer = {s["kind"]: s for s in scripts_for(dt.date(2026, 10, 7))}["answer"]
    assert answer["text"] == Script.objects.get(kind="answer").text


def test_the_intake_page_shows_the_scripts_and_forbidden_phrases(client_for):
    html = client_for("agent").get(reverse("tickets:intake")).content.decode()
    assert 'id="scripts-panel"' in html
    assert "请问还有什么可以帮您？" in html
    assert "我不知道。" in html


def test_a_manager_edits_a_script_with_a_trail(client_for):
    c = client_for("manager")
    script = Script.objects.get(kind="closing")
    response = c.post(reverse("tickets:script_edit", args=[script.pk]), {"text": "感谢来电，再见！", "active": "on"})
    assert response.status_code == 302
    script.refresh_from_db()
    assert script.text == "感谢来电，再见！"
    assert script.history.first().history_user == c.employee.user
    assert script.history.first().text == "感谢来电，再见！"


def test_an_empty_script_is_refused_on_the_form(client_for):
    c = client_for("manager")
    script = Script.objects.get(kind="closing")
    response = c.post(reverse("tickets:script_edit", args=[script.pk]), {"text": "", "active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    script.refresh_from_db()
    assert script.text == "感谢您的来电，祝您生活愉快，再见！"


def test_a_manager_changes_reply_times(client_for):
    c = client_for("manager")
    c.post(reverse("tickets:scripts"), {"form": "settings", "phone_reply_hours": 3, "email_reply_hours": 12,
                                        "remind_before_minutes": 15, "repair_callback_minutes": 30,
                                        "phone_reply_unit": "calendar", "email_reply_unit": "calendar",
                                        "repair_callback_unit": "calendar"})
    s = IntakeSettings.current()
    assert (s.phone_reply_hours, s.email_reply_hours, s.remind_before_minutes, s.repair_callback_minutes) == \
        (3, 12, 15, 30)
    assert IntakeSettings.objects.count() == 1


def test_manage_pages_render_for_a_manager(client_for):
    c = client_for("manager")
    assert c.get(reverse("tickets:scripts")).status_code == 200
    assert c.get(reverse("tickets:script_edit", args=[Script.objects.first().pk])).status_code == 200
    assert c.get(reverse("tickets:import")).status_code == 200
