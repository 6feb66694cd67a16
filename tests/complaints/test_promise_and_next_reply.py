"""The plan's promise and the agreed next reply time are clocks (REGULATIONS §3): "the deadline the plan promises
the customer, and the next reply time agreed when a complaint cannot be settled on the spot (001 L315: 2小时内回复
业户，并约定下次回复时间), are clocks too: the owner is reminded before each and the supervisor told when it
passes". The promise is met by the response; the next reply time by the next contact logged with the customer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, ComplaintClock, ComplaintEvent
from complaints.services import ComplaintError, ComplaintForbidden, clocks_remind, complaint_transition
from complaints.workflow import available_actions
from csmgmt.core.models import Notification

H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def plan(promised_by):
    return {"findings": "包装不合格", "action_immediate": "补发商品", "promised_by": promised_by}


def clocks(complaint, kind):
    return list(ComplaintClock.objects.filter(complaint=complaint, kind=kind).order_by("pk")
                .values_list("state", "due_at"))


def snapshot(complaint):
    c = Complaint.objects.get(pk=complaint.pk)
    return ({f.attname: getattr(c, f.attname) for f in Complaint._meta.concrete_fields},
            list(ComplaintEvent.objects.filter(complaint=c).values_list("pk", flat=True)),
            list(ComplaintClock.objects.filter(complaint=c).values_list("pk", "state", "due_at")))


# --- the promise --------------------------------------------------------------------------------------------


def test_the_plans_promise_is_a_clock_due_at_the_promised_time(people, complaint_at):
    complaint = complaint_at("plan")
    promised = (timezone.now() + 2 * 24 * H).replace(microsecond=0)
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"], data=plan(promised))
    assert clocks(complaint, "promise") == [("running", promised)]


@pytest.mark.parametrize(("due_in", "state"), [(H, "met"), (-H, "missed")])
def test_the_response_meets_the_promise_or_misses_it(people, complaint_at, due_in, state):
    complaint = complaint_at("respond")
    now = timezone.now()
    ComplaintClock.objects.create(complaint=complaint, kind="promise", started_at=now - 24 * H, due_at=now + due_in)
    complaint_transition(complaint=complaint, action="respond", by=people["agent"],
                         data={"response_method": "phone", "response_text": "已致电说明处理结果"})
    assert [s for s, _due in clocks(complaint, "promise")] == [state]


def test_a_new_plan_after_sending_back_replaces_the_promise(people, complaint_at):
    complaint = complaint_at("plan")
    first = (timezone.now() + 24 * H).replace(microsecond=0)
    second = (timezone.now() + 3 * 24 * H).replace(microsecond=0)
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"], data=plan(first))
    complaint_transition(complaint=complaint, action="send_back", by=people["supervisor"], comment="方案不完整")
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"], data=plan(second))
    assert clocks(complaint, "promise") == [("cancelled", first), ("running", second)]


def test_a_promise_in_the_past_is_refused_and_nothing_changes(people, complaint_at):
    complaint = complaint_at("plan")
    before = snapshot(complaint)
    with pytest.raises(ComplaintError, match="must be later than now"):
        complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"],
                             data=plan(timezone.now() - H))
    assert snapshot(complaint) == before


# --- the next reply time ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["analyse", "assign", "plan", "approve", "manager_approve", "respond"])
def test_agreeing_the_next_reply_time_records_it_and_starts_a_clock(people, complaint_at, stage):
    complaint = complaint_at(stage)
    at = (timezone.now() + 4 * H).replace(microsecond=0)
    assert "agree_next_reply" in available_actions(complaint, people["agent"].user)
    complaint_transition(complaint=complaint, action="agree_next_reply", by=people["agent"],
                         comment="需要向物流公司核实，约定下午四点前回电", data={"next_reply_at": at})
    complaint.refresh_from_db()
    assert complaint.stage == stage  # the complaint stays where it is
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", "from_stage", "to_stage",
                                                                               "by_id", "data")) == [
        ("agree_next_reply", stage, stage, people["agent"].pk, {"next_reply_at": at.isoformat()})]
    clock = ComplaintClock.objects.get(complaint=complaint, kind="next_reply")
    assert (clock.state, clock.due_at, clock.owner_id) == ("running", at, people["agent"].pk)


def test_the_next_contact_logged_with_the_customer_meets_the_next_reply_clock(people, complaint_at):
    complaint = complaint_at("respond")
    now = timezone.now()
    first = (now + 2 * H).replace(microsecond=0)
    second = (now + 26 * H).replace(microsecond=0)
    agent = people["agent"]
    complaint_transition(complaint=complaint, action="agree_next_reply", by=agent, comment="约定两小时内回复",
                         data={"next_reply_at": first})
    # the agent calls back in time and, still not settled, agrees the next time: a contact meeting the first
    complaint_transition(complaint=complaint, action="agree_next_reply", by=agent, comment="明天上午再回复",
                         data={"next_reply_at": second})
    assert clocks(complaint, "next_reply") == [("met", first), ("running", second)]
    complaint_transition(complaint=complaint, action="respond", by=agent,
                         data={"response_method": "phone", "response_text": "已致电说明处理结果"})
    assert clocks(complaint, "next_reply") == [("met", first), ("met", second)]


def test_a_contact_after_the_agreed_time_misses_it(people, complaint_at):
    complaint = complaint_at("respond")
    now = timezone.now()
    ComplaintClock.objects.create(complaint=complaint, kind="next_reply", started_at=now - 3 * H, due_at=now - H,
                                  owner=people["agent"])
    complaint_transition(complaint=complaint, action="respond", by=people["agent"],
                         data={"response_method": "phone", "response_text": "已致电说明处理结果"})
    assert [s for s, _due in clocks(complaint, "next_reply")] == ["missed"]


@pytest.mark.parametrize(("data", "comment", "message"), [
    ({"next_reply_at": None}, "约定回电", "Please fill in"),
    ("past", "约定回电", "must be later than now"),
    ("future", "", "what the customer was told"),
])
def test_a_bad_next_reply_time_is_refused_and_nothing_changes(people, complaint_at, data, comment, message):
    complaint = complaint_at("plan")
    if data == "past":
        data = {"next_reply_at": timezone.now() - MINUTE}
    elif data == "future":
        data = {"next_reply_at": timezone.now() + H}
    before = snapshot(complaint)
    with pytest.raises(ComplaintError, match=message):
        complaint_transition(complaint=complaint, action="agree_next_reply", by=people["agent"], comment=comment,
                             data=data)
    assert snapshot(complaint) == before


@pytest.mark.parametrize("role", ["handler", "custodian", "admin"])
def test_only_customer_service_agrees_a_next_reply_time(people, complaint_at, role):
    complaint = complaint_at("plan")
    before = snapshot(complaint)
    assert "agree_next_reply" not in available_actions(complaint, people[role].user)
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="agree_next_reply", by=people[role], comment="约定回电",
                             data={"next_reply_at": timezone.now() + H})
    assert snapshot(complaint) == before


@pytest.mark.parametrize("stage", ["revisit", "close", "closed", "withdrawn"])
def test_there_is_no_next_reply_to_agree_once_the_customer_was_answered(people, complaint_at, stage):
    complaint = complaint_at(stage)
    assert "agree_next_reply" not in available_actions(complaint, people["supervisor"].user)
    with pytest.raises(ComplaintError, match="not possible now"):
        complaint_transition(complaint=complaint, action="agree_next_reply", by=people["supervisor"],
                             comment="约定回电", data={"next_reply_at": timezone.now() + H})


# --- reminders ----------------------------------------------------------------------------------------------


def test_the_owner_is_reminded_before_and_the_supervisor_told_when_a_promise_or_next_reply_passes(
        people, complaint_at, make_employee):
    now = timezone.now()
    second_agent = make_employee("agent", supervisor=people["manager"])
    promised = complaint_at("respond")
    promise = ComplaintClock.objects.create(complaint=promised, kind="promise", started_at=now - 24 * H,
                                            due_at=now + 20 * MINUTE)
    agreed = complaint_at("plan")
    next_reply = ComplaintClock.objects.create(complaint=agreed, kind="next_reply", started_at=now - H,
                                               due_at=now + 20 * MINUTE, owner=second_agent)

    assert clocks_remind(now=now) == {"soon": 2, "overdue": 0}
    assert clocks_remind(now=now + H) == {"soon": 0, "overdue": 2}
    assert clocks_remind(now=now + 2 * H) == {"soon": 0, "overdue": 0}

    got = sorted(Notification.objects.values_list("recipient_id", "key"))
    assert got == sorted([
        (people["agent"].pk, f"complaint-clock:{promise.pk}:soon"),  # the agent answers the customer
        (people["supervisor"].pk, f"complaint-clock:{promise.pk}:overdue"),
        (second_agent.pk, f"complaint-clock:{next_reply.pk}:soon"),  # who agreed the time
        (people["manager"].pk, f"complaint-clock:{next_reply.pk}:overdue"),  # and their supervisor
    ])
    assert Notification.objects.get(key=f"complaint-clock:{next_reply.pk}:soon").text.startswith(
        f"Complaint {agreed.number}: “Agreed next reply time” is due at ")
    assert Notification.objects.get(key=f"complaint-clock:{promise.pk}:overdue").text.startswith(
        f"Complaint {promised.number} is overdue: “Deadline promised to the customer” was due at ")


# --- the page -----------------------------------------------------------------------------------------------


def test_the_page_agrees_the_next_reply_time(client_for, people, complaint_at):
    complaint = complaint_at("plan")
    c = client_for(people["agent"])
    page = c.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-workflow-action="agree_next_reply"' in page
    at = timezone.localtime(timezone.now() + 3 * H).replace(second=0, microsecond=0)
    response = c.post(reverse("complaints:act", args=[complaint.pk]), {
        "action": "agree_next_reply", "next_reply-next_reply_at": at.strftime("%Y-%m-%dT%H:%M"),
        "next_reply-comment": "正在核实，约定三小时内回电"})
    assert response.status_code == 302
    assert clocks(complaint, "next_reply") == [("running", at)]
    body = c.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-clock="next_reply" data-status="running"' in body


def test_a_handler_cannot_agree_a_next_reply_time_through_the_page(client_for, people, complaint_at):
    complaint = complaint_at("plan")
    before = snapshot(complaint)
    response = client_for(people["handler"]).post(reverse("complaints:act", args=[complaint.pk]), {
        "action": "agree_next_reply", "next_reply-next_reply_at": "2030-01-01T10:00",
        "next_reply-comment": "约定回电"})
    assert response.status_code == 403
    assert snapshot(complaint) == before
