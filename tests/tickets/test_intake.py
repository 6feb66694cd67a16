"""Logging a call: defaults, outcomes, the one-time token, the customer profile, query counts."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.models import Notification
from tests.factories import CallFactory, CustomerPhoneFactory
from tickets import services
from tickets.models import Call, CallEvent, Customer, CustomerPhone

URL = reverse("tickets:intake")


def post(client, data, token=None):
    return client.post(URL, {**data, "form_token": str(token or uuid.uuid4())})


def test_intake_page_has_a_fresh_token_and_defaults(client_for):
    c = client_for("agent")
    response = c.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert uuid.UUID(str(form["form_token"].value())).version == 4
    assert form["channel"].value() == "phone"
    assert form["direction"].value() == "in"
    assert form.fields["received_at"].disabled  # agents cannot change it
    html = response.content.decode()
    assert 'hx-get="/calls/new/history/"' in html
    assert "<script>" not in html and "onclick" not in html


def test_saving_a_call_stores_normalised_phone_owner_and_number(client_for, intake_data):
    c = client_for("agent")
    before = timezone.now()
    response = post(c, intake_data(caller_phone="+86 138-0013-8000"))
    assert response.status_code == 302
    assert response["Location"] == URL  # a fresh form for the next call
    call = Call.objects.get()
    assert call.caller_phone == "13800138000"
    assert call.agent == c.employee and call.owner == c.employee
    assert call.received_at >= before
    assert call.number == f"LD-{timezone.localtime(call.received_at):%Y%m%d}-0001"
    assert call.status == Call.Status.CLOSED and call.closed_at is not None  # resolved on the call
    assert call.reply_due_at is None
    follow = post(c, intake_data(summary="第二个电话"))
    assert Call.objects.count() == 2
    assert follow.status_code == 302


def test_the_success_message_links_to_the_saved_call(client_for, intake_data):
    c = client_for("agent")
    response = c.post(URL, {**intake_data(), "form_token": str(uuid.uuid4())}, follow=True)
    call = Call.objects.get()
    html = response.content.decode()
    assert reverse("tickets:detail", args=[call.pk]) in html
    assert call.number in html
    assert response.context["form"]["caller_phone"].value() in ("", None)


def test_first_call_from_a_number_creates_the_customer_profile(client_for, intake_data):
    c = client_for("agent")
    post(c, intake_data(caller_phone="010-8888 6666", caller_name="孙立", organisation="东方物业"))
    customer = Customer.objects.get()
    assert (customer.name, customer.organisation) == ("孙立", "东方物业")
    assert list(customer.phones.values_list("number", flat=True)) == ["01088886666"]
    assert Call.objects.get().customer == customer


def test_a_returning_caller_in_another_format_is_the_same_customer(client_for, intake_data):
    c = client_for("agent")
    post(c, intake_data(caller_phone="13800138000"))
    post(c, intake_data(caller_phone="+86 138 0013 8000", summary="再次来电"))
    post(c, intake_data(caller_phone="0086-138-0013-8000", summary="第三次"))
    assert Customer.objects.count() == 1
    assert CustomerPhone.objects.count() == 1
    assert set(Call.objects.values_list("customer_id", flat=True)) == {Customer.objects.get().pk}


def test_a_call_without_a_number_has_no_customer(client_for, intake_data):
    c = client_for("agent")
    post(c, intake_data(caller_phone="", channel="walk_in"))
    assert Call.objects.get().customer is None
    assert Customer.objects.count() == 0


def test_resubmitting_the_same_form_redirects_to_the_saved_call(client_for, intake_data):
    c = client_for("agent")
    token = uuid.uuid4()
    first = post(c, intake_data(), token)
    second = post(c, intake_data(), token)
    call = Call.objects.get()
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == reverse("tickets:detail", args=[call.pk])
    assert Call.objects.count() == 1


def test_the_duplicate_message_names_the_saved_call(client_for, intake_data):
    c = client_for("agent", language="en")
    token = uuid.uuid4()
    post(c, intake_data(), token)
    response = c.post(URL, {**intake_data(), "form_token": str(token)}, follow=True)
    call = Call.objects.get()
    assert [str(m) for m in response.context["messages"]][-1] == \
        f"This form was already saved as {call.number}."
    assert response.request["PATH_INFO"] == reverse("tickets:detail", args=[call.pk])


@pytest.mark.parametrize(("channel", "hours"), [("phone", 2), ("email", 24), ("walk_in", 2), ("chat", 2)])
def test_reply_promised_defaults_its_due_time_by_channel(client_for, intake_data, channel, hours):
    c = client_for("agent")
    post(c, intake_data(outcome="reply_promised", channel=channel))
    call = Call.objects.get()
    assert call.status == Call.Status.OPEN
    assert call.reply_due_at - call.received_at == dt.timedelta(hours=hours)


def test_reply_promised_keeps_a_given_due_time(client_for, intake_data):
    c = client_for("agent")
    due = (timezone.localtime() + dt.timedelta(hours=5)).replace(second=0, microsecond=0)
    post(c, intake_data(outcome="reply_promised", reply_due_at=due.strftime("%Y-%m-%dT%H:%M")))
    assert Call.objects.get().reply_due_at == due


def test_a_due_time_in_the_past_is_refused_on_the_form(client_for, intake_data):
    c = client_for("agent")
    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = post(c, intake_data(outcome="reply_promised", reply_due_at=past))
    assert response.status_code == 200
    assert "reply_due_at" in response.context["form"].errors
    assert Call.objects.count() == 0


def test_transferred_needs_a_department(client_for, intake_data):
    c = client_for("agent")
    response = post(c, intake_data(outcome="transferred"))
    assert response.status_code == 200
    assert response.context["form"].errors["department"]
    assert Call.objects.count() == 0


def test_transferred_call_is_open_with_its_department(client_for, intake_data, eng):
    c = client_for("agent")
    post(c, intake_data(outcome="transferred", department=eng.pk, category="enquiry"))
    call = Call.objects.get()
    assert (call.status, call.department, call.outcome) == (Call.Status.OPEN, eng, Call.Outcome.TRANSFERRED)
    assert call.reply_due_at - call.received_at == dt.timedelta(hours=2)


def test_department_is_dropped_when_the_outcome_is_not_a_transfer(client_for, intake_data, eng):
    c = client_for("agent")
    post(c, intake_data(outcome="resolved", department=eng.pk))
    assert Call.objects.get().department is None


def test_complaint_outcome_is_not_offered_at_intake(client_for, intake_data):
    c = client_for("agent")
    response = post(c, intake_data(outcome="complaint"))
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert Call.objects.count() == 0


def test_bad_phone_gives_a_form_error_not_a_500(client_for, intake_data):
    c = client_for("agent")
    response = post(c, intake_data(caller_phone="12"))
    assert response.status_code == 200
    assert response.context["form"].errors["caller_phone"]
    assert Call.objects.count() == 0


def test_missing_summary_keeps_the_token_and_the_input(client_for, intake_data):
    c = client_for("agent")
    token = uuid.uuid4()
    response = post(c, intake_data(summary=""), token)
    assert response.status_code == 200
    assert str(response.context["form"]["form_token"].value()) == str(token)
    assert response.context["form"]["caller_name"].value() == "陈建华"


def test_only_a_supervisor_sets_received_at(client_for, intake_data):
    earlier = (timezone.localtime() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    agent = client_for("agent")
    post(agent, intake_data(received_at=earlier.strftime("%Y-%m-%dT%H:%M")))
    assert Call.objects.get().received_at > earlier + dt.timedelta(hours=2)  # ignored: the field is disabled
    supervisor = client_for("supervisor")
    post(supervisor, intake_data(received_at=earlier.strftime("%Y-%m-%dT%H:%M"), summary="补登"))
    assert Call.objects.get(summary="补登").received_at == earlier


def test_service_refuses_received_at_from_an_agent(agent):
    with pytest.raises(services.PermissionRefused):
        services.call_create(by=agent, data={"valid": True, "summary": "x"}, received_at=timezone.now())
    assert Call.objects.count() == 0


def test_numbers_run_on_within_a_day(agent):
    a = services.call_create(by=agent, data={"valid": True, "summary": "一"})
    b = services.call_create(by=agent, data={"valid": True, "summary": "二"})
    assert int(b.number[-4:]) == int(a.number[-4:]) + 1


def test_saving_a_complaint_call_offers_to_open_it_as_a_complaint(client_for, intake_data):
    c = client_for("agent")
    response = c.post(URL, {**intake_data(category="complaint"), "form_token": str(uuid.uuid4())}, follow=True)
    call = Call.objects.get()
    assert response.status_code == 200
    assert f'href="{reverse("complaints:create_from_call", args=[call.pk])}"' in response.content.decode()


def test_complaint_button_appears_when_the_complaints_url_resolves(client_for, intake_data, settings):
    settings.ROOT_URLCONF = "tests.tickets.urls_with_complaints"
    c = client_for("agent")
    response = c.post(URL, {**intake_data(category="complaint"), "form_token": str(uuid.uuid4())}, follow=True)
    call = Call.objects.get()
    assert f'href="/complaints/from-call/{call.pk}/"' in response.content.decode()
    detail = c.get(reverse("tickets:detail", args=[call.pk]))
    assert f'href="/complaints/from-call/{call.pk}/"' in detail.content.decode()


def test_complaints_app_marks_the_call_opened_as_complaint(agent):
    call = CallFactory(agent=agent, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2))
    services.call_mark_opened_as_complaint(call=call, by=agent)
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.COMPLAINT
    assert call.history.first().history_user == agent.user
    assert list(call.events.values_list("kind", flat=True)) == ["complaint"]


def test_intake_save_runs_a_fixed_number_of_queries(client_for, intake_data, django_assert_num_queries):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000")
    post(c, intake_data(summary="预热"))  # warm the session, counters and profile

    def count_for(n_history):
        for i in range(n_history):
            CallFactory(caller_phone="13800138000", summary=f"历史{i}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            post(c, intake_data(summary=f"保存{n_history}"))
        return len(ctx.captured_queries)

    assert count_for(1) == count_for(20)


def test_intake_save_query_count_is_exact(client_for, intake_data, django_assert_num_queries):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000", customer__name="陈建华")
    post(c, intake_data(summary="预热"))
    # 14 before the trail had its first event; 18 since intake uses the shared one-time token (issue 16): its
    # look-up, its row inserted with the call's address, and the savepoint around both (a transaction of its own
    # outside a test), instead of a look-up of the call's own token; 19 since issue 20: the revisit settings are read
    # (does the category need a revisit by default? an enquiry does not, so no revisit is written)
    with django_assert_num_queries(19):
        post(c, intake_data(summary="计数"))


def test_handing_over_moves_ownership_with_a_reason(agent, make_employee):
    colleague = make_employee("agent")
    call = CallFactory(agent=agent, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2))
    event = services.call_hand_over(call=call, by=agent, to=colleague, reason="对方负责该区域")
    call.refresh_from_db()
    assert call.owner == colleague and call.agent == agent
    assert (event.kind, event.from_owner, event.to_owner, event.text) == ("handover", agent, colleague, "对方负责该区域")
    assert Notification.objects.filter(recipient=colleague, key=f"call-handover-{event.pk}").count() == 1


def test_handing_over_needs_a_reason(agent, make_employee):
    colleague = make_employee("agent")
    call = CallFactory(agent=agent, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(services.CallError):
        services.call_hand_over(call=call, by=agent, to=colleague, reason=" ")
    call.refresh_from_db()
    assert call.owner == agent and CallEvent.objects.count() == 0


def test_handing_over_to_someone_who_cannot_take_calls_is_refused(agent, make_employee):
    handler = make_employee("handler")
    call = CallFactory(agent=agent, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(services.CallError):
        services.call_hand_over(call=call, by=agent, to=handler, reason="试试")
    call.refresh_from_db()
    assert call.owner == agent


def test_owner_closes_a_promised_call_with_a_note(client_for):
    c = client_for("agent")
    call = CallFactory(agent=c.employee, outcome="reply_promised", status="open",
                       reply_due_at=timezone.now() + dt.timedelta(hours=2))
    response = c.post(reverse("tickets:close", args=[call.pk]), {"note": "已回电告知结果"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED and call.closed_at is not None
    assert list(call.events.values_list("kind", "text")) == [("closed", "已回电告知结果")]


def test_owner_adds_a_follow_up_note(client_for):
    c = client_for("agent")
    call = CallFactory(agent=c.employee)
    c.post(reverse("tickets:note", args=[call.pk]), {"text": "客户补充了订单号"})
    assert list(call.events.values_list("kind", "text", "by")) == [("note", "客户补充了订单号", c.employee.pk)]


def test_supervisor_voids_a_call_with_a_reason(client_for):
    c = client_for("supervisor")
    call = CallFactory()
    c.post(reverse("tickets:void", args=[call.pk]), {"reason": "测试来电，误登记"})
    call.refresh_from_db()
    assert (call.status, call.void_reason) == (Call.Status.VOIDED, "测试来电，误登记")
    assert Call.objects.count() == 1  # nothing deleted
    assert call.events.get().kind == "voided"


def test_voiding_without_a_reason_is_refused(client_for):
    c = client_for("supervisor")
    call = CallFactory()
    c.post(reverse("tickets:void", args=[call.pk]), {"reason": ""})
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED and call.void_reason == ""


def test_editing_leaves_a_trail_with_old_and_new(client_for, intake_data):
    c = client_for("agent", language="en")
    call = services.call_create(by=c.employee, data={"valid": True, "summary": "原摘要", "caller_phone": "13800138000"})
    response = c.post(reverse("tickets:edit", args=[call.pk]), intake_data(summary="新摘要"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.summary == "新摘要"
    detail = c.get(reverse("tickets:detail", args=[call.pk]))
    changes = [ch for row in detail.context["trail"] for ch in row["changes"]]
    assert {"field": "summary", "old": "原摘要", "new": "新摘要"} in [
        {"field": str(ch["field"]), "old": ch["old"], "new": ch["new"]} for ch in changes]
    assert call.history.first().history_user == c.employee.user


def test_supervisor_changes_received_at_on_edit_and_it_is_in_the_trail(client_for, intake_data, agent):
    call = services.call_create(by=agent, data={"valid": True, "summary": "x"})
    c = client_for("supervisor")
    new = (timezone.localtime(call.received_at) - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    c.post(reverse("tickets:edit", args=[call.pk]), intake_data(received_at=new.strftime("%Y-%m-%dT%H:%M")))
    call.refresh_from_db()
    assert call.received_at == new
    assert call.history.first().history_user == c.employee.user


def test_a_call_can_be_handed_to_a_colleague_at_intake(client_for, intake_data, make_employee):
    c = client_for("agent")
    colleague = make_employee("agent")
    post(c, intake_data(outcome="reply_promised", hand_to=colleague.pk, hand_reason="该客户由她跟进"))
    call = Call.objects.get()
    assert (call.agent, call.owner) == (c.employee, colleague)
    assert list(call.events.values_list("kind", flat=True)) == ["created", "handover"]
    event = call.events.get(kind="handover")
    assert (event.kind, event.from_owner, event.to_owner, event.text) == ("handover", c.employee, colleague,
                                                                          "该客户由她跟进")
    assert Notification.objects.filter(recipient=colleague).count() == 1


def test_handing_over_at_intake_needs_a_reason(client_for, intake_data, make_employee):
    c = client_for("agent")
    colleague = make_employee("agent")
    response = post(c, intake_data(outcome="reply_promised", hand_to=colleague.pk, hand_reason=""))
    assert response.status_code == 200
    assert response.context["form"].errors["hand_reason"]
    assert Call.objects.count() == 0 and CallEvent.objects.count() == 0


def test_a_repair_request_sent_to_a_department_is_due_for_a_call_back_in_20_minutes(client_for, intake_data, eng):
    c = client_for("agent")
    post(c, intake_data(category="repair", outcome="transferred", department=eng.pk))
    call = Call.objects.get()
    assert call.reply_due_at - call.received_at == dt.timedelta(minutes=20)
