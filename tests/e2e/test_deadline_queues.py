"""Issue 17 in Chromium: a work list's deadline column (words, colours by computed style, soonest first) and the
complaint page's next-step panel (record first, the moves of this user, withdraw folded away, the revisit form
warning before a dissatisfied answer reopens the complaint)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import ClockKind, ComplaintClock
from tests.factories import ComplaintFactory, DepartmentFactory

pytestmark = pytest.mark.e2e

H = dt.timedelta(hours=1)
RED_BG, AMBER_BG, NO_BG = "rgb(248, 215, 218)", "rgb(255, 243, 205)", "rgba(0, 0, 0, 0)"


@pytest.fixture
def team(transactional_db, make_employee):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    supervisor = make_employee("supervisor", user__username="li_supervisor", name="李秀梅")
    agent = make_employee("agent", user__username="zhang_agent", name="张伟", supervisor=supervisor)
    return {"agent": agent, "supervisor": supervisor, "qa": qa}


def complaint(team, stage, name, *clocks):
    c = ComplaintFactory(stage=stage, agent=team["agent"], complainant_name=name, against_department=team["qa"],
                         responsible_department=team["qa"] if stage not in ("analyse", "assign") else None)
    for kind, started, due in clocks:
        ComplaintClock.objects.create(complaint=c, kind=kind, started_at=started, due_at=due)
    return c


def as_user(page, login, employee):
    page.context.clear_cookies()
    login(employee.user.username)


def test_my_complaints_show_deadlines_in_words_and_colour_soonest_first(page, login, team):
    now = timezone.now()
    fine = complaint(team, "plan", "周先生", (ClockKind.DEPT_REPORT, now - H, now + 30 * H))
    amber = complaint(team, "plan", "吴女士", (ClockKind.DEPT_REPORT, now - 40 * H, now + H + 30 * dt.timedelta(minutes=1)))
    red = complaint(team, "plan", "郑先生", (ClockKind.DEPT_REPORT, now - 51 * H, now - 3 * H))
    as_user(page, login, team["agent"])

    page.goto(page.base_url + reverse("complaints:mine"))

    rows = page.locator("#complaint-list tbody tr")
    assert [rows.nth(i).get_attribute("data-complaint") for i in range(3)] == [red.number, amber.number, fine.number]
    cells = [rows.nth(i).locator(".deadline") for i in range(3)]
    assert [cell.get_attribute("data-deadline-level") for cell in cells] == ["overdue", "soon", "ok"]
    assert [cell.evaluate("el => getComputedStyle(el).backgroundColor") for cell in cells] == [RED_BG, AMBER_BG, NO_BG]
    assert cells[0].locator(".deadline-text").inner_text().strip() == "overdue 3 h"
    assert cells[1].locator(".deadline-text").inner_text().strip().startswith("due in 1 h ")
    assert cells[2].locator(".deadline-text").inner_text().strip().startswith("due in 1 d ")
    assert page.locator("#badge-caption").inner_text().strip().startswith(
        "The number beside this list in the menu counts: Open complaints you registered.")


def test_the_next_step_panel_follows_the_record_and_offers_this_users_moves(page, login, team):
    c = complaint(team, "approve", "钱女士", (ClockKind.CLOSE, timezone.now() - H, timezone.now() + 100 * H))
    as_user(page, login, team["supervisor"])

    page.goto(page.base_url + reverse("complaints:detail", args=[c.pk]))

    panel = page.locator("#next-step")
    record = page.locator(".card-header", has_text="Complaint record")
    assert record.bounding_box()["y"] < panel.bounding_box()["y"]
    buttons = panel.locator(".card-body button[data-workflow-action]")
    assert sorted(buttons.nth(i).get_attribute("value") for i in range(buttons.count())) == [
        "agree_next_reply", "approve", "pause", "send_back"]  # pause: REGULATIONS §9 (a supervisor may)
    assert not page.locator("#action-withdraw").is_visible()  # folded away: a small secondary action
    page.click("#card-withdraw summary")
    assert page.locator("#action-withdraw").is_visible()
    assert "btn-sm" in page.get_attribute("#action-withdraw", "class")


def test_the_revisit_form_warns_before_a_dissatisfied_answer_reopens_the_complaint(page, login, team):
    c = complaint(team, "revisit", "孙先生", (ClockKind.REVISIT, timezone.now() - H, timezone.now() + 160 * H))
    as_user(page, login, team["agent"])
    page.goto(page.base_url + reverse("complaints:detail", args=[c.pk]))
    warning = page.locator("#revisit-reopen-warning")
    page.select_option("#id_revisit-satisfaction_attitude", "4")
    page.select_option("#id_revisit-satisfaction_result", "4")
    assert not warning.is_visible()

    page.select_option("#id_revisit-satisfaction_result", "2")

    assert warning.is_visible()
    assert "reopens the complaint at the department's plan" in warning.inner_text()
