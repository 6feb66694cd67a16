"""Standard scripts: seeded defaults, the holiday variant by date, managers edit with a trail."""

import datetime as dt
import uuid

from django.urls import reverse

from tickets.models import Holiday, IntakeSettings, Script
from tickets.selectors import scripts_for


def test_every_situation_of_the_regulations_is_seeded_in_chinese(db):
    assert set(Script.objects.values_list("kind", flat=True)) == set(Script.Kind.values)
    answer = Script.objects.get(kind="answer").text
    assert answer == "您好，XX客服中心，工号XXX为您服务，请问有什么可以帮您？"
    assert "这不是我的工作" in Script.objects.get(kind="forbidden").text
    assert IntakeSettings.objects.get().phone_reply_hours == 2


def test_the_holiday_answer_is_shown_on_its_dates_only(db):
    Holiday.objects.create(name="中秋节", start_date=dt.date(2027, 9, 15), end_date=dt.date(2027, 9, 17),
                           greeting="您好，XX客服中心祝您中秋快乐！")
    on = {s["kind"]: s for s in scripts_for(dt.date(2027, 9, 17))}
    off = {s["kind"]: s for s in scripts_for(dt.date(2027, 9, 18))}
    assert on["answer"]["text"] == "您好，XX客服中心祝您中秋快乐！"
    assert "中秋节" in on["answer"]["label"]
    assert off["answer"]["text"] == Script.objects.get(kind="answer").text


def test_the_seeded_spring_festival_variant(db):
    answer = {s["kind"]: s for s in scripts_for(dt.date(2027, 2, 6))}["answer"]
    assert "拜年" in answer["text"]


def test_an_inactive_holiday_changes_nothing(db):
    Holiday.objects.update(active=False)
    answer = {s["kind"]: s for s in scripts_for(dt.date(2027, 2, 6))}["answer"]
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


def test_a_manager_adds_a_holiday_and_bad_dates_are_refused(client_for):
    c = client_for("manager")
    n = Holiday.objects.count()
    bad = c.post(reverse("tickets:holiday_new"), {"form_token": str(uuid.uuid4()), "name": "清明节", "start_date": "2027-04-06",
                                                  "end_date": "2027-04-04", "greeting": "您好", "active": "on"})
    assert bad.status_code == 200 and bad.context["form"].errors["end_date"]
    assert Holiday.objects.count() == n
    ok = c.post(reverse("tickets:holiday_new"), {"form_token": str(uuid.uuid4()), "name": "清明节", "start_date": "2027-04-04",
                                                 "end_date": "2027-04-06", "greeting": "您好，清明安康", "active": "on"})
    assert ok.status_code == 302
    assert Holiday.objects.get(name="清明节").end_date == dt.date(2027, 4, 6)


def test_a_manager_changes_reply_times(client_for):
    c = client_for("manager")
    c.post(reverse("tickets:scripts"), {"form": "settings", "phone_reply_hours": 3, "email_reply_hours": 12,
                                        "remind_before_minutes": 15, "repair_callback_minutes": 30})
    s = IntakeSettings.current()
    assert (s.phone_reply_hours, s.email_reply_hours, s.remind_before_minutes, s.repair_callback_minutes) == \
        (3, 12, 15, 30)
    assert IntakeSettings.objects.count() == 1


def test_manage_pages_render_for_a_manager(client_for):
    c = client_for("manager")
    assert c.get(reverse("tickets:scripts")).status_code == 200
    assert c.get(reverse("tickets:holiday_new")).status_code == 200
    assert c.get(reverse("tickets:holiday_edit", args=[Holiday.objects.first().pk])).status_code == 200
    assert c.get(reverse("tickets:script_edit", args=[Script.objects.first().pk])).status_code == 200
    assert c.get(reverse("tickets:import")).status_code == 200
