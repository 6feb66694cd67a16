"""An agent takes a call from a returning customer with the keyboard only."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CallFactory, CustomerPhoneFactory
from tickets.models import Call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_sees_the_earlier_call_and_logs_a_new_one_with_the_keyboard(page, login, make_employee):
    agent = make_employee("agent", name="张伟")
    CustomerPhoneFactory(number="13800138000", customer__name="陈建华", customer__tags=["VIP"])
    earlier = CallFactory(caller_phone="13800138000", summary="上次咨询会员积分", agent=agent,
                          received_at=timezone.now() - dt.timedelta(days=2))
    login(agent.user.username)

    page.goto(page.base_url + "/calls/new/")
    page.wait_for_selector("#id_caller_phone:focus")
    page.keyboard.type("138 0013 8000")
    page.wait_for_selector(f"#history-items >> text={earlier.number}")
    assert "上次咨询会员积分" in page.inner_text("#history-panel")
    assert "VIP" in page.inner_text("#history-panel")
    page.screenshot(path="/tmp/tickets-intake.png", full_page=True)

    # the recognised number filled the caller's name from the profile (issue 17): the agent tabs past it
    page.wait_for_function("document.getElementById('id_caller_name').value === '陈建华'")
    page.keyboard.press("Tab")  # caller name (filled)
    page.keyboard.press("Tab")  # form of address
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("东方物业")  # organisation
    for _ in range(2):  # the folded channel/direction/importance/urgency, valid call
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_valid"
    page.keyboard.press("ArrowDown")  # 有效: an existing customer's enquiry about the points shop … valid
    for _ in range(2):  # category, (received at is read-only), summary
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_summary"
    page.keyboard.type("再次咨询积分兑换")
    page.keyboard.press("Tab")
    page.keyboard.type("客户询问积分能否兑换礼品")
    page.keyboard.press("Tab")  # outcome
    page.keyboard.press("Tab")  # department
    page.keyboard.press("Tab")  # reply due: one box
    assert page.evaluate("document.activeElement.id") == "id_reply_due_at"
    page.keyboard.press("Enter")

    page.wait_for_selector(".alert-success")
    new = Call.objects.exclude(pk=earlier.pk).get()
    assert (new.caller_phone, new.caller_name, new.summary) == ("13800138000", "陈建华", "再次咨询积分兑换")
    assert new.owner == agent
    assert new.valid is True
    assert new.number in page.inner_text(".alert-success")
    assert page.input_value("#id_caller_phone") == ""  # a fresh form for the next call
    assert page.evaluate("document.activeElement.id") == "id_caller_phone"

    page.goto(page.base_url + "/calls/")
    page.wait_for_selector(f"#call-table >> text={new.number}")
    rows = page.inner_text("#call-table")
    assert rows.index(new.number) < rows.index(earlier.number)  # newest first
    page.screenshot(path="/tmp/tickets-list.png", full_page=True)

    page.click(f"text={new.number}")
    page.wait_for_selector("#call-trail")
    page.screenshot(path="/tmp/tickets-detail.png", full_page=True)
    page.click("#customer-link")
    page.wait_for_selector("#customer-timeline")
    timeline = page.inner_text("#customer-timeline")
    assert timeline.index(new.number) < timeline.index(earlier.number)
    page.screenshot(path="/tmp/tickets-customer.png", full_page=True)


def test_going_back_and_resubmitting_does_not_create_a_second_call(page, login, make_employee):
    agent = make_employee("agent")
    login(agent.user.username)
    page.goto(page.base_url + "/calls/new/")
    page.fill("#id_caller_phone", "13912345678")
    page.fill("#id_summary", "只保存一次")
    page.select_option("#id_valid", "1")
    token = page.input_value("input[name=form_token]")
    page.press("#id_summary", "Enter")
    page.wait_for_selector(".alert-success")
    # the same form posted again (what a browser resubmit does)
    response = page.request.post(page.base_url + "/calls/new/", form={
        "form_token": token, "caller_phone": "13912345678", "summary": "只保存一次", "channel": "phone",
        "direction": "in", "category": "enquiry", "importance": "normal", "urgency": "normal",
        "outcome": "resolved", "valid": "1", "csrfmiddlewaretoken": page.evaluate(
            "document.querySelector('input[name=csrfmiddlewaretoken]').value")},
        headers={"Referer": page.base_url + "/calls/new/"})
    assert response.ok
    assert Call.objects.filter(summary="只保存一次").count() == 1


def test_a_department_handler_records_a_reply_from_the_queue(page, login, make_employee):
    from tests.factories import DepartmentFactory

    qa = DepartmentFactory(name="质量管理部", code="QA")
    owner = make_employee("agent", name="张伟")
    handler = make_employee("handler", department=qa, name="胡军")
    call = CallFactory(agent=owner, outcome="transferred", department=qa, status="open", category="complaint",
                       summary="新买电饭煲内胆掉漆", reply_due_at=timezone.now() + dt.timedelta(hours=2))
    login(handler.user.username)
    page.goto(page.base_url + "/calls/department/")
    page.wait_for_selector(f"#queue >> text={call.number}")
    page.screenshot(path="/tmp/tickets-queue.png", full_page=True)
    page.click(f"text={call.number}")
    page.fill("#reply-form textarea", "已抽检同批次产品，确认涂层工艺问题，同意换货。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#call-events >> text=已抽检同批次产品")
    call.refresh_from_db()
    assert call.department_replied_at is not None
    page.screenshot(path="/tmp/tickets-reply.png", full_page=True)
