"""The duty log starts from what is open (REGULATIONS §7): "the complaints in progress, the promised replies and
repair requests not yet done, and the items in custody are listed in it automatically at the time of signing, so
nothing open is handed over by memory alone. A rostered shift whose handover is not signed by the end of the next
shift is flagged to the supervisor."

Default shifts (the data migration): A 08:00–17:00, B 10:00–19:00, N 17:30–01:00 (next day)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.models import Notification
from csmgmt.core.registry import jobs
from staff.attendance.duty_open import next_shift_end
from staff.attendance.services.duty_log import duty_entry_create, duty_entry_sign, duty_unsigned_handovers_flag
from tests.factories import CallFactory, ComplaintFactory, DepartmentFactory, FoundItemFactory, shift

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_world(team):
    eng = DepartmentFactory(name="工程部", code="ENG")
    due = timezone.now() + dt.timedelta(hours=1)
    promised = CallFactory(status="open", outcome="reply_promised", reply_due_at=due, summary="发票补开",
                           agent=team.agent, owner=team.agent)
    repair = CallFactory(status="open", category="repair", outcome="transferred", department=eng, reply_due_at=due,
                         summary="空调异响", agent=team.agent, owner=team.agent)
    CallFactory(status="closed", outcome="resolved", summary="已解决")  # done: not listed
    complaint = ComplaintFactory(stage="respond", complainant_name="林女士")
    ComplaintFactory(stage="closed")  # done: not listed
    item = FoundItemFactory(status="stored", storage_place="保险柜 2 号", description="黑色钱包")
    FoundItemFactory(status="claimed")  # returned: not listed
    return type("World", (), dict(promised=promised, repair=repair, complaint=complaint, item=item))


def listed(entry):
    return {(row["kind"], row["number"]) for row in entry.open_items}


def test_the_entry_lists_what_is_open_at_the_outgoing_signature(team, open_world):
    entry = duty_entry_create(by=team.agent, date=timezone.localdate(), shift=shift("A"), data={"events": "平稳"})
    assert (entry.open_items, entry.open_items_at) == ([], None)  # a draft keeps nothing yet
    entry = duty_entry_sign(entry=entry, by=team.agent)
    assert listed(entry) == {("promised_reply", open_world.promised.number), ("repair", open_world.repair.number),
                             ("complaint", open_world.complaint.number), ("custody", open_world.item.number)}
    assert entry.open_items_at == entry.outgoing_signed_at
    custody = next(r for r in entry.open_items if r["kind"] == "custody")
    assert (custody["title"], custody["state"]) == ("黑色钱包", "保险柜 2 号")


def test_the_list_is_frozen_with_the_entry(team, open_world):
    entry = duty_entry_create(by=team.agent, date=timezone.localdate(), shift=shift("A"), data={})
    entry = duty_entry_sign(entry=entry, by=team.agent)
    CallFactory(status="open", outcome="reply_promised", reply_due_at=timezone.now(), summary="后来的")
    entry = duty_entry_sign(entry=entry, by=team.agent2)
    assert len(entry.open_items) == 4  # what was open when it was signed, not what came later


def test_the_entry_page_shows_the_list_and_a_draft_shows_what_is_open_now(team, open_world, client_for):
    entry = duty_entry_create(by=team.agent, date=timezone.localdate(), shift=shift("A"), data={})
    c = client_for(team.agent)
    html = c.get(reverse("staff:attendance_duty_detail", args=[entry.pk])).content.decode()
    assert 'id="duty-open-preview"' in html and open_world.repair.number in html
    duty_entry_sign(entry=entry, by=team.agent)
    html = c.get(reverse("staff:attendance_duty_detail", args=[entry.pk])).content.decode()
    assert 'id="duty-open-preview"' not in html
    assert f'id="duty-open-items-{entry.pk}"' in html
    for number in (open_world.promised.number, open_world.complaint.number, open_world.item.number):
        assert number in html


# --- a handover not signed by the end of the next shift ------------------------------------------------------


def flags(day, code="A"):
    return Notification.objects.filter(key=f"duty-unsigned-{day.isoformat()}-{code}")


def test_a_rostered_shift_not_signed_by_the_end_of_the_next_shift_is_flagged_to_the_supervisor_once(
        team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    roster(team.agent2, past_monday, "B")  # the next shift: B ends at 19:00
    assert duty_unsigned_handovers_flag(now=local(past_monday, "18:59")) == 0
    assert not flags(past_monday).exists()
    assert duty_unsigned_handovers_flag(now=local(past_monday, "19:00")) >= 1
    assert duty_unsigned_handovers_flag(now=local(past_monday, "20:00")) == 0  # once
    notice = flags(past_monday).get()
    assert notice.recipient == team.supervisor


def test_a_handover_signed_by_both_is_not_flagged(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    roster(team.agent2, past_monday, "B")
    entry = duty_entry_create(by=team.agent, date=past_monday, shift=shift("A"), data={})
    duty_entry_sign(entry=entry, by=team.agent)
    duty_entry_sign(entry=entry, by=team.agent2)
    duty_unsigned_handovers_flag(now=local(past_monday, "19:00"))
    assert not flags(past_monday).exists()


def test_signed_by_the_outgoing_only_is_not_a_signed_handover(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    roster(team.agent2, past_monday, "B")
    entry = duty_entry_create(by=team.agent, date=past_monday, shift=shift("A"), data={})
    duty_entry_sign(entry=entry, by=team.agent)
    duty_unsigned_handovers_flag(now=local(past_monday, "19:00"))
    assert flags(past_monday).get().recipient == team.supervisor


def test_each_supervisor_of_the_shifts_people_is_told(team, roster, past_monday):
    roster(team.agent, past_monday, "A")
    roster(team.outsider, past_monday, "A")  # another team's agent on the same shift
    roster(team.agent2, past_monday, "B")
    duty_unsigned_handovers_flag(now=local(past_monday, "19:00"))
    assert set(flags(past_monday).values_list("recipient", flat=True)) == {team.supervisor.pk,
                                                                           team.other_supervisor.pk}


def test_the_next_shift_is_the_next_one_somebody_is_rostered_on():
    monday = dt.date(2026, 11, 2)
    a, b, n = shift("A"), shift("B"), shift("N")
    # A then B the same day: B's end (19:00)
    assert next_shift_end(monday, a, [(monday, a), (monday, b)]) == local(monday, "19:00")
    # the night shift after B: it ends at 01:00 the next day
    assert next_shift_end(monday, b, [(monday, b), (monday, n)]) == local(monday + dt.timedelta(days=1), "01:00")
    # nobody rostered after A: the same shift the next day (17:00)
    assert next_shift_end(monday, a, [(monday, a)]) == local(monday + dt.timedelta(days=1), "17:00")
    # the next day's A after a night shift
    tuesday = monday + dt.timedelta(days=1)
    assert next_shift_end(monday, n, [(monday, n), (tuesday, a)]) == local(tuesday, "17:00")


def test_the_flag_job_is_registered():
    job = next(j for j in jobs() if j.name == "attendance-duty-unsigned-handovers")
    assert job.task == "staff.attendance.tasks.duty_unsigned_handovers"
