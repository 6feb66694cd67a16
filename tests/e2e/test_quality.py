"""Quality inspection in the browser: a supervisor scores a drawn call with a failed item and records it as a
violation, the agent appeals; the pages have no serious or critical axe violation."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def drawn(transactional_db):
    from quality import demo as quality_demo
    from quality.services.draws import draw_month
    from staff import demo as staff_demo
    from staff.models import Employee

    staff_demo.load()
    month = quality_demo._last_month()
    quality_demo._calls(month, {e.employee_no: e for e in Employee.objects.filter(employee_no__in=["CS101", "CS102"])})
    draw_month(month=month, by=Employee.objects.get(employee_no="CS001"))
    return month


def _axe(page) -> list:
    page.evaluate("() => { " + AXE + "\n; window.axe = axe; }")
    return page.evaluate(RUN_AXE)


def test_supervisor_scores_records_a_violation_and_the_agent_appeals(page, login, drawn):
    from quality.models import Inspection
    from staff.models import ManualEntry

    found = []
    login("supervisor")
    page.goto(page.base_url + "/quality/")
    page.wait_for_selector("#inspections")
    found += _axe(page)
    page.locator("#inspections a", has_text="LD-").first.click()
    page.wait_for_selector("#score-form")
    found += _axe(page)
    inputs = page.locator("#score-form input[type=number]")
    for i in range(inputs.count()):
        inputs.nth(i).fill(inputs.nth(i).get_attribute("max"))
    inputs.nth(1).fill("3")  # 语言规范 3/15: failed
    page.click("#score-form button[type=submit]")
    page.wait_for_selector(".alert-danger")  # a failed item needs a comment
    page.locator("#score-form input[name^=comment_]").nth(1).fill("多次打断客户")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.locator("#items button", has_text="").first.click()
    page.wait_for_selector(".violation")
    page.screenshot(path="/tmp/quality-detail.png", full_page=True)
    inspection = Inspection.objects.get(state="scored")
    assert inspection.total == 88 and ManualEntry.objects.get().employee == inspection.agent

    page.click("#nav-user")
    page.click("#logout-button")
    login(inspection.agent.user.username)
    page.goto(page.base_url + "/quality/mine/")
    page.wait_for_selector("#inspections")
    found += _axe(page)
    page.locator("#inspections a", has_text=inspection.call.number).click()
    page.fill("#appeal-reason", "客户多次插话，我是在确认信息。")
    page.click("button[data-workflow-action=appeal]")
    page.wait_for_selector(".alert-success")
    inspection.refresh_from_db()
    assert inspection.state == "appealed"

    page.click("#nav-user")
    page.click("#logout-button")
    login("manager")
    page.goto(page.base_url + "/quality/settings/")
    page.wait_for_selector("#checklist-form")
    found += _axe(page)
    assert found == []
