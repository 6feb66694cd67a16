"""Issue 17, layout in Chromium: the team grid's totals fit a 1366 px screen, the scores page's buttons do not
wrap, the month calendar does not scroll sideways at 390 px, the English navbar shows its brand at 1366 px."""

import io

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", "--force", stdout=io.StringIO())


def open_as(browser, live_server, role, language, width):
    from staff.models import Employee

    Employee.objects.filter(user__username=role).update(language=language)
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", "demo")
    page.click("#login-button")
    page.wait_for_selector("#nav-user", state="attached")
    return context, page


def right_edge(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().right")


def test_layouts_at_laptop_and_phone_widths(browser_instance, live_server, demo):
    # the team grid at 1366 px: every total column on the screen, nothing scrolled away
    context, page = open_as(browser_instance, live_server, "supervisor", "en", 1366)
    page.goto(live_server.url + "/staff/attendance/team/")
    last_total = "#team-totals thead th:last-child"
    assert page.locator("#team-totals thead th").count() == 17  # the employee and 16 totals
    assert right_edge(page, last_total) <= 1366
    assert page.evaluate("(() => { const b = document.querySelector('#team-totals').parentElement;"
                         " return b.scrollWidth <= b.clientWidth; })()")
    assert right_edge(page, "#team-grid thead th:last-child") <= 1366
    # the English navbar keeps its brand on one line
    brand = page.locator(".navbar-brand .brand-text")
    assert brand.is_visible() and brand.bounding_box()["width"] > 50
    assert page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height") < 70
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366
    context.close()

    # the scores page: "显示" and "打印" each on one line
    context, page = open_as(browser_instance, live_server, "agent", "zh-hans", 1366)
    page.goto(live_server.url + "/staff/scores/")
    for selector in ("#month-show", ".js-print"):
        box = page.locator(selector).first
        line = page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).lineHeight)", selector)
        assert box.bounding_box()["height"] < 2 * line, selector
    context.close()

    # the month calendar on a phone: no sideways scroll, Sunday on the screen
    for language in ("zh-hans", "en"):
        context, page = open_as(browser_instance, live_server, "agent", language, 390)
        page.goto(live_server.url + "/staff/attendance/my/")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        assert page.evaluate("(() => { const b = document.querySelector('.att-cal').parentElement;"
                             " return b.scrollWidth <= b.clientWidth; })()"), language
        assert right_edge(page, ".att-cal thead th:last-child") <= 390
        context.close()
