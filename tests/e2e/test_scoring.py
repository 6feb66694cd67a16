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
    from staff.models import Appeal, AppealEvent

    AppealEvent.objects.all().delete()  # (an appeal's trail protects it)
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
    page.screenshot(path="/tmp/scoring-appeals.png", full_page=True)
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
    page.goto(page.base_url + f"/staff/scores/rules/{fines.pk}/")
    page.screenshot(path="/tmp/scoring-ruleset.png", full_page=True)
    assert list(rule.tiers.order_by("first").values_list("first", flat=True)) == [1, 3, 5]


def test_supervisor_records_a_violation_with_evidence(page, login, demo, tmp_path):
    from staff.models import Employee, ManualEntry, PenaltyRecord
    from tests.staff.scoring.test_services import PNG

    photo = tmp_path / "evidence.png"
    photo.write_bytes(PNG)
    agent = Employee.objects.get(employee_no="CS104")
    login("supervisor")
    page.goto(page.base_url + "/staff/scores/manual/new/")
    page.select_option("#id_employee", str(agent.pk))
    page.select_option("#id_category", label="当日工作未完成")
    page.fill("#id_note", "周报未按时提交。")
    page.set_input_files("#id_evidence", str(photo))
    page.click("#save-entry")
    page.wait_for_selector("#manual-entries")
    page.screenshot(path="/tmp/scoring-manual.png", full_page=True)
    entry = ManualEntry.objects.get(note="周报未按时提交。")
    assert (entry.employee, entry.recorded_by.employee_no, bool(entry.evidence)) == (agent, "CS002", True)
    assert PenaltyRecord.objects.filter(source=entry.source).count() == 1
