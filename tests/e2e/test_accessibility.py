"""axe-core (vendored: tests/e2e/vendor/axe.min.js, from the npm registry) on every navigation page of every
demo role and on one detail page per record type, in Chinese and in English: no serious or critical
violation (issue 17; WCAG 2 AA: text contrast ≥ 4.5:1, names for controls, keyboard-reachable regions ...).

Fast on purpose: the demo data is loaded once, each role and language gets one browser context with one
login, and axe runs once per page and language: a page on the menus of several roles (notifications, my
attendance ...) is checked as the first of them (every role's own home page is checked)."""

import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin")
LANGUAGES = ("zh-hans", "en")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def detail_pages() -> dict:
    """{role: [url]}: one detail page per record type, each opened by a demo role that may read it."""
    from complaints.models import Complaint
    from knowledge.models import Article
    from lostfound.models import FoundItem, HandoverBatch, LostReport
    from quality.models import Inspection
    from staff.models import DutyLogEntry, Employee, LeaveRequest, RuleSet
    from tickets.models import Call, Customer

    def first(model, **filters):
        return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()

    manager = Employee.objects.get(user__username="manager")
    pages = {
        "agent": [f"/calls/{first(Call)}/", f"/calls/customers/{first(Customer)}/"],
        "manager": [f"/complaints/{first(Complaint)}/", f"/staff/attendance/leave/{first(LeaveRequest)}/",
                    f"/staff/scores/employee/{manager.pk}/", f"/staff/scores/rules/{first(RuleSet)}/"],
        "custodian": [f"/lostfound/items/{first(FoundItem)}/", f"/lostfound/reports/{first(LostReport)}/",
                      f"/lostfound/handovers/{first(HandoverBatch)}/"],
        "supervisor": [f"/staff/attendance/duty/{first(DutyLogEntry)}/",
                       f"/knowledge/{first(Article, versions__number=2) or first(Article)}/",
                       f"/quality/{first(Inspection, agent__supervisor__user__username='supervisor')}/"],
    }
    assert all("/None/" not in url for urls in pages.values() for url in urls), pages
    return pages


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_no_serious_or_critical_axe_violation_on_any_page_of_any_role_in_either_language(
        browser_instance, live_server, demo):
    from staff.models import Employee

    details = detail_pages()
    found, visited, checked = [], 0, {language: set() for language in LANGUAGES}
    for role in ROLES:
        for language in LANGUAGES:
            Employee.objects.filter(user__username=role).update(language=language)
            context = browser_instance.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
            context.set_default_timeout(15000)
            page = context.new_page()
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", role)
            page.fill("#id_password", "demo")
            page.click("#login-button")
            page.wait_for_selector("#nav-user")
            assert page.evaluate("document.documentElement.lang") == language
            links = page.eval_on_selector_all(
                "nav a[href^='/']", "els => [...new Set(els.map(e => e.getAttribute('href')))]")
            urls = [u for u in links if not u.startswith("/admin/")] + details.get(role, [])
            assert len(urls) > 3, (role, urls)
            for url in urls:
                if url != "/" and url in checked[language]:
                    continue
                checked[language].add(url)
                response = page.goto(live_server.url + url)
                assert response.status == 200, (role, url, response.status)
                page.evaluate("() => { " + AXE + "\n; window.axe = axe; }")
                found += [f"{role} {language} {url}: {v}" for v in page.evaluate(RUN_AXE)]
                visited += 1
            context.close()
    assert found == []
    assert visited > 60, visited
