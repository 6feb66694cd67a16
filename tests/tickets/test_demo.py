"""The tickets demo: idempotent, every outcome and every workflow step present, written through the services
(events and edit trail), and nothing dated in the future whatever the time of day it is loaded."""

import pytest
from django.utils import timezone

from tickets.models import Call, CallEvent, Customer, CustomerPhone


def counts():
    from complaints.models import Complaint
    from csmgmt.core.models import Notification

    return {"calls": Call.objects.count(), "events": CallEvent.objects.count(), "customers": Customer.objects.count(),
            "phones": CustomerPhone.objects.count(), "call_history": Call.history.count(),
            "complaints": Complaint.objects.count(), "notifications": Notification.objects.count()}


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    from complaints import demo as complaints_demo
    from staff import demo as staff_demo
    from tickets import demo as tickets_demo

    def load():
        with django_capture_on_commit_callbacks(execute=True):
            staff_demo.load()
            tickets_demo.load()
            complaints_demo.load()

    load()
    return load


def test_loading_twice_adds_nothing(demo):
    first = counts()
    demo()
    assert counts() == first


def test_every_outcome_and_every_event_kind_is_there(demo):
    assert set(Call.objects.values_list("outcome", flat=True)) == set(Call.Outcome.values)
    assert set(Call.objects.values_list("status", flat=True)) == set(Call.Status.values)
    assert set(CallEvent.objects.values_list("kind", flat=True)) >= {
        "note", "department_reply", "handover", "closed", "voided", "complaint"}


def test_the_stories_are_real_workflow_steps(demo):
    voided = Call.objects.get(status="voided")
    assert voided.void_reason == "重复登记：同一通来电登记了两次。"
    event = voided.events.get(kind="voided")
    assert (event.by.employee_no, event.text) == ("CS002", voided.void_reason)

    handover = CallEvent.objects.select_related("call").get(kind="handover")
    assert (handover.from_owner.employee_no, handover.to_owner.employee_no) == ("CS101", "CS201")
    assert handover.text and handover.call.owner.employee_no == "CS201" and handover.call.status == "open"

    reply = CallEvent.objects.select_related("call__department", "by").get(kind="department_reply")
    assert reply.call.outcome == "transferred" and reply.call.department.code == "ENG"
    assert reply.by.employee_no == "EN001" and reply.call.department_replied_at == reply.at

    promised = Call.objects.filter(outcome="reply_promised", status="open", events__kind="note")
    assert promised.exists() and all(c.reply_due_at for c in promised)

    closed = CallEvent.objects.select_related("call").get(kind="closed", text="已回电客户，告知在订单页面申请补开。")
    assert closed.call.status == "closed" and closed.call.closed_at is not None

    # each story's call has its edit trail: logged by its agent (the first entry), the later steps by their user
    for call in [voided, handover.call, reply.call, closed.call, *promised]:
        first = call.history.earliest()
        assert (first.history_type, first.history_user) == ("+", call.agent.user), call.number
    assert voided.history.latest().history_user.employee.employee_no == "CS002"


def test_the_call_opened_as_a_complaint_is_linked_to_the_demo_complaint(demo):
    from complaints.models import Complaint

    from tickets.demo import COMPLAINT_CALL

    call = Call.objects.get(outcome="complaint", **COMPLAINT_CALL)  # (the unsatisfied revisit's call is the other)
    complaint = Complaint.objects.get(source_call=call)
    assert complaint.complainant_name == "周女士" and complaint.customer_id == call.customer_id
    assert call.events.filter(kind="complaint").count() == 1
    # complaints.demo found its 周女士 case already there and did not add a second one
    assert Complaint.objects.filter(complainant_name="周女士").count() == 1


def test_nothing_is_dated_in_the_future(demo):
    now = timezone.now()
    assert not Call.objects.filter(received_at__gt=now).exists()
    assert not Call.objects.filter(closed_at__gt=now).exists()
    assert not Call.objects.filter(department_replied_at__gt=now).exists()
    assert not CallEvent.objects.filter(at__gt=now).exists()
    for call in Call.objects.filter(closed_at__isnull=False):
        assert call.closed_at >= call.received_at


def test_every_demo_call_is_logged_and_reached_its_status_through_the_workflow(demo):
    for call in Call.objects.prefetch_related("events"):
        moves = [(e.kind, e.from_status, e.to_status) for e in call.events.all()
                 if e.kind not in ("note", "complaint")]
        assert moves[0][:2] == ("created", "") and moves[0][2] in ("open", "closed"), call.number
        assert moves[-1][2] == call.status, call.number
        assert all(a[2] == b[1] for a, b in zip(moves, moves[1:])), call.number  # each move starts where one ended


def test_a_returning_demo_caller_fills_the_intake_form_and_may_call_again(demo, client):
    """Issue 17: 王经理 of 上海宏达贸易有限公司, a returning caller with open calls, is recognised."""
    from django.urls import reverse

    from staff.models import Employee

    client.force_login(Employee.objects.get(employee_no="CS101").user)
    response = client.get(reverse("tickets:intake"), {"phone": "021-6888 9999"})
    form = response.context["form"]
    assert (form["caller_name"].value(), form["address_form"].value(), form["organisation"].value()) == \
        ("王经理", "mr", "上海宏达贸易有限公司")
    newest_open = Call.objects.filter(caller_phone="02168889999", status="open").order_by("-received_at", "-id")[0]
    assert response.context["history"].again.number == newest_open.number  # his newest open call: Alt+A


def test_the_demo_has_a_repair_request_followed_to_its_revisit(demo):
    """Issue 15 (load_demo shows a repair followed to its revisit), REGULATIONS §2: someone reached the site, the
    repair was finished, the customer was asked for their opinion, and only then is the call done."""
    repair = Call.objects.get(caller_phone="02168889999", summary="办公室饮水机漏水，要求上门维修")
    assert (repair.category, repair.outcome, repair.department.code, repair.status) == (
        "repair", "transferred", "ENG", "closed")
    revisit = repair.revisits.get()
    assert repair.received_at < repair.repair_on_site_at < repair.repair_finished_at <= revisit.revisited_at
    assert (revisit.state, revisit.satisfaction) == ("done", 5)
    steps = [(e.kind, e.by.employee_no, e.from_status, e.to_status) for e in repair.events.order_by("at", "id")]
    assert steps == [("created", "CS002", "", "open"), ("on_site", "EN001", "open", "open"),
                     ("finished", "EN001", "open", "open"), ("revisit", "CS002", "open", "closed")]


def test_the_demo_has_a_valid_call_check_corrected_with_its_violation(demo):
    """Issue 15 (load_demo shows a valid-call check), REGULATIONS §2/§5: 张伟 marked an existing customer's after-sales
    question valid; the supervisor 李秀梅 corrected it (not valid) and recorded the violation "wrong valid/invalid
    marking" for him in one click. Another inbound call's marking is confirmed."""
    from staff.models import ManualEntry

    call = Call.objects.get(summary="询问电子发票如何补开")
    assert (call.agent.employee_no, call.valid, call.valid_checked_at is not None) == ("CS101", False, True)
    check = call.events.get(kind="valid_check")
    assert (check.by.employee_no, check.data) == ("CS002", {"marked": True, "checked": False, "corrected": True})
    violation = call.events.get(kind="marking_violation")
    entry = ManualEntry.objects.get(pk=violation.data["manual_entry"])
    assert (entry.employee.employee_no, entry.category.code, entry.recorded_by.employee_no) == (
        "CS101", "wrong_marking", "CS002")
    confirmed = Call.objects.get(summary="询问大批量采购报价及账期")
    assert confirmed.valid is True
    assert confirmed.events.get(kind="valid_check").data == {"marked": True, "checked": True, "corrected": False}


def test_the_demo_shows_revisits_due_overdue_done_and_one_unsatisfied_opened_as_a_complaint(demo):
    """Issue 20: "load_demo shows … revisits due" — one overdue, one done satisfied, one unsatisfied escalated."""
    from complaints.models import Complaint
    from tickets.models import CallRevisit

    now = timezone.now()
    pending = CallRevisit.objects.filter(state="pending")
    assert pending.filter(due_at__lt=now).count() == 1 and pending.filter(due_at__gt=now).count() == 1
    done = CallRevisit.objects.filter(state="done").order_by("pk")
    assert [r.satisfaction for r in done] == [5, 4]  # the repair story's, and an enquiry ticked at intake
    escalated = CallRevisit.objects.get(state="complaint")
    complaint = Complaint.objects.get(number=escalated.complaint_number)
    assert (escalated.satisfaction, complaint.source_call_id, complaint.agent.employee_no) == (2, escalated.call_id,
                                                                                              "CS002")
    assert "不满意" in escalated.note
