"""Revisits beyond complaints (REGULATIONS §10, issue 20): "after a repair is finished (§2) and within 2 working days
after a service, the agent revisits the customer and records satisfaction; unsatisfied answers reach the supervisor".

Due times are written out by hand from §9: "a length in days counts working days: due at the same time of day on
the Nth working day (a clock that starts outside working hours starts counting at the next working moment)"; the
revisit is one of the clocks customer service must meet, so it counts the customer-service department's calendar
(default: every day 08:00–01:00). 2026-11-06 is a Friday."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from csmgmt.core.calendar import SHANGHAI
from csmgmt.core.models import Notification
from csmgmt.core.registry import figure_sources, jobs
from staff.calendars.services import calendar_hours_save
from tests.factories import CallFactory, CallRevisitFactory, cs_department
from tests.workflow_support import snapshot
from tickets import revisits, services
from tickets.models import Call, CallRevisit, RevisitSettings

MON_FRI = [[["08:30", "17:30"]]] * 5 + [[], []]


def t(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def cs(db):
    return cs_department()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def log(people, received_at, *, category="enquiry", outcome="resolved", who="supervisor", **data):
    """A call logged at intake at ``received_at`` (a supervisor may give the time) through the service."""
    return services.call_create(by=people[who], received_at=received_at, data={
        "channel": "phone", "direction": "in", "caller_phone": "13812345678", "caller_name": "林女士",
        "category": category, "summary": "咨询", "outcome": outcome, "valid": True, **data})


def settings_set(people, categories=("enquiry",), days=2, unit="working_days"):
    revisits.revisit_settings_save(by=people["manager"], data={"categories": list(categories), "due_days": days,
                                                               "due_unit": unit})


# --- due times ------------------------------------------------------------------------------------------------


def test_a_call_on_friday_1000_with_a_monday_to_friday_calendar_is_due_tuesday_1000(people, cs):
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    settings_set(people)
    call = log(people, t("2026-11-06T10:00"))
    revisit = call.revisits.get()
    # Monday is the 1st working day after Friday, Tuesday the 2nd: the same time of day
    assert (revisit.state, revisit.due_at) == ("pending", t("2026-11-10T10:00"))
    assert (revisit.due_days, revisit.due_unit, revisit.due_calendar) == (2, "working_days", cs)


def test_a_call_after_hours_counts_from_the_next_working_moment(people, cs):
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    settings_set(people)
    call = log(people, t("2026-11-06T18:00"))
    # first working moment Monday 08:30; the 2nd working day after Monday is Wednesday, at 08:30
    assert call.revisits.get().due_at == t("2026-11-11T08:30")


def test_on_customer_services_default_calendar_every_day_counts(people, cs):
    settings_set(people)
    call = log(people, t("2026-11-06T10:00"))
    assert call.revisits.get().due_at == t("2026-11-08T10:00")  # Saturday, Sunday: customer service works


def test_calendar_days_when_the_manager_says_so(people, cs):
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    settings_set(people, days=3, unit="calendar")
    call = log(people, t("2026-11-06T10:00"))
    assert call.revisits.get().due_at == t("2026-11-09T10:00")


def test_a_repairs_revisit_is_due_from_its_finish(people, cs, eng):
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    settings_set(people, categories=())
    call = log(people, t("2026-11-06T09:00"), category="repair", outcome="transferred", department=eng)
    assert not call.revisits.exists()  # not before the repair is finished
    services.call_repair_on_site(call=call, by=people["supervisor"], at=t("2026-11-06T09:15"))
    services.call_repair_finished(call=call, by=people["supervisor"], at=t("2026-11-06T16:00"))
    assert call.revisits.get().due_at == t("2026-11-10T16:00")


def test_a_calendar_edit_moves_a_running_revisit_with_a_line_in_its_trail(people, cs):
    settings_set(people)
    call = log(people, t("2026-11-06T10:00"))
    revisit = call.revisits.get()
    assert revisit.due_at == t("2026-11-08T10:00")
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    revisit.refresh_from_db()
    assert revisit.due_at == t("2026-11-10T10:00")
    moved = revisit.events.get(action="due_moved")
    assert (moved.by, moved.from_state, moved.to_state) == (people["manager"], "pending", "pending")
    assert moved.comment == "The working calendar changed: due 2026-11-08 10:00 → 2026-11-10 10:00."


def test_an_answered_revisit_is_not_moved_by_a_calendar_edit(people, cs):
    settings_set(people)
    revisit = log(people, t("2026-11-06T10:00")).revisits.get()
    revisits.revisit_record(revisit=revisit, by=people["supervisor"], satisfaction=5)
    calendar_hours_save(by=people["manager"], department=cs, weekly=MON_FRI, observes_holidays=True)
    revisit.refresh_from_db()
    assert revisit.due_at == t("2026-11-08T10:00")
    assert not revisit.events.filter(action="due_moved").exists()


# --- which calls: the category's default and the agent's tick ------------------------------------------------------


def test_the_categories_a_manager_sets_are_revisited_by_default_and_the_agent_may_say_otherwise(
        people, cs, client_for, intake_data):
    settings_set(people, categories=("enquiry",))
    agent = client_for(people["owner"])
    for summary, category, tick in (("默认回访", "enquiry", ""), ("默认不回访", "suggestion", ""),
                                    ("勾选回访", "suggestion", "1"), ("取消回访", "enquiry", "0")):
        response = agent.post(reverse("tickets:intake"), intake_data(summary=summary, category=category,
                                                                     needs_revisit=tick))
        assert response.status_code == 302
    made = dict(Call.objects.values_list("summary", "revisits__state"))
    assert made == {"默认回访": "pending", "默认不回访": None, "勾选回访": "pending", "取消回访": None}


def test_the_shipped_default_revisits_repair_requests(db):
    assert RevisitSettings.current().categories == ["repair"]  # our choice: §10 names repairs
    assert (RevisitSettings.current().due_days, RevisitSettings.current().due_unit) == (2, "working_days")


def test_the_settings_are_trailed(people, cs):
    settings_set(people, categories=("enquiry", "praise"), days=3)
    settings_set(people, categories=("enquiry",), days=2)
    history = list(RevisitSettings.history.order_by("history_id").values_list("categories", "due_days",
                                                                                "history_user"))
    assert history == [(["enquiry", "praise"], 3, people["manager"].user.pk), (["enquiry"], 2, people["manager"].user.pk)]


def test_the_owner_ticks_and_unticks_on_the_call_page(people, cs, client_for):
    settings_set(people, categories=())
    call = CallFactory(owner=people["owner"], agent=people["owner"])
    owner = client_for(people["owner"])
    assert owner.post(reverse("tickets:revisit_need", args=[call.pk]), {"needs": "1"}).status_code == 302
    revisit = call.revisits.get()
    assert revisit.state == "pending"
    assert owner.post(reverse("tickets:revisit_need", args=[call.pk]), {"needs": "0", "note": "客户不愿被回访"}
                      ).status_code == 302
    revisit.refresh_from_db()
    assert revisit.state == "cancelled"
    assert list(revisit.events.values_list("action", "to_state", "by", "comment")) == [
        ("create", "pending", people["owner"].pk, ""), ("cancel", "cancelled", people["owner"].pk, "客户不愿被回访")]


def test_a_colleague_may_not_tick_someone_elses_call(people, cs, client_for):
    call = CallFactory(owner=people["owner"], agent=people["owner"])
    response = client_for(people["colleague"]).post(reverse("tickets:revisit_need", args=[call.pk]), {"needs": "1"})
    assert response.status_code == 302
    assert not CallRevisit.objects.exists()


def test_a_repairs_own_revisit_cannot_be_unticked(people, cs, eng):
    call = log(people, t("2026-11-06T09:00"), category="repair", outcome="transferred", department=eng)
    services.call_repair_on_site(call=call, by=people["supervisor"], at=t("2026-11-06T09:15"))
    services.call_repair_finished(call=call, by=people["supervisor"], at=t("2026-11-06T10:00"))
    revisit = call.revisits.get()
    before = snapshot(revisit)
    with translation.override("en"), pytest.raises(services.CallError, match="cannot be unticked"):
        revisits.call_revisit_need(call=call, by=people["supervisor"], needs=False)
    assert snapshot(revisit) == before


def test_voiding_a_call_cancels_its_pending_revisit(people, cs):
    settings_set(people)
    call = log(people, t("2026-11-06T10:00"))
    services.call_void(call=call, by=people["supervisor"], reason="重复登记")
    assert list(call.revisits.get().events.values_list("action", "by")) == [("create", people["supervisor"].pk),
                                                                            ("cancel", None)]


# --- recording, and the repair request done by it ------------------------------------------------------------------


def test_recording_from_the_queue_closes_a_finished_repair(people, cs, eng, client_for):
    call = services.call_create(by=people["owner"], data={
        "caller_phone": "13812345678", "category": "repair", "summary": "空调不制冷", "outcome": "transferred",
        "department": eng, "valid": False})
    services.call_repair_on_site(call=call, by=people["owner"])
    services.call_repair_finished(call=call, by=people["owner"])
    revisit = call.revisits.get()
    response = client_for(people["owner"]).post(reverse("tickets:revisit_record", args=[revisit.pk]),
                                                {"satisfaction": "5", "note": "很满意"})
    assert response.status_code == 302
    call.refresh_from_db()
    revisit.refresh_from_db()
    assert (call.status, revisit.state, revisit.satisfaction, revisit.by) == ("closed", "done", 5, people["owner"])
    assert list(call.events.values_list("kind", flat=True)) == ["created", "on_site", "finished", "revisit"]


def test_a_bad_satisfaction_records_nothing(people, cs, client_for):
    revisit = CallRevisitFactory(call=CallFactory(owner=people["owner"], agent=people["owner"]))
    before = snapshot(revisit)
    for value in ("0", "6", "x"):
        response = client_for(people["owner"]).post(reverse("tickets:revisit_record", args=[revisit.pk]),
                                                     {"satisfaction": value})
        assert response.status_code == 302
    assert snapshot(revisit) == before


# --- overdue reminders ---------------------------------------------------------------------------------------------


def test_an_overdue_revisit_reminds_its_owner_once(people, cs):
    revisit = CallRevisitFactory(call=CallFactory(owner=people["owner"], agent=people["owner"]),
                                 due_at=t("2026-11-08T10:00"))
    assert revisits.revisit_overdue_reminders_send(now=t("2026-11-08T09:59")) == 0
    assert revisits.revisit_overdue_reminders_send(now=t("2026-11-08T10:00")) == 1
    assert revisits.revisit_overdue_reminders_send(now=t("2026-11-08T10:15")) == 0  # the job run again
    assert revisits.revisit_overdue_remind(revisit_id=revisit.pk, now=t("2026-11-08T10:30")) is False
    notice = Notification.objects.get()
    assert (notice.recipient, notice.key) == (people["owner"], f"call-revisit-overdue-{revisit.pk}-202611080200")
    assert revisit.call.number in notice.text


def test_the_reminder_job_is_registered():
    job = next(j for j in jobs() if j.name == "tickets.revisit_overdue_reminders")
    assert (job.task, job.crontab) == ("tickets.tasks.revisit_overdue_reminders", {"minute": "*/15"})


# --- the figure: satisfaction of call revisits ---------------------------------------------------------------------


def test_the_satisfaction_calls_source_sums_the_months_answers_per_owner(people, cs):
    """§10: "satisfaction — mean of … each call revisit — who handled — revisit month"."""
    source = next(s for s in figure_sources("satisfaction") if s.name == "calls")
    a, b = people["owner"], people["colleague"]

    def answered(owner, at, satisfaction, state="done", **call):
        call = CallFactory(owner=owner, agent=owner, **call)
        CallRevisitFactory(call=call, state=state, satisfaction=satisfaction, revisited_at=at, by=owner)

    answered(a, t("2026-11-01T00:00"), 5)
    answered(a, t("2026-11-30T23:59"), 2, state="unsatisfied")
    answered(a, t("2026-11-15T12:00"), 1, state="complaint")
    answered(b, t("2026-11-10T09:00"), 4)
    answered(b, t("2026-12-01T00:00"), 1)  # December: another month
    answered(a, t("2026-10-31T23:59"), 1)  # October
    answered(b, t("2026-11-12T09:00"), 1, status="voided", void_reason="重复登记")  # counts nowhere
    CallRevisitFactory(call=CallFactory(owner=a, agent=a))  # pending: no answer yet

    result = source.per_employee(t("2026-11-01T00:00"), t("2026-12-01T00:00"))

    assert result == {a.pk: (8, 3), b.pk: (4, 1)}  # a: 5 + 2 + 1 over 3; b: 4 over 1


def test_a_calendar_edit_for_every_department_recomputes_a_revisit_without_a_calendar_row(people):
    """A public-holiday notice changes every calendar (departments None); a revisit started when there was no
    customer-service department (no calendar row: §9's default, every day) is recomputed on that default."""
    revisit = CallRevisitFactory(call=CallFactory(owner=people["owner"], agent=people["owner"]),
                                 due_from=t("2026-11-06T10:00"), due_at=t("2026-11-06T10:00"), due_unit="working_days",
                                 due_calendar=None)
    assert revisits.revisit_due_recompute(None, people["manager"]) == 1
    revisit.refresh_from_db()
    assert revisit.due_at == t("2026-11-08T10:00")
