"""Six clocks, not five (REGULATIONS §3): "ordinary complaint closed after receipt — 3 days" and "every complaint
closed after receipt (major included) — 7 days" are two clocks. An ordinary complaint runs both; a major one runs the
7-day clock only. Each has its own reminders and overdue notice, its own met/missed on the complaint page, its own
row in the statistics and its own column in the month's complaint sheet. Expectations are written out from §3:
3 days = 72 hours, 7 days = 168 hours."""

import datetime as dt
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from complaints.models import ClockLength, Complaint, ComplaintClock
from complaints.reports import complaints_sheet_write
from complaints.services import ComplaintError, clock_lengths_set, clocks_remind, complaint_create, complaint_transition
from csmgmt.core.models import Notification

H = dt.timedelta(hours=1)
THREE_DAYS = 72 * H
SEVEN_DAYS = 168 * H


def register(people, received_at):
    return complaint_create(by=people["agent"], data={"received_at": received_at, "complainant_name": "林女士",
                                                      "complainant_phone": "13812345678", "content": "包裹破损"})


def clocks(complaint, kind):
    return list(ComplaintClock.objects.filter(complaint=complaint, kind=kind).order_by("pk")
                .values_list("state", "due_at"))


def test_an_ordinary_complaint_runs_both_close_clocks_3_days_and_7_days(people):
    received = timezone.now() - 10 * dt.timedelta(minutes=1)
    complaint = register(people, received)
    complaint_transition(complaint=complaint, action="uphold", by=people["agent"], data={"severity": "ordinary"})
    assert clocks(complaint, "close_ordinary") == [("running", received + THREE_DAYS)]
    assert clocks(complaint, "close") == [("running", received + SEVEN_DAYS)]


def test_a_major_complaint_runs_only_the_7_day_close_clock(people):
    received = timezone.now() - 10 * dt.timedelta(minutes=1)
    complaint = register(people, received)
    complaint_transition(complaint=complaint, action="uphold", by=people["agent"], data={"severity": "major"})
    assert clocks(complaint, "close") == [("running", received + SEVEN_DAYS)]
    assert clocks(complaint, "close_ordinary") == [("cancelled", received + THREE_DAYS)]  # not needed
    running = set(ComplaintClock.objects.filter(complaint=complaint, state="running").values_list("kind", flat=True))
    assert running == {"assign", "close"}


@pytest.mark.parametrize(("hours_ago", "ordinary_state", "every_state"), [
    (10, "met", "met"),        # closed within 3 days: both met
    (100, "missed", "met"),    # after 3 days, within 7: the 3-day clock missed, the 7-day clock met
    (200, "missed", "missed"),  # after 7 days: both missed
])
def test_closing_decides_each_close_clock_on_its_own(people, complaint_at, hours_ago, ordinary_state, every_state):
    received = timezone.now() - hours_ago * H
    complaint = register(people, received)
    Complaint.objects.filter(pk=complaint.pk).update(stage="close")  # put at "to close", as the factory does
    complaint_transition(complaint=complaint, action="close", by=people["supervisor"], data={"fault_level": "none"})
    assert clocks(complaint, "close_ordinary") == [(ordinary_state, received + THREE_DAYS)]
    assert clocks(complaint, "close") == [(every_state, received + SEVEN_DAYS)]


def test_each_close_clock_has_its_own_reminder_and_overdue_notice(people):
    now = timezone.now()
    complaint = register(people, now - 72 * H + 20 * dt.timedelta(minutes=1))  # the 3-day clock due in 20 min
    ordinary = ComplaintClock.objects.get(complaint=complaint, kind="close_ordinary")
    every = ComplaintClock.objects.get(complaint=complaint, kind="close")
    ComplaintClock.objects.filter(complaint=complaint, kind__in=["first_reply", "assign"]).update(state="met")

    assert clocks_remind(now=now) == {"soon": 1, "overdue": 0}
    assert clocks_remind(now=now + H) == {"soon": 0, "overdue": 1}
    assert clocks_remind(now=every.due_at - 10 * dt.timedelta(minutes=1)) == {"soon": 1, "overdue": 0}
    assert clocks_remind(now=every.due_at + dt.timedelta(minutes=1)) == {"soon": 0, "overdue": 1}
    assert clocks_remind(now=every.due_at + H) == {"soon": 0, "overdue": 0}
    got = sorted(Notification.objects.values_list("recipient_id", "key"))
    assert got == sorted([
        (people["agent"].pk, f"complaint-clock:{ordinary.pk}:soon"),
        (people["supervisor"].pk, f"complaint-clock:{ordinary.pk}:overdue"),
        (people["agent"].pk, f"complaint-clock:{every.pk}:soon"),
        (people["supervisor"].pk, f"complaint-clock:{every.pk}:overdue"),
    ])
    texts = set(Notification.objects.filter(recipient=people["supervisor"]).values_list("text", flat=True))
    assert any("“Ordinary complaint closed” was due" in t for t in texts)
    assert any("“Every complaint closed (major included)” was due" in t for t in texts)


def test_the_complaint_page_shows_met_or_missed_for_each_close_clock(client_for, people, complaint_at):
    complaint = complaint_at("closed")
    received = complaint.received_at
    ComplaintClock.objects.create(complaint=complaint, kind="close_ordinary", started_at=received,
                                  due_at=received + THREE_DAYS, met_at=received + 100 * H, state="missed")
    ComplaintClock.objects.create(complaint=complaint, kind="close", started_at=received,
                                  due_at=received + SEVEN_DAYS, met_at=received + 100 * H, state="met")
    body = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-clock="close_ordinary" data-status="missed"' in body
    assert 'data-clock="close" data-status="met"' in body
    assert "Ordinary complaint closed" in body and "Every complaint closed (major included)" in body


def test_the_statistics_have_a_row_for_each_close_clock(client_for, people, complaint_at):
    tz = timezone.get_current_timezone()
    october = dt.datetime(2026, 10, 5, 9, 0, tzinfo=tz)
    a = complaint_at("closed", received_at=october)
    b = complaint_at("closed", received_at=october + dt.timedelta(days=1), severity="major")
    for complaint, ordinary, every in ((a, "missed", "met"), (b, None, "met")):
        received = complaint.received_at
        if ordinary:
            ComplaintClock.objects.create(complaint=complaint, kind="close_ordinary", started_at=received,
                                          due_at=received + THREE_DAYS, met_at=received + 100 * H, state=ordinary)
        ComplaintClock.objects.create(complaint=complaint, kind="close", started_at=received,
                                      due_at=received + SEVEN_DAYS, met_at=received + 100 * H, state=every)

    response = client_for(people["supervisor"]).get(reverse("complaints:statistics"), {"month": "2026-10"})

    rows = {r["kind"]: (r["met"], r["missed"]) for r in response.context["stats"]["clocks"]}
    assert rows["close_ordinary"] == (0, 1)
    assert rows["close"] == (2, 0)
    body = response.content.decode()
    assert ('<tr><td>Ordinary complaint closed</td><td class="text-end">0</td><td class="text-end">1</td>') in body
    assert ('<tr><td>Every complaint closed (major included)</td><td class="text-end">2</td>'
            '<td class="text-end">0</td>') in body


def test_the_months_complaint_sheet_has_a_column_for_each_close_clock(people, complaint_at):
    now = timezone.now()
    complaint = complaint_at("closed")
    ComplaintClock.objects.create(complaint=complaint, kind="close_ordinary", started_at=now - 100 * H,
                                  due_at=now - 28 * H, met_at=now, state="missed")
    ComplaintClock.objects.create(complaint=complaint, kind="close", started_at=now - 100 * H,
                                  due_at=now + 68 * H, met_at=now, state="met")
    ws = Workbook().active
    local = timezone.localtime(now)
    complaints_sheet_write(ws, year=local.year, month=local.month)
    values = [[c.value for c in row] for row in ws.iter_rows()]
    row = dict(zip(values[1], values[2]))
    assert row["Ordinary complaint closed"].startswith("Missed (")
    assert row["Every complaint closed (major included)"].startswith("Met (")


def test_a_manager_sets_each_close_clock_but_not_the_3_day_clock_of_a_major_complaint(people):
    clock_lengths_set(by=people["manager"], hours={("close_ordinary", "ordinary"): 48, ("close", "major"): 120})
    assert sorted(ClockLength.objects.values_list("kind", "severity", "hours")) == [
        ("close", "major", 120), ("close_ordinary", "ordinary", 48)]
    with pytest.raises(ComplaintError, match="Unknown clock"):
        clock_lengths_set(by=people["manager"], hours={("close_ordinary", "major"): 72})
    assert ClockLength.objects.count() == 2


def test_the_settings_page_offers_no_3_day_clock_for_a_major_complaint(client_for, people):
    form = client_for(people["manager"]).get(reverse("complaints:settings")).context["form"]
    assert "close_ordinary__ordinary" in form.fields and "close__ordinary" in form.fields
    assert "close__major" in form.fields and "close_ordinary__major" not in form.fields


# --- the data migration --------------------------------------------------------------------------------------


def test_the_migration_gives_existing_complaints_the_7_day_clock(people, complaint_at):
    """Before, one "close" clock: 72 h for an ordinary complaint, 168 h for a major one."""
    migration = importlib.import_module("complaints.migrations.0004_six_clocks")
    t0 = timezone.now() - 400 * H

    def old_clock(complaint, hours, state, met_after=None):
        return ComplaintClock.objects.create(
            complaint=complaint, kind="close", started_at=complaint.received_at,
            due_at=complaint.received_at + hours * H, state=state,
            met_at=complaint.received_at + met_after * H if met_after is not None else None)

    closed_in_time = complaint_at("closed", received_at=t0, closed_at=t0 + 50 * H)
    closed_in_week = complaint_at("closed", received_at=t0, closed_at=t0 + 100 * H)
    closed_late = complaint_at("closed", received_at=t0, closed_at=t0 + 200 * H)
    still_open = complaint_at("plan", received_at=t0)
    withdrawn = complaint_at("withdrawn", received_at=t0)
    major = complaint_at("closed", received_at=t0, severity="major", closed_at=t0 + 100 * H)
    old_clock(closed_in_time, 72, "met", 50)
    old_clock(closed_in_week, 72, "missed", 100)
    old_clock(closed_late, 72, "missed", 200)
    old_clock(still_open, 72, "running")
    old_clock(withdrawn, 72, "cancelled")
    old_clock(major, 168, "met", 100)
    ClockLength.objects.create(kind="close", severity="ordinary", hours=60)  # a manager's 3-day setting

    created = migration.split_close_clocks(ComplaintClock, ClockLength)

    assert created == 5
    expected = {
        closed_in_time: ([("met", t0 + 72 * H)], [("met", t0 + 168 * H)]),
        closed_in_week: ([("missed", t0 + 72 * H)], [("met", t0 + 168 * H)]),
        closed_late: ([("missed", t0 + 72 * H)], [("missed", t0 + 168 * H)]),
        still_open: ([("running", t0 + 72 * H)], [("running", t0 + 168 * H)]),
        withdrawn: ([("cancelled", t0 + 72 * H)], [("cancelled", t0 + 168 * H)]),
        major: ([], [("met", t0 + 168 * H)]),
    }
    for complaint, (ordinary, every) in expected.items():
        assert (clocks(complaint, "close_ordinary"), clocks(complaint, "close")) == (ordinary, every), complaint
    assert ComplaintClock.objects.get(complaint=closed_in_week, kind="close").met_at == t0 + 100 * H
    assert list(ClockLength.objects.values_list("kind", "severity", "hours")) == [("close_ordinary", "ordinary", 60)]
