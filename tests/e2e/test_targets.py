"""Browser: the manager's department targets page (the demo month against the demo targets) draws its 12-month
trend with Chart.js, and the targets pages pass axe (no serious or critical violation) in both languages; an
agent's "my month" shows their own figures."""

import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_the_department_page_draws_the_trend_and_the_targets_pages_pass_axe(demo, page, login):
    from staff.models import Employee

    found = []
    for language in ("en", "zh-hans"):
        Employee.objects.filter(user__username__in=["manager", "agent"]).update(language=language)
        login("manager")
        page.goto(page.base_url + "/targets/department/")
        page.wait_for_function("() => typeof Chart !== 'undefined' && "
                               "Chart.getChart(document.querySelector('canvas.js-chart')) !== undefined")
        assert page.locator("canvas.js-chart").count() == 2
        assert page.locator("#trend tbody tr").count() == 12
        assert page.locator("#department-row [data-figure='first_contact']").inner_text().strip() != ""
        for url in ("/targets/department/", "/targets/team/", "/targets/settings/", "/targets/my/"):
            page.goto(page.base_url + url)
            page.evaluate("() => { " + AXE + "\n; window.axe = axe; }")
            found += [f"{language} {url}: {v}" for v in page.evaluate(RUN_AXE)]
        page.context.clear_cookies()
    login("agent")
    page.goto(page.base_url + "/targets/my/")
    assert page.locator("#my-figures [data-figure]").count() == 6
    assert found == []
