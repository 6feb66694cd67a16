"""Browser: an agent logs in, sees the home page, switches to 中文, sees Chinese labels, logs out."""

import pytest

from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_logs_in_switches_to_chinese_and_logs_out(page, login):
    EmployeeFactory(user__username="agent", name="张伟", roles=["agent"])
    login("agent")
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("#nav-user").inner_text().strip() == "张伟"
    page.screenshot(path="/tmp/e2e-home-en.png", full_page=True)

    page.select_option("#nav-language", "zh-hans")  # the form submits itself (static/js/app.js)
    page.wait_for_selector("h1:text('我的工作')")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "退出登录" in page.locator("#logout-button").inner_text()
    page.screenshot(path="/tmp/e2e-home-zh.png", full_page=True)

    page.click("#nav-user")
    page.click("#logout-button")
    page.wait_for_selector("#login-button")
    assert page.url.endswith("/accounts/login/")
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url


def test_alt_n_opens_a_new_call_from_any_page(page, login):
    EmployeeFactory(user__username="agent", name="张伟", roles=["agent"])
    login("agent")
    page.goto(page.base_url + "/staff/notifications/")
    page.keyboard.press("Alt+n")
    page.wait_for_url("**/calls/new/")
    assert page.locator("#id_caller_phone").is_visible()
