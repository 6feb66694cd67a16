"""报修 followed to the end (REGULATIONS §2, 001 篇十一 and L713–715): a repair request is dispatched to the
department; the agent is reminded **at** the 20-minute mark (not before) to phone the customer and explain, unless
someone was recorded on site first; the time someone reached the site and the time the repair was finished are
recorded (by the department's handler or the owner); after it is finished the customer is asked for their opinion (a
revisit with satisfaction), and the call is done only then."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from csmgmt.core.models import Notification
from csmgmt.core.registry import jobs
from tests.factories import CallFactory
from tests.workflow_support import snapshot
from tickets import services
from tickets.models import Call
from tickets.workflow import available_actions

MARK = dt.timedelta(minutes=20)  # REGULATIONS §2: "within 20 minutes … at the 20-minute mark"


@pytest.fixture
def repair(people, eng):
    """A repair request of the owner's, dispatched to 工程部 ``minutes_ago`` minutes ago."""

    def make(minutes_ago=0, **kw):
        received = timezone.now() - dt.timedelta(minutes=minutes_ago)
        fields = dict(status="open", category="repair", outcome="transferred", department=eng,
                      agent=people["owner"], owner=people["owner"], received_at=received,
                      reply_due_at=received + MARK, repair_callback_due_at=received + MARK,
                      repair_callback_unit="calendar", repair_callback_length=20)
        fields.update(kw)
        return CallFactory(**fields)

    return make


def callback_notices(call):
    return Notification.objects.filter(key=f"call-repair-callback-{call.pk}")


def test_the_owner_is_reminded_at_the_20_minute_mark_not_before(people, repair):
    call = repair(minutes_ago=0)
    start = call.received_at
    assert services.repair_callback_reminders_send(now=start + MARK - dt.timedelta(seconds=1)) == 0
    assert not callback_notices(call).exists()
    assert services.repair_callback_reminders_send(now=start + MARK) == 1
    notice = callback_notices(call).get()
    assert notice.recipient == people["owner"]
    assert call.number in notice.text


def test_the_call_back_reminder_is_sent_once(people, repair):
    call = repair(minutes_ago=25)
    services.repair_callback_reminders_send()
    services.repair_callback_reminders_send()
    assert services.repair_callback_remind(call_id=call.pk) is False
    assert callback_notices(call).count() == 1


def test_no_reminder_when_someone_was_recorded_on_site_first(people, repair):
    call = repair(minutes_ago=5)
    services.call_repair_on_site(call=call, by=people["department_handler"])
    assert services.repair_callback_reminders_send(now=call.received_at + MARK + dt.timedelta(minutes=1)) == 0
    assert not callback_notices(call).exists()


def test_a_repair_logged_at_intake_queues_its_reminder_for_the_mark(client_for, intake_data, eng):
    c = client_for("agent")
    c.post(reverse("tickets:intake"), intake_data(category="repair", outcome="transferred", department=eng.pk,
                                                  valid="0"))
    call = Call.objects.get()
    assert not callback_notices(call).exists()  # the queued task ran at once (eager in tests): too early, nothing
    services.repair_callback_reminders_send(now=call.received_at + MARK)
    assert callback_notices(call).get().recipient == c.employee


def test_the_job_is_registered_to_run_every_minute():
    job = next(j for j in jobs() if j.name == "tickets.repair_callback_reminders")
    assert (job.task, job.crontab) == ("tickets.tasks.repair_callback_reminders", {"minute": "*"})


def test_a_repair_gets_no_reply_due_reminder_before_its_mark(people, repair):
    call = repair(minutes_ago=0)
    services.call_reply_reminders_send(now=call.received_at + dt.timedelta(minutes=1))
    assert not Notification.objects.filter(key=f"call-reply-due-{call.pk}").exists()


def test_the_handler_records_on_site_and_finished_then_the_owner_the_revisit_and_only_then_the_call_is_done(
        people, repair, client_for):
    call = repair(minutes_ago=90)
    handler = client_for(people["department_handler"])
    on_site = timezone.localtime(call.received_at + dt.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M")
    assert handler.post(reverse("tickets:repair_on_site", args=[call.pk]), {"at": on_site, "confirm": "1"}).status_code == 302
    call.refresh_from_db()
    assert timezone.localtime(call.repair_on_site_at).strftime("%Y-%m-%dT%H:%M") == on_site
    assert handler.post(reverse("tickets:repair_finished", args=[call.pk]), {"note": "已更换配件", "confirm": "1"}).status_code == 302
    call.refresh_from_db()
    assert call.repair_finished_at is not None and call.status == "open"
    assert available_actions(call, people["department_handler"].user) == ["reply"]  # the revisit is the owner's
    owner = client_for(people["owner"])
    response = owner.post(reverse("tickets:repair_revisit", args=[call.pk]), {"satisfaction": "4", "note": "满意"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "closed"
    # the customer's opinion is the call's revisit (issue 20: its own record), answered and due from the finish
    assert list(call.revisits.values_list("state", "satisfaction", "note", "by")) == [
        ("done", 4, "满意", people["owner"].pk)]
    assert list(call.events.values_list("kind", "by")) == [
        ("on_site", people["department_handler"].pk), ("finished", people["department_handler"].pk),
        ("revisit", people["owner"].pk)]


def test_a_repair_is_not_closed_before_its_revisit(people, repair):
    call = repair()
    services.call_repair_on_site(call=call, by=people["owner"])
    services.call_repair_finished(call=call, by=people["owner"])
    call.refresh_from_db()
    before = snapshot(call)
    with translation.override("en"), pytest.raises(services.CallError, match="only after"):
        services.call_close_checked(call=call, by=people["owner"])
    with pytest.raises(services.CallError):
        services.call_update(call=call, by=people["owner"], data={"outcome": "resolved"})
    assert snapshot(call) == before
    assert "close" not in available_actions(call, people["owner"].user)


@pytest.mark.parametrize(("step", "refused"), [
    ("dispatched", ["finished", "revisit"]),
    ("on_site", ["on_site", "revisit"]),
    ("finished", ["on_site", "finished"]),
])
def test_the_steps_come_in_order(people, repair, step, refused):
    call = repair()
    if step in ("on_site", "finished"):
        services.call_repair_on_site(call=call, by=people["owner"])
    if step == "finished":
        services.call_repair_finished(call=call, by=people["owner"])
    call.refresh_from_db()
    before = snapshot(call)
    for action in refused:
        with pytest.raises(services.CallError):
            {"on_site": lambda: services.call_repair_on_site(call=call, by=people["owner"]),
             "finished": lambda: services.call_repair_finished(call=call, by=people["owner"]),
             "revisit": lambda: services.call_repair_revisit(call=call, by=people["owner"], satisfaction=5)}[action]()
        assert snapshot(call) == before, action


def test_the_times_are_not_in_the_future_nor_before_the_call(people, repair):
    call = repair(minutes_ago=30)
    before = snapshot(call)
    for at in (timezone.now() + dt.timedelta(hours=1), call.received_at - dt.timedelta(minutes=5)):
        with pytest.raises(services.CallError):
            services.call_repair_on_site(call=call, by=people["owner"], at=at)
    assert snapshot(call) == before


def test_the_revisit_needs_a_satisfaction(people, repair, client_for):
    call = repair()
    services.call_repair_on_site(call=call, by=people["owner"])
    services.call_repair_finished(call=call, by=people["owner"])
    call.refresh_from_db()
    before = snapshot(call)
    client_for(people["owner"]).post(reverse("tickets:repair_revisit", args=[call.pk]), {"satisfaction": ""})
    with pytest.raises(services.CallError):
        services.call_repair_revisit(call=call, by=people["owner"], satisfaction=9)
    assert snapshot(call) == before


@pytest.mark.parametrize("role", ["agent", "handler", "colleague"])
def test_someone_else_may_not_record_the_repairs_times(people, repair, client_for, role):
    call = repair()
    before = snapshot(call)
    c = client_for(people[role])
    response = c.post(reverse("tickets:repair_on_site", args=[call.pk]), {"confirm": "1"})
    assert response.status_code in (302, 404)  # refused with a message, or (another department) not seen at all
    with pytest.raises(services.CallError):
        services.call_repair_on_site(call=call, by=people[role])
    assert snapshot(call) == before


def test_a_handler_may_not_record_the_revisit(people, repair, client_for):
    call = repair()
    services.call_repair_on_site(call=call, by=people["owner"])
    services.call_repair_finished(call=call, by=people["owner"])
    call.refresh_from_db()
    before = snapshot(call)
    response = client_for(people["department_handler"]).post(reverse("tickets:repair_revisit", args=[call.pk]),
                                                              {"satisfaction": "5"})
    assert response.status_code == 403
    with pytest.raises(services.PermissionRefused):
        services.call_repair_revisit(call=call, by=people["department_handler"], satisfaction=5)
    assert snapshot(call) == before
