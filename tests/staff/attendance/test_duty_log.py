import pytest
from django.utils import timezone

from staff.attendance.services.duty_log import duty_day_sign, duty_entry_create, duty_entry_sign, duty_entry_update
from staff.attendance.workflow import AttendanceError
from staff.models import DutyDaySignoff, DutyLogEntry
from tests.factories import shift

pytestmark = pytest.mark.django_db


def entry_for(team, **data):
    return duty_entry_create(by=team.agent, date=timezone.localdate(), shift=shift("A"),
                             data={"events": "系统升级", **data})


def test_one_entry_per_shift_and_an_addendum_is_its_own_entry(team):
    first = entry_for(team)
    with pytest.raises(AttendanceError):
        entry_for(team)
    addendum = duty_entry_create(by=team.agent2, date=None, shift=None, data={"events": "补充：钥匙已找到"},
                                 addendum_to=first)
    assert (addendum.date, addendum.shift, addendum.addendum_to) == (first.date, first.shift, first)
    assert DutyLogEntry.objects.count() == 2


def test_outgoing_signs_first_then_someone_else_as_incoming(team):
    entry = entry_for(team)
    with pytest.raises(AttendanceError):
        duty_entry_sign(entry=entry, by=team.agent2)  # the outgoing signs first
    duty_entry_sign(entry=entry, by=team.agent)
    with pytest.raises(AttendanceError):
        duty_entry_sign(entry=entry, by=team.agent)  # incoming must be someone else
    entry = duty_entry_sign(entry=entry, by=team.agent2, problems_found="传真机缺纸")
    assert (entry.incoming, entry.problems_found, entry.is_signed) == (team.agent2, "传真机缺纸", True)
    with pytest.raises(AttendanceError):
        duty_entry_sign(entry=entry, by=team.supervisor)


def test_nothing_is_edited_after_signing(team):
    entry = entry_for(team)
    duty_entry_update(entry=entry, by=team.agent, data={"events": "系统升级完成"})
    with pytest.raises(AttendanceError):
        duty_entry_update(entry=entry, by=team.agent2, data={"events": "别人改"})
    duty_entry_sign(entry=entry, by=team.agent)
    with pytest.raises(AttendanceError):
        duty_entry_update(entry=entry, by=team.agent, data={"events": "签字后再改"})
    entry.refresh_from_db()
    assert entry.events == "系统升级完成"
    assert [h.events for h in entry.history.order_by("history_date")] == ["系统升级", "系统升级完成", "系统升级完成"]


def test_supervisor_signs_the_day_only_when_every_entry_is_signed_by_both(team):
    entry = entry_for(team)
    day = entry.date
    with pytest.raises(AttendanceError):
        duty_day_sign(date=day, by=team.supervisor)
    duty_entry_sign(entry=entry, by=team.agent)
    duty_entry_sign(entry=entry, by=team.agent2)
    with pytest.raises(AttendanceError):
        duty_day_sign(date=day, by=team.agent)
    duty_day_sign(date=day, by=team.supervisor)
    with pytest.raises(AttendanceError):
        duty_day_sign(date=day, by=team.manager)
    assert DutyDaySignoff.objects.get(date=day).supervisor == team.supervisor


def test_last_entry_is_the_last_one_the_outgoing_signed(team):
    from staff.attendance.selectors import duty_last_entry

    entry = entry_for(team)
    assert duty_last_entry() is None
    duty_entry_sign(entry=entry, by=team.agent)
    assert duty_last_entry() == entry
