"""Scoring in the browser: an agent appeals a record on their card, a manager upholds it; the pages render."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    from staff import demo as staff_demo
    from staff.scoring import demo as scoring_demo

    staff_demo.load()
    scoring_demo.load()


def test_agent_appeals_and_manager_upholds(page, login, demo):
    from staff.models import Appeal

    Appeal.objects.all().delete()  # start from no appeal: the agent files it here
    login("agent")
    page.goto(page.base_url + "/staff/scores/")
    page.wait_for_selector("#records")
    page.screenshot(path="/tmp/scoring-card.png", full_page=True)
    score_before = page.inner_text("#card-score")
    page.locator("#records a.btn", has_text="").first.click()
    page.fill("#id_reason", "回访表当天已交给组长。")
    page.click("#file-appeal")
    page.wait_for_selector(".alert-success")
    assert Appeal.objects.filter(status="pending").count() == 1

    page.click("#nav-user")
    page.click("#logout-button")
    login("manager")
    page.goto(page.base_url + "/staff/scores/appeals/")
    page.check("#pending-appeals input[value=uphold]")
    page.fill("#pending-appeals input[name=reason]", "已核实组长签收记录。")
    page.click("#pending-appeals button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert Appeal.objects.get().status == "upheld"

    page.goto(page.base_url + "/staff/scores/month/")
    page.wait_for_selector("#cards")
    page.screenshot(path="/tmp/scoring-month.png", full_page=True)
    assert page.locator("#cards tbody tr").count() >= 10
    assert score_before != ""


def test_manager_edits_a_rule_and_sees_a_clear_error(page, login, demo):
    from staff.models import RuleSet

    fines = RuleSet.objects.get(code="fines")
    rule = fines.rules.get(code="conduct")
    login("manager")
    page.goto(page.base_url + f"/staff/scores/rules/{fines.pk}/rule/{rule.pk}/")
    page.fill("#id_tiers-1-first", "2")
    page.click("#save-rule")
    page.wait_for_selector(".formset-errors")
    page.screenshot(path="/tmp/scoring-rule.png", full_page=True)
    assert list(rule.tiers.order_by("first").values_list("first", flat=True)) == [1, 3, 5]
