"""Browser journeys of the complaint workflow; every user logs in as themselves (password "demo")."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from tests.factories import ComplaintCallFactory, DepartmentFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(transactional_db, make_employee):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    supervisor = make_employee("supervisor", user__username="li_supervisor", name="李秀梅")
    manager = make_employee("manager", user__username="wang_manager", name="王建国")
    agent = make_employee("agent", user__username="zhang_agent", name="张伟", supervisor=supervisor)
    handler = make_employee("handler", user__username="hu_handler", name="胡军", department=qa)
    qa.head = handler
    qa.save()
    return {"agent": agent, "supervisor": supervisor, "manager": manager, "handler": handler, "qa": qa}


def as_user(page, login, employee):
    page.context.clear_cookies()
    login(employee.user.username)


def stage(page):
    return page.get_attribute("#complaint-stage", "data-stage")


def open_complaint(page, complaint):
    page.goto(page.base_url + reverse("complaints:detail", args=[complaint.pk]))


def act(page, action):
    with page.expect_navigation():
        page.click(f"#action-{action}")


def analyse(page, action, severity="ordinary"):
    page.select_option("#id_analyse-severity", severity)
    page.fill("#id_analyse-cause", "包装不合格")
    act(page, action)


def assign(page):
    page.select_option("#id_assign-responsible_department", label="质量管理部")
    act(page, "assign")


def plan(page, action="submit_plan"):
    promised = timezone.localtime() + dt.timedelta(days=3)
    page.fill("#id_plan-findings", "抽检发现该批次包装强度不足")
    page.fill("#id_plan-action_immediate", "为客户补发商品")
    page.fill("#id_plan-promised_by", promised.strftime("%Y-%m-%dT%H:%M"))
    act(page, action)


def respond_and_revisit(page, attitude="4", result="4"):
    page.select_option("#id_respond-response_method", "phone")
    page.fill("#id_respond-response_text", "已致电客户道歉并说明处理结果")
    act(page, "respond")
    assert stage(page) == "revisit"
    page.select_option("#id_revisit-satisfaction_attitude", attitude)
    page.select_option("#id_revisit-satisfaction_result", result)
    act(page, "revisit")


def close(page):
    page.fill("#id_close-closing_note", "处理完毕")
    page.select_option("#id_close-fault_level", "none")
    act(page, "close")


def register_directly(page, content):
    page.goto(page.base_url + reverse("complaints:create"))
    page.fill("#id_complainant_name", "陈先生")
    page.fill("#id_complainant_phone", "13600002222")
    page.select_option("#id_against_department", label="质量管理部")
    page.fill("#id_content", content)
    with page.expect_navigation():
        page.click("#complaint-save")
    page.wait_for_selector("#complaint-number")
    return Complaint.objects.get(content=content)


def test_journey_from_a_call_to_closed(page, login, team):
    call = ComplaintCallFactory(agent=team["agent"])
    # the agent opens the complaint from the call
    as_user(page, login, team["agent"])
    page.goto(page.base_url + reverse("complaints:create_from_call", args=[call.pk]))
    assert page.input_value("#id_complainant_name") == "林女士"
    page.select_option("#id_against_department", label="质量管理部")
    page.click("#complaint-save")
    page.wait_for_selector("#complaint-number")
    complaint = Complaint.objects.get()
    call.refresh_from_db()
    assert (complaint.source_call_id, call.outcome) == (call.pk, "complaint")
    assert stage(page) == "analyse"
    assert page.locator("#action-approve").count() == 0
    # the supervisor analyses and assigns
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    analyse(page, "uphold")
    assert stage(page) == "assign"
    assign(page)
    assert stage(page) == "plan"
    # the handler plans
    as_user(page, login, team["handler"])
    page.goto(page.base_url + reverse("complaints:department"))
    page.click(f"text={complaint.number}")
    plan(page)
    assert stage(page) == "approve"
    # the supervisor approves
    as_user(page, login, team["supervisor"])
    page.goto(page.base_url + reverse("complaints:approvals"))
    page.click(f"text={complaint.number}")
    act(page, "approve")
    assert stage(page) == "respond"
    # the agent responds and revisits (满意)
    as_user(page, login, team["agent"])
    open_complaint(page, complaint)
    respond_and_revisit(page, "4", "4")
    assert stage(page) == "close"
    # the supervisor closes it
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    close(page)
    assert stage(page) == "closed"
    page.screenshot(path="/tmp/complaints-detail.png", full_page=True)
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", flat=True)) == [
        "receive", "uphold", "assign", "submit_plan", "approve", "respond", "revisit", "close"]
    assert page.locator("#timeline .timeline-item").count() == 8
    page.goto(page.base_url + reverse("complaints:print", args=[complaint.pk]))
    page.screenshot(path="/tmp/complaints-print.png", full_page=True)


def test_journey_major_complaint_sent_back_then_approved_twice(page, login, team):
    as_user(page, login, team["agent"])
    complaint = register_directly(page, "奶粉批次不合格，要求赔偿医药费")
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    analyse(page, "uphold", severity="major")
    assign(page)
    as_user(page, login, team["handler"])
    open_complaint(page, complaint)
    plan(page)
    assert stage(page) == "approve"
    # first the supervisor sends the plan back with a reason
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    assert page.locator("#action-approve").count() == 0  # a major plan goes on to the manager
    page.screenshot(path="/tmp/complaints-approve.png", full_page=True)
    page.fill("#id_decision-comment", "请补充检测报告")
    act(page, "send_back")
    assert stage(page) == "plan"
    as_user(page, login, team["handler"])
    open_complaint(page, complaint)
    plan(page)
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    act(page, "approve_first")
    assert stage(page) == "manager_approve"
    assert page.locator("#action-approve_final").count() == 0
    # the manager gives the second approval
    as_user(page, login, team["manager"])
    page.goto(page.base_url + reverse("complaints:approvals"))
    page.screenshot(path="/tmp/complaints-queue.png", full_page=True)
    page.click(f"text={complaint.number}")
    act(page, "approve_final")
    assert stage(page) == "respond"
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", "comment")) == [
        ("receive", ""), ("uphold", ""), ("assign", ""), ("submit_plan", ""), ("send_back", "请补充检测报告"),
        ("submit_plan", ""), ("approve_first", ""), ("approve_final", "")]


def test_journey_not_upheld_on_the_short_path(page, login, team):
    as_user(page, login, team["agent"])
    complaint = register_directly(page, "要求退回已拆封使用的护肤品")
    analyse(page, "reject")
    assert stage(page) == "respond"
    respond_and_revisit(page, "3", "3")
    assert stage(page) == "close"
    as_user(page, login, team["supervisor"])
    open_complaint(page, complaint)
    close(page)
    assert stage(page) == "closed"
    complaint.refresh_from_db()
    assert (complaint.upheld, complaint.responsible_department_id, complaint.fault_level) == (False, None, "none")
    page.goto(page.base_url + reverse("complaints:statistics"))
    page.wait_for_selector("#stat-total")
    page.screenshot(path="/tmp/complaints-statistics.png", full_page=True)
    assert page.inner_text("#stat-total") == "1"
