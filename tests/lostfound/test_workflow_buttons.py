"""The found-item, lost-report and handover pages offer exactly the moves the engine allows: for each state and
each role, their buttons are ``available_actions``. A department handler and an administrator see none of these
pages (403) and may make none of the moves."""

import datetime as dt

import pytest
from django.utils import timezone

from csmgmt.core.workflow import available_actions
from lostfound.models import HandoverBatch
from tests.factories import FoundItemFactory, LostReportFactory
from tests.workflow_support import assert_buttons_are_the_available_actions

pytestmark = pytest.mark.django_db

LOST_AND_FOUND = ("agent", "supervisor", "manager", "custodian")
NO_ENTRY = ("handler", "admin")


@pytest.fixture
def people(make_employee):
    return {role: make_employee(role) for role in LOST_AND_FOUND + NO_ENTRY}


def _offered(client_for, people, url, record, roles):
    offered = {}
    for role in roles:
        offered[role] = assert_buttons_are_the_available_actions(client_for(people[role]), url, record, people[role])
    for role in NO_ENTRY:
        assert client_for(people[role]).get(url).status_code == 403, role
        assert available_actions(record, people[role]) == [], role
    return offered


@pytest.mark.parametrize("state", ("registered", "stored", "claimed", "finance", "disposed"))
def test_the_item_page_shows_the_buttons_of_each_roles_available_moves(client_for, people, state):
    batch = HandoverBatch.objects.create(number="YJ-202611-0001", period="202611")
    item = FoundItemFactory(status=state, found_at=timezone.now() - dt.timedelta(days=40), handover_batch=batch)
    offered = _offered(client_for, people, f"/lostfound/items/{item.pk}/", item, LOST_AND_FOUND)
    # written out: agents release claims, the custodian also takes in and disposes; the move to finance is made
    # from the handover page, never from the item's
    held = state in ("registered", "stored")
    assert offered["agent"] == offered["supervisor"] == offered["manager"] == ({"claim"} if held else set())
    assert offered["custodian"] == {"registered": {"claim", "store", "dispose"}, "stored": {"claim", "dispose"}}.get(
        state, set())


@pytest.mark.parametrize("state", ("open", "claimed", "withdrawn"))
def test_the_lost_report_page_shows_the_buttons_of_each_roles_available_moves(client_for, people, state):
    report = LostReportFactory(status=state)
    offered = _offered(client_for, people, f"/lostfound/reports/{report.pk}/", report, LOST_AND_FOUND)
    # written out: anyone of lost and found withdraws an open report; its claim is the product's, with its item
    expected = {"withdraw"} if state == "open" else set()
    assert offered == {role: expected for role in LOST_AND_FOUND}


@pytest.mark.parametrize("state", ("prepared", "confirmed"))
def test_the_handover_page_shows_the_custodian_the_confirm_button_of_a_prepared_batch(client_for, people, state):
    fields = {"confirmed_at": timezone.now(), "confirmed_by": people["custodian"]} if state == "confirmed" else {}
    batch = HandoverBatch.objects.create(number="YJ-202611-0001", period="202611", status=state, **fields)
    FoundItemFactory(handover_batch=batch, found_at=timezone.now() - dt.timedelta(days=40))
    url = f"/lostfound/handovers/{batch.pk}/"
    offered = _offered(client_for, people, url, batch, ("custodian",))
    assert offered["custodian"] == ({"confirm"} if state == "prepared" else set())
    for role in ("agent", "supervisor", "manager"):  # the handover pages are the custodian's
        assert client_for(people[role]).get(url).status_code == 403, role
        assert available_actions(batch, people[role]) == [], role
