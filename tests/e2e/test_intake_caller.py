"""Intake around the caller (issue 17), in Chromium: a recognised number fills the caller's name, form of address and
organisation; Alt+A starts the call as "called again" about the caller's newest open call, and saving logs the new
call linked both ways; a refused save puts the cursor on the first field with an error and keeps every value; the
phone field reaches 保存来电 in at most 15 Tab stops; on a 390 px screen the history shows right under the number
and nothing scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CallFactory, CustomerPhoneFactory
from tickets.models import Call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13800138000"


def _returning_caller(agent):
    CustomerPhoneFactory(number=PHONE, customer__name="陈建华", customer__address_form="mr",
                         customer__organisation="东方物业")
    return CallFactory(caller_phone=PHONE, caller_name="陈建华", summary="电梯异响，待工程部回复", agent=agent,
                       owner=agent, status="open", outcome="reply_promised",
                       received_at=timezone.now() - dt.timedelta(hours=3),
                       reply_due_at=timezone.now() + dt.timedelta(hours=1))


def _tab_stops_to_save(page) -> int:
    page.focus("#id_caller_phone")
    seen = []
    for stops in range(1, 41):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if seen[-1] == "save-call":
            return stops
    raise AssertionError(seen)


def test_a_returning_caller_fills_the_form_and_called_again_links_the_new_call(page, login, make_employee):
    agent = make_employee("agent", "supervisor", name="张伟")  # a supervisor may also open the complaint
    earlier = _returning_caller(agent)
    login(agent.user.username)

    page.goto(page.base_url + "/calls/new/")
    page.wait_for_selector("#id_caller_phone:focus")
    assert "Alt" in page.inner_text("#intake-keys") and "called again" in page.inner_text("#intake-keys")
    page.keyboard.type("138 0013 8000")
    page.wait_for_selector("#history-customer")
    page.wait_for_function("document.getElementById('id_caller_name').value === '陈建华'")
    assert page.input_value("#id_address_form") == "mr"
    assert page.input_value("#id_organisation") == "东方物业"
    assert earlier.number in page.inner_text("#called-again")

    page.keyboard.press("Alt+a")  # called again about the newest open call
    page.wait_for_selector("#again-banner")
    page.screenshot(path="/tmp/intake-1366.png", full_page=True)
    assert earlier.number in page.inner_text("#again-banner")
    assert page.input_value("#id_caller_phone") == PHONE
    assert page.input_value("#id_caller_name") == "陈建华"  # still filled, and editable
    assert page.input_value("#id_summary").startswith(f"Called again about {earlier.number}")
    assert page.evaluate("document.activeElement.id") == "id_caller_phone"
    stops = _tab_stops_to_save(page)
    assert stops <= 15, stops  # counted with the keyboard, as an agent moves

    page.fill("#id_caller_name", "陈建华先生")  # editable: what the agent types is saved
    page.select_option("#id_valid", "1")
    page.click("#save-call")
    page.wait_for_selector(".alert-success")
    new = Call.objects.exclude(pk=earlier.pk).get()
    assert (new.again_kind, new.again_pk, new.again_number) == ("call", earlier.pk, earlier.number)
    assert (new.caller_name, new.address_form, new.organisation) == ("陈建华先生", "mr", "东方物业")

    page.goto(page.base_url + f"/calls/{earlier.pk}/")  # a link on both
    assert new.number in page.inner_text("#again-calls")
    page.click(f"#again-calls >> text={new.number}")
    page.wait_for_selector("#again-of")
    assert earlier.number in page.inner_text("#again-of")

    # a complaint opened from a call arrives with the complainant's name
    complaint_call = CallFactory(caller_phone=PHONE, caller_name="陈建华", category="complaint", agent=agent,
                                 owner=agent)
    page.goto(page.base_url + f"/complaints/new/from-call/{complaint_call.pk}/")
    assert page.input_value("#id_complainant_name") == "陈建华"


def test_a_refused_save_focuses_the_first_error_and_keeps_every_value(page, login, make_employee):
    agent = make_employee("agent", name="李娜")
    login(agent.user.username)
    page.goto(page.base_url + "/calls/new/")
    assert page.inner_text("#id_department option >> nth=0") != "---------"
    received = page.input_value("#id_received_at")
    assert received
    page.fill("#id_caller_phone", "139 1234 5678")
    page.fill("#id_caller_name", "王女士")
    page.select_option("#id_valid", "1")
    page.fill("#id_details", "问停车收费")  # the summary is left empty
    page.select_option("#id_outcome", "reply_promised")
    page.fill("#id_reply_due_at", "23:59")
    page.click("#save-call")
    page.wait_for_selector("#id_summary.is-invalid")
    assert page.evaluate("document.activeElement.id") == "id_summary"
    assert page.input_value("#id_caller_phone") == "139 1234 5678"
    assert page.input_value("#id_caller_name") == "王女士"
    assert page.input_value("#id_details") == "问停车收费"
    assert page.input_value("#id_outcome") == "reply_promised"
    assert page.input_value("#id_reply_due_at") == "23:59"
    assert page.input_value("#id_received_at") != ""  # received-at does not come back empty
    assert Call.objects.count() == 0


def test_on_a_390px_screen_the_history_shows_right_under_the_number(browser_instance, live_server, make_employee):
    agent = make_employee("agent", name="王芳")
    earlier = _returning_caller(agent)
    context = browser_instance.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                           device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", agent.user.username)
        page.fill("#id_password", "demo")
        page.click("#login-button")
        page.wait_for_selector("#nav-user", state="attached")
        page.goto(live_server.url + "/calls/new/")
        page.fill("#id_caller_phone", "138 0013 8000")
        page.dispatch_event("#id_caller_phone", "input")
        page.wait_for_selector(f"#history-items >> text={earlier.number}")
        phone = page.locator("#id_caller_phone").bounding_box()
        history = page.locator("#history-panel").bounding_box()
        assert history["y"] > phone["y"]
        assert history["y"] - (phone["y"] + phone["height"]) < 150  # right under the number, not ~1,900 px below
        assert history["y"] < 844  # within the first screen
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/intake-390.png", full_page=True)
    finally:
        context.close()
