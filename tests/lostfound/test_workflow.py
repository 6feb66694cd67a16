"""The lost-and-found tables, move by move and role by role, through the services.

The expected tables are written out here — from REGULATIONS §6 where it speaks, from docs/lostfound.md where it is
silent — so that a wrong entry in lostfound/workflow.py fails. Lost and found has no record-relative role and no
object-level rule: every agent and the custodian work every record (docs/lostfound.md, "Pages"); "system" is the
product itself (``by=None``)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from csmgmt.core.workflow import available_actions, transition
from lostfound import services
from lostfound.models import Claim, FoundItemEvent, HandoverBatch, HandoverBatchEvent, LostReport, LostReportEvent
from lostfound.workflow import LOST_REPORT, LostfoundForbidden
from tests.factories import FoundItemFactory, LostReportFactory
from tests.workflow_support import snapshot

pytestmark = pytest.mark.django_db

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin", "system")
STAFF = {"agent", "supervisor", "manager", "custodian"}  # lostfound.register / release_claim (a manager is an agent)
CUSTODIAN = {"custodian"}

# Found items, REGULATIONS §6: "Statuses: registered → stored → (claimed | handed to finance | disposed)";
# "valuables … go to the custodian, who records the storage place"; "once a month the custodian hands the items
# confirmed unclaimed to the finance department as a batch". docs/lostfound.md: agents, supervisors, managers and
# the custodian release claims ("Pages"); "anyone with lostfound.custody (the custodian) may take any registered
# item into custody"; "disposal … is a custodian action" ("Decisions where the issue was silent").
# (state, action) -> (next state, roles that may)
ITEM_EXPECTED = {
    ("registered", "store"): ("stored", CUSTODIAN),
    ("registered", "claim"): ("claimed", STAFF),
    ("registered", "finance"): ("finance", CUSTODIAN),
    ("registered", "dispose"): ("disposed", CUSTODIAN),
    ("stored", "claim"): ("claimed", STAFF),
    ("stored", "finance"): ("finance", CUSTODIAN),
    ("stored", "dispose"): ("disposed", CUSTODIAN),
}
ITEM_STATES = ("registered", "stored", "claimed", "finance", "disposed")
ITEM_ACTIONS = ("store", "claim", "finance", "dispose")
ITEM_FINAL = ("claimed", "finance", "disposed")

# Lost reports, docs/lostfound.md (REGULATIONS §6 names no statuses for them): "lost reports are withdrawn with a
# reason"; "claiming closes the lost report chosen on the claim form (or the one marked contacted)" — the product
# does it, as a consequence of the item's claim.
REPORT_EXPECTED = {
    ("open", "withdraw"): ("withdrawn", STAFF),
    ("open", "claim"): ("claimed", {"system"}),
}
REPORT_STATES = ("open", "claimed", "withdrawn")
REPORT_ACTIONS = ("withdraw", "claim")

# Finance handovers, REGULATIONS §6: the custodian hands the items over "as a batch with a handover list";
# docs/lostfound.md: confirming it (with the finance receiver's name) is the custodian's, and a confirmed batch
# takes nothing more.
HANDOVER_EXPECTED = {
    ("prepared", "confirm"): ("confirmed", CUSTODIAN),
}
HANDOVER_STATES = ("prepared", "confirmed")


@pytest.fixture
def people(make_employee):
    """One employee per role, each holding that role alone; "system" is the product (None)."""
    return {**{role: make_employee(role) for role in ROLES if role != "system"}, "system": None}


_periods = itertools.count(1)


def _batch(status="prepared", **fields):
    n = next(_periods)
    if status == "confirmed":
        fields.setdefault("confirmed_by", FoundItemFactory().received_by)
        fields.setdefault("confirmed_at", timezone.now())
    return HandoverBatch.objects.create(number=f"YJ-{n:06d}-0001", period=f"{n:06d}", status=status, **fields)


def _item_at(state):
    """An item in ``state``, listed on a prepared handover (so that only the table and the roles decide)."""
    return FoundItemFactory(status=state, category="bag", found_at=timezone.now() - dt.timedelta(days=40),
                            handover_batch=_batch())


def _item_move(item, action, by):
    """The service that makes ``action``, with input it accepts."""
    if action == "store":
        return services.found_item_store(item=item, by=by, storage_place="保险柜A-1", handover_person="张伟")
    if action == "claim":
        return services.claim_release(item_id=item.pk, by=by, claimant_name="王女士", id_type="resident_id",
                                      id_number="110101199001011234", phone="13912345678",
                                      description_given="黑色双肩包", verified_by=by or item.received_by,
                                      signed_on_paper=True)
    if action == "finance":
        return services.found_item_hand_to_finance(item=item, batch=item.handover_batch, by=by)
    if action == "dispose":
        return services.found_item_dispose(item=item, by=by, reason="已损坏，无保存价值")
    raise AssertionError(action)


def _item_snapshot(item):
    return snapshot(item), Claim.objects.filter(item=item).count()


def _user(person):
    return person.user if person is not None else None


ITEM_CASES = [(s, a) for s in ITEM_STATES for a in ITEM_ACTIONS]


@pytest.mark.parametrize(("state", "action"), ITEM_CASES, ids=[f"{s}-{a}" for s, a in ITEM_CASES])
def test_the_found_item_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, state, action):
    expected = ITEM_EXPECTED.get((state, action))
    untouched = _item_at(state)  # every refusal is tried on it: none may change it
    for role in ROLES:
        person = people[role]
        if expected is not None and role in expected[1]:
            item = _item_at(state)
            # offered on the item page — except the move to finance, which the handover page makes
            assert (action in available_actions(item, _user(person))) is (action != "finance"), role
            _item_move(item, action, person)
            item.refresh_from_db()
            assert item.status == expected[0], role
            events = list(FoundItemEvent.objects.filter(item=item).values_list("action", "from_status", "to_status",
                                                                               "by_id"))
            assert events == [(action, state, expected[0], person.pk)], role
        else:
            before = _item_snapshot(untouched)
            with pytest.raises(services.LostfoundError) as exc:
                _item_move(untouched, action, person)
            assert untouched.number in exc.value.message, role
            if expected is not None:  # the move exists, not for this role
                assert isinstance(exc.value, LostfoundForbidden), role
            assert _item_snapshot(untouched) == before, role
            assert action not in available_actions(untouched, _user(person)), role


@pytest.mark.parametrize("state", ITEM_FINAL)
def test_a_final_item_refuses_every_move(people, state):
    item = _item_at(state)
    before = _item_snapshot(item)
    for action, role in itertools.product(ITEM_ACTIONS, ROLES):
        with pytest.raises(services.LostfoundError):
            _item_move(item, action, people[role])
        assert _item_snapshot(item) == before, (action, role)
        assert available_actions(item, _user(people[role])) == [], role


def test_a_claimed_item_refuses_every_move(people):
    item = FoundItemFactory(category="bag", handover_batch=_batch())
    _item_move(item, "claim", people["agent"])
    item.refresh_from_db()
    assert item.status == "claimed"
    before = _item_snapshot(item)
    for action, role in itertools.product(ITEM_ACTIONS, ROLES):
        with pytest.raises(services.LostfoundError) as exc:
            _item_move(item, action, people[role])
        if action == "claim":
            assert isinstance(exc.value, services.AlreadyClaimed), role
            assert exc.value.message == f"Item {item.number} is already claimed.", role
        else:
            assert exc.value.message == f"Item {item.number} is Claimed: it cannot be changed that way.", role
        assert _item_snapshot(item) == before, (action, role)
        assert available_actions(item, _user(people[role])) == [], role


def test_an_item_goes_to_finance_only_with_the_handover_it_is_listed_on(people):
    custodian = people["custodian"]
    listed = _item_at("stored")
    unlisted = FoundItemFactory(status="stored")
    other = _batch()
    for item, batch in ((listed, other), (unlisted, other)):
        before = _item_snapshot(item)
        with pytest.raises(services.LostfoundError, match="cannot be changed that way"):
            services.found_item_hand_to_finance(item=item, batch=batch, by=custodian)
        assert _item_snapshot(item) == before
    services.found_item_hand_to_finance(item=listed, batch=listed.handover_batch, by=custodian)
    listed.refresh_from_db()
    assert listed.status == "finance"
    assert listed.events.get().data == {"handover": listed.handover_batch_id}


# --- lost reports ------------------------------------------------------------------------------------------


def _report_move(report, action, by):
    if action == "withdraw":
        return services.lost_report_withdraw(report=report, by=by, reason="客户已自行找到")
    if action == "claim":  # the product's move; no service lets a person make it (claim_release makes it)
        return transition(LOST_REPORT, report, "claim", by=by)
    raise AssertionError(action)


REPORT_CASES = [(s, a) for s in REPORT_STATES for a in REPORT_ACTIONS]


@pytest.mark.parametrize(("state", "action"), REPORT_CASES, ids=[f"{s}-{a}" for s, a in REPORT_CASES])
def test_the_lost_report_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, state, action):
    expected = REPORT_EXPECTED.get((state, action))
    untouched = LostReportFactory(status=state)
    for role in ROLES:
        person = people[role]
        if expected is not None and role in expected[1]:
            report = LostReportFactory(status=state)
            assert (action in available_actions(report, _user(person))) is (person is not None), role
            _report_move(report, action, person)
            report.refresh_from_db()
            assert report.status == expected[0], role
            events = list(LostReportEvent.objects.filter(report=report).values_list("action", "from_state",
                                                                                    "to_state", "by_id"))
            assert events == [(action, state, expected[0], person.pk if person else None)], role
        else:
            before = snapshot(untouched)
            with pytest.raises(services.LostfoundError) as exc:
                _report_move(untouched, action, person)
            assert untouched.number in exc.value.message, role
            if expected is not None:
                assert isinstance(exc.value, LostfoundForbidden), role
            assert snapshot(untouched) == before, role
            assert action not in available_actions(untouched, _user(person)), role


@pytest.mark.parametrize("state", ("claimed", "withdrawn"))
def test_a_closed_lost_report_refuses_every_move(people, state):
    report = LostReportFactory(status=state)
    before = snapshot(report)
    for action, role in itertools.product(REPORT_ACTIONS, ROLES):
        with pytest.raises(services.LostfoundError) as exc:
            _report_move(report, action, people[role])
        assert exc.value.message == f"Lost report {report.number} is no longer open.", (action, role)
        assert snapshot(report) == before, (action, role)


def test_releasing_an_item_closes_its_lost_report_as_the_product(people):
    agent = people["agent"]
    item = FoundItemFactory()
    report = LostReportFactory()
    services.lost_report_mark_contacted(report=report, item=item, by=agent)
    claim = _item_move(item, "claim", agent)
    report.refresh_from_db()
    assert (report.status, report.matched_item, report.closing_note) == ("claimed", item,
                                                                         f"Item {item.number} claimed.")
    assert list(report.events.values_list("action", "from_state", "to_state", "by_id", "data")) == [
        ("owner_contacted", "", "", agent.pk, {"item": item.pk}),
        ("claim", "open", "claimed", None, {"item": item.pk, "claim": claim.pk}),
    ]
    assert report.history.first().history_user == agent.user  # the edit trail names who released the item


def test_a_lost_report_is_registered_with_its_first_event(people):
    agent = people["agent"]
    report = services.lost_report_register(by=agent, owner_name="王女士", owner_phone="13912345678",
                                           category="bag", description="红色双肩包", lost_at=timezone.now())
    assert list(report.events.values_list("action", "from_state", "to_state", "by_id")) == [
        ("register", "", "open", agent.pk)]


def test_withdrawing_a_lost_report_records_the_reason_on_its_trail(people):
    report = LostReportFactory()
    services.lost_report_withdraw(report=report, by=people["custodian"], reason="  客户已自行找到 ")
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("withdrawn", "客户已自行找到")
    assert list(report.events.values_list("action", "by_id", "comment")) == [
        ("withdraw", people["custodian"].pk, "客户已自行找到")]


# --- finance handovers ----------------------------------------------------------------------------------


def _batch_with_an_item(state):
    batch = _batch(state)
    item = FoundItemFactory(category="bag", found_at=timezone.now() - dt.timedelta(days=40), handover_batch=batch)
    return batch, item


def _confirm(batch, by):
    return services.handover_confirm(batch=batch, by=by, finance_receiver="罗红", note="十一月未认领物品")


@pytest.mark.parametrize("state", HANDOVER_STATES)
def test_the_handover_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, state):
    expected = HANDOVER_EXPECTED.get((state, "confirm"))
    untouched, untouched_item = _batch_with_an_item(state)
    for role in ROLES:
        person = people[role]
        if expected is not None and role in expected[1]:
            batch, item = _batch_with_an_item(state)
            assert "confirm" in available_actions(batch, _user(person)), role
            _confirm(batch, person)
            batch.refresh_from_db()
            item.refresh_from_db()
            assert (batch.status, batch.confirmed_by, batch.finance_receiver) == (expected[0], person, "罗红"), role
            events = list(HandoverBatchEvent.objects.filter(batch=batch).values_list("action", "from_state",
                                                                                     "to_state", "by_id"))
            assert events == [("confirm", state, expected[0], person.pk)], role
            assert item.status == "finance"
            assert list(item.events.values_list("action", "by_id")) == [("finance", person.pk)]
        else:
            before = (snapshot(untouched), _item_snapshot(untouched_item))
            with pytest.raises(services.LostfoundError) as exc:
                _confirm(untouched, person)
            assert untouched.number in exc.value.message, role
            if expected is not None:
                assert isinstance(exc.value, LostfoundForbidden), role
            assert (snapshot(untouched), _item_snapshot(untouched_item)) == before, role
            assert "confirm" not in available_actions(untouched, _user(person)), role


def test_a_handover_with_no_item_still_held_is_not_confirmed(people):
    batch = _batch()
    claimed = FoundItemFactory(status="claimed", handover_batch=batch)  # claimed after the list was prepared
    before = (snapshot(batch), _item_snapshot(claimed))
    with pytest.raises(services.LostfoundError, match="No item of this handover is still held."):
        _confirm(batch, people["custodian"])
    assert (snapshot(batch), _item_snapshot(claimed)) == before


def test_the_monthly_task_prepares_the_handover_as_the_product_the_button_as_the_custodian(people, client_for):
    from django.urls import reverse

    from lostfound import tasks

    FoundItemFactory(category="bag", found_at=timezone.now() - dt.timedelta(days=40))
    by_task = HandoverBatch.objects.get(pk=tasks.handover_prepare_month.delay("209901").get())
    assert list(by_task.events.values_list("action", "from_state", "to_state", "by_id")) == [
        ("prepare", "", "prepared", None)]

    FoundItemFactory(category="bag", found_at=timezone.now() - dt.timedelta(days=40))  # due after the task ran
    client = client_for(people["custodian"])
    client.post(reverse("lostfound:handover_prepare"), {"confirm": "1"})
    by_hand = HandoverBatch.objects.get(period=timezone.localdate().strftime("%Y%m"))
    assert list(by_hand.events.values_list("action", "by_id")) == [("prepare", people["custodian"].pk)]
