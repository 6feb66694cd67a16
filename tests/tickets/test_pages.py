"""Pages render for the roles that use them; nav entries and the home panel."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import CallFactory, CustomerPhoneFactory, DepartmentFactory
from tickets import services


def test_nav_entries_by_role(client_for):
    agent_html = client_for("agent").get(reverse("home")).content.decode()
    assert reverse("tickets:intake") in agent_html and reverse("tickets:list") in agent_html
    assert reverse("tickets:customers") in agent_html
    assert reverse("tickets:scripts") not in agent_html
    assert reverse("tickets:department_queue") not in agent_html
    manager_html = client_for("manager").get(reverse("home")).content.decode()
    assert reverse("tickets:scripts") in manager_html and reverse("tickets:import") in manager_html
    handler_html = client_for("handler").get(reverse("home")).content.decode()
    assert reverse("tickets:department_queue") in handler_html
    assert reverse("tickets:intake") not in handler_html


def test_handler_nav_badge_counts_calls_waiting_for_the_department(client_for, settings):
    settings.LANGUAGE_CODE = "en"  # the badge's caption is asserted in English
    qa = DepartmentFactory(name="质量管理部", code="QA")
    for _ in range(3):
        CallFactory(outcome="transferred", department=qa, status="open", reply_due_at=timezone.now())
    c = client_for("handler", department=qa)
    html = c.get(reverse("home")).content.decode()
    assert 'bi-inbox"></i> ' in html
    caption = "Calls transferred to your department that wait for its reply"
    assert (f'<span class="badge rounded-pill text-bg-danger" title="{caption}">3'
            f'<span class="visually-hidden"> ({caption})</span></span>') in html


def test_home_panel_lists_my_open_calls_and_due_times(client_for):
    c = client_for("agent")
    mine = CallFactory(agent=c.employee, outcome="reply_promised", status="open", summary="我的待回复",
                       reply_due_at=timezone.now() + dt.timedelta(minutes=40))
    CallFactory(outcome="reply_promised", status="open", summary="别人的", reply_due_at=timezone.now())
    html = c.get(reverse("home")).content.decode()
    assert 'id="widget-my-calls"' in html
    assert mine.number in html and "我的待回复" in html and "别人的" not in html


def test_call_detail_shows_fields_events_trail_and_customer_link(client_for):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000")
    call = services.call_create(by=c.employee, data={"valid": True, "summary": "热水器不出热水", "caller_phone": "13800138000",
                                                     "details": "客户下午在家"})
    services.call_add_note(call=call, by=c.employee, text="已联系工程部")
    html = c.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    for text in ("热水器不出热水", "客户下午在家", "已联系工程部", 'id="call-trail"', 'id="customer-link"',
                 'id="edit-call"'):
        assert text in html
    assert "<script>" not in html and "onclick" not in html


def test_edit_page_renders_for_the_owner(client_for):
    c = client_for("agent")
    call = CallFactory(agent=c.employee)
    response = c.get(reverse("tickets:edit", args=[call.pk]))
    assert response.status_code == 200
    assert response.context["form"].fields["received_at"].disabled


def test_customer_pages_render(client_for):
    c = client_for("agent")
    phone = CustomerPhoneFactory(number="13800138000")
    assert c.get(reverse("tickets:customers")).status_code == 200
    assert c.get(reverse("tickets:customer_detail", args=[phone.customer.pk])).status_code == 200
    assert c.get(reverse("tickets:customer_edit", args=[phone.customer.pk])).status_code == 200


def test_customer_detail_runs_a_fixed_number_of_queries(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for("agent")
    counts = []
    for n in (1, 20):
        phone = CustomerPhoneFactory()
        for _ in range(n):
            CallFactory(customer=phone.customer, caller_phone=phone.number)
        url = reverse("tickets:customer_detail", args=[phone.customer.pk])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            c.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_department_queue_runs_a_fixed_number_of_queries(client_for, django_assert_num_queries):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    c = client_for("handler", department=qa)
    counts = []
    for n in (1, 20):
        for _ in range(n):
            CallFactory(outcome="transferred", department=qa, status="open", reply_due_at=timezone.now())
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        c.get(reverse("tickets:department_queue"))
        with CaptureQueriesContext(connection) as ctx:
            c.get(reverse("tickets:department_queue"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_numbers_are_shown_grouped_for_reading(client_for):
    c = client_for("agent")
    call = CallFactory(caller_phone="13800138000")
    assert "138 0013 8000" in c.get(reverse("tickets:list")).content.decode()
    assert "138 0013 8000" in c.get(reverse("tickets:detail", args=[call.pk])).content.decode()
