"""The three scoring workflows, move by move and role by role, through the services that make the moves.

The expected tables are written out here, never read from ``staff/scoring/workflow.py``:

- REGULATIONS §5 speaks of appeals: "An employee sees their own record and may appeal (申诉) once per record;
  a manager decides, and an upheld appeal voids the record (never deletes it)."
- It is silent on months and on what happens to a record besides the appeal: docs/scoring.md, "Months and
  records": a manager computes, closes ("freezes a month") and reopens ("needs a reason"); "a record whose event
  disappeared is withdrawn (kept, not counted); a record voided by an appeal stays voided"; "upholding in a
  closed month requires reopening it". Withdrawing, voiding and counting a record again are the product's own
  moves (``system``: a recomputation, an upheld appeal), never a person's.
"""

import datetime as dt

import pytest

from csmgmt.core.workflow import available_actions, blocked_actions, transition
from staff.models import Appeal, AppealEvent, PenaltyRecordEvent, ScoreCard, ScoreMonth, ScoreMonthEvent
from staff.scoring.services.appeals import appeal_decide, appeal_file
from staff.scoring.services.materialise import month_materialise
from staff.scoring.services.months import month_close, month_reopen
from staff.scoring.workflow import PENALTY_RECORD, ScoringError, ScoringForbidden
from tests.factories import AppealFactory, PenaltyRecordFactory
from tests.workflow_support import snapshot

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin")
SYSTEM = "system"  # the product itself: by=None

# (state, action) -> (next state, who may)
MONTH_EXPECTED = {
    ("open", "close"): ("closed", {"manager"}),
    ("closed", "reopen"): ("open", {"manager"}),
}
RECORD_EXPECTED = {
    ("active", "appeal"): ("active", {"owner"}),  # files the appeal; the record counts until it is upheld
    ("active", "void"): ("voided", {SYSTEM}),  # its appeal upheld
    ("active", "withdraw"): ("withdrawn", {SYSTEM}),  # its event is gone
    ("withdrawn", "reinstate"): ("active", {SYSTEM}),  # its event is back
    ("withdrawn", "void"): ("voided", {SYSTEM}),  # an appeal filed before it was withdrawn, upheld
}
APPEAL_EXPECTED = {
    ("pending", "uphold"): ("upheld", {"manager"}),  # never the appellant ("owner"), even a manager
    ("pending", "reject"): ("rejected", {"manager"}),
}


def cases(expected, states):
    actions = sorted({a for _s, a in expected})
    return [(s, a) for s in states for a in actions]


MONTH_CASES = cases(MONTH_EXPECTED, ("open", "closed"))
RECORD_CASES = cases(RECORD_EXPECTED, ("active", "withdrawn", "voided"))
APPEAL_CASES = cases(APPEAL_EXPECTED, ("pending", "upheld", "rejected"))


@pytest.fixture
def people(presets, make_employee):
    """One employee per role, the owner of the records (an agent) and a manager who appealed their own."""
    supervisor = make_employee("supervisor")
    people = {role: make_employee(role) for role in ROLES if role != "supervisor"}
    people["supervisor"] = supervisor
    people["owner"] = make_employee("agent", supervisor=supervisor)
    people["appellant_manager"] = make_employee("manager")
    people[SYSTEM] = None
    return people


def _ids(cases_):
    return [f"{s}-{a}" for s, a in cases_]


# --- score months ----------------------------------------------------------------------------------------

@pytest.fixture
def month_at(people):
    """month_at(state): a new month of 2025 in ``state``, computed while it was open (so that closing it
    computes nothing new)."""
    months = iter(range(1, 13))

    def make(state):
        m = next(months)
        month_materialise(year=2025, month=m, events=[])
        if state == "closed":
            ScoreMonth.objects.filter(year=2025, month=m).update(status=state)
        return ScoreMonth.objects.get(year=2025, month=m)

    return make


def month_move(score_month, action, by):
    if action == "close":
        return month_close(year=score_month.year, month=score_month.month, by=by)
    return month_reopen(year=score_month.year, month=score_month.month, by=by, reason="考勤补录")


@pytest.mark.parametrize(("state", "action"), MONTH_CASES, ids=_ids(MONTH_CASES))
def test_the_month_table_each_move_works_for_its_roles_and_every_other_is_refused(people, month_at, state,
                                                                                     action):
    expected = MONTH_EXPECTED.get((state, action))
    untouched = month_at(state)
    for who in (*ROLES, SYSTEM):
        by = people[who]
        if expected is not None and who in expected[1]:
            score_month = month_at(state)
            assert action in available_actions(score_month, by), who
            before = set(ScoreMonthEvent.objects.filter(score_month=score_month).values_list("pk", flat=True))
            month_move(score_month, action, by)
            score_month.refresh_from_db()
            assert score_month.status == expected[0], who
            events = list(ScoreMonthEvent.objects.filter(score_month=score_month).exclude(pk__in=before)
                          .values_list("action", "from_state", "to_state", "by_id"))
            assert events == [(action, state, expected[0], by.pk)], who
        else:
            before, cards = snapshot(untouched), ScoreCard.objects.count()
            with pytest.raises(ScoringError) as exc:
                month_move(untouched, action, by)
            if expected is None:  # no such move from this state: refused for anyone, naming the month
                assert str(untouched) in exc.value.message, who
            else:
                assert isinstance(exc.value, ScoringForbidden), who
            assert (snapshot(untouched), ScoreCard.objects.count()) == (before, cards), who
            if by is not None:
                assert action not in available_actions(untouched, by), who


def test_reopening_needs_a_reason_and_keeps_it_on_the_trail(people, month_at):
    score_month = month_at("closed")
    before = snapshot(score_month)
    with pytest.raises(ScoringError, match="reason"):
        month_reopen(year=2025, month=score_month.month, by=people["manager"], reason="  ")
    assert snapshot(score_month) == before
    month_reopen(year=2025, month=score_month.month, by=people["manager"], reason="考勤补录")
    assert list(score_month.events.filter(action="reopen").values_list("from_state", "to_state", "reason")) == [
        ("closed", "open", "考勤补录")]


def test_closing_a_month_never_computed_is_refused_to_a_supervisor_and_leaves_no_row(people):
    with pytest.raises(ScoringForbidden, match="Only a manager may close a month."):
        month_close(year=2024, month=5, by=people["supervisor"])
    assert not ScoreMonth.objects.filter(year=2024, month=5).exists()


# --- a closed month is left alone -------------------------------------------------------------------------


def everything_a_computation_writes():
    from staff.models import FundEntry, PenaltyRecord

    return (
        sorted(PenaltyRecord.objects.values_list("pk", "employee_id", "rule_id", "key", "occurrence", "points",
                                                 "money", "status")),
        sorted(ScoreCard.objects.values_list("pk", "score", "deductions", "fines", "violations")),
        sorted(FundEntry.objects.values_list("pk", "amount", "violations")),
        PenaltyRecord.history.count(), PenaltyRecordEvent.objects.count(), ScoreMonthEvent.objects.count(),
        list(ScoreMonth.objects.values_list("pk", "status", "rule_set_id", "materialised_at")),
    )


def test_a_recomputation_of_a_closed_month_changes_nothing_whoever_asks(people, ev):
    from staff.scoring.tasks import scoring_materialise
    from tests.factories import ManualEntryFactory

    agent, manager = people["owner"], people["manager"]
    month_materialise(year=2026, month=11, events=[ev(agent, 3, "absent")])
    month_close(year=2026, month=11, by=manager)  # computed from the real sources: the absence is withdrawn
    ManualEntryFactory(employee=agent, date=dt.date(2026, 11, 5), recorded_by=people["supervisor"])  # a new event
    before = everything_a_computation_writes()

    assert scoring_materialise(2026, 11) is False  # the nightly job, a queued recomputation
    for by in (None, manager):
        with pytest.raises(ScoringError, match="2026-11 is closed; reopen it first."):
            month_materialise(year=2026, month=11, by=by, events=[ev(agent, 3, "absent"), ev(agent, 4, "absent")])
        with pytest.raises(ScoringError, match="2026-11 is closed; reopen it first."):
            month_materialise(year=2026, month=11, by=by)

    assert everything_a_computation_writes() == before


def test_only_a_manager_or_the_product_computes_a_month(people, ev):
    with pytest.raises(ScoringForbidden, match="Only a manager may compute a month."):
        month_materialise(year=2026, month=11, by=people["supervisor"], events=[ev(people["owner"], 3, "absent")])
    assert not ScoreMonth.objects.exists()
    assert month_materialise(year=2026, month=11, by=people["manager"], events=[ev(people["owner"], 3, "absent")]
                             ).created == 1


# --- penalty records --------------------------------------------------------------------------------------


def record_at(state, owner):
    return PenaltyRecordFactory(employee=owner, status=state)


def record_move(record, action, by):
    if action == "appeal":
        return appeal_file(record=record, by=by, reason="那天我请了病假")
    return transition(PENALTY_RECORD, record, action, by=by)


@pytest.mark.parametrize(("state", "action"), RECORD_CASES, ids=_ids(RECORD_CASES))
def test_the_record_table_each_move_works_for_its_roles_and_every_other_is_refused(people, state, action):
    expected = RECORD_EXPECTED.get((state, action))
    untouched = record_at(state, people["owner"])
    for who in (*ROLES, "owner", SYSTEM):
        by = people[who]
        if expected is not None and who in expected[1]:
            record = record_at(state, people["owner"])
            if by is not None:
                assert action in available_actions(record, by), who
            record_move(record, action, by)
            record.refresh_from_db()
            assert record.status == expected[0], who
            events = list(PenaltyRecordEvent.objects.filter(record=record).values_list(
                "action", "from_state", "to_state", "by_id"))
            assert events == [(action, state, expected[0], by.pk if by else None)], who
        else:
            before, appeals = snapshot(untouched), Appeal.objects.count()
            with pytest.raises(ScoringError) as exc:
                record_move(untouched, action, by)
            if expected is not None:
                assert isinstance(exc.value, ScoringForbidden), who
            assert (snapshot(untouched), Appeal.objects.count()) == (before, appeals), who
            if by is not None:
                assert action not in available_actions(untouched, by), who


def test_a_voided_record_refuses_every_move(people):
    record = record_at("voided", people["owner"])
    for who in (*ROLES, "owner"):
        assert available_actions(record, people[who]) == [], who
    for action in ("appeal", "void", "withdraw", "reinstate"):
        before = snapshot(record)
        with pytest.raises(ScoringError):
            record_move(record, action, people["owner"] if action == "appeal" else None)
        assert snapshot(record) == before, action


@pytest.mark.parametrize(("fields", "message"), [
    ({"points": 0, "rule": "late"}, None),  # a free occurrence of a rule that counts as a violation: appealable
    ({"points": 1, "kind": "month"}, "Only a penalty can be appealed."),
])
def test_only_a_penalty_is_appealed(people, fields, message):
    from tests.factories import _points_rule

    fields = {**fields, "rule": _points_rule(fields.get("rule", "absent"))}
    record = PenaltyRecordFactory(employee=people["owner"], **fields)
    if message is None:
        assert available_actions(record, people["owner"]) == ["appeal"]
        appeal_file(record=record, by=people["owner"], reason="x")
        return
    assert available_actions(record, people["owner"]) == []
    assert blocked_actions(record, people["owner"]) == [("appeal", message)]
    with pytest.raises(ScoringError, match=message):
        appeal_file(record=record, by=people["owner"], reason="x")
    assert Appeal.objects.count() == 0


def test_a_record_is_appealed_once_and_the_page_is_told_why(people):
    record = record_at("active", people["owner"])
    appeal_file(record=record, by=people["owner"], reason="x")
    record.refresh_from_db()
    once = "This record has already been appealed; each record may be appealed once."
    assert blocked_actions(record, people["owner"]) == [("appeal", once)]
    before = snapshot(record)
    with pytest.raises(ScoringError, match=once):
        appeal_file(record=record, by=people["owner"], reason="again")
    assert snapshot(record) == before


# --- appeals ----------------------------------------------------------------------------------------------


def appeal_at(state, appellant):
    return AppealFactory(record=PenaltyRecordFactory(employee=appellant), status=state)


def appeal_move(appeal, action, by):
    return appeal_decide(appeal=appeal, by=by, uphold=action == "uphold", reason="核实病假条")


@pytest.mark.parametrize(("state", "action"), APPEAL_CASES, ids=_ids(APPEAL_CASES))
def test_the_appeal_table_each_move_works_for_its_roles_and_every_other_is_refused(people, state, action):
    expected = APPEAL_EXPECTED.get((state, action))
    untouched = {"owner": appeal_at(state, people["appellant_manager"])}  # a manager's own appeal
    others = appeal_at(state, people["owner"])
    for who in (*ROLES, "owner", SYSTEM):
        by = people["appellant_manager"] if who == "owner" else people[who]
        if expected is not None and who in expected[1]:
            appeal = appeal_at(state, people["owner"])
            assert action in available_actions(appeal, by), who
            appeal_move(appeal, action, by)
            appeal.refresh_from_db()
            assert (appeal.status, appeal.decided_by_id, appeal.decision_reason) == (expected[0], by.pk, "核实病假条")
            events = list(AppealEvent.objects.filter(appeal=appeal).values_list(
                "action", "from_state", "to_state", "by_id"))
            assert events == [(action, state, expected[0], by.pk)], who
            appeal.record.refresh_from_db()
            assert appeal.record.status == ("voided" if action == "uphold" else "active"), who
        else:
            appeal = untouched.get(who, others)
            before, record_before = snapshot(appeal), snapshot(appeal.record)
            with pytest.raises(ScoringError) as exc:
                appeal_move(appeal, action, by)
            if expected is None:
                assert exc.value.message == "This appeal has already been decided.", who
            elif who == "owner":
                assert exc.value.message == "You cannot decide your own appeal.", who
            else:
                assert isinstance(exc.value, ScoringForbidden), who
            assert (snapshot(appeal), snapshot(appeal.record)) == (before, record_before), who
            if by is not None:
                assert action not in available_actions(appeal, by), who


def test_upholding_needs_the_month_open_but_rejecting_does_not(people):
    appeal = appeal_at("pending", people["owner"])
    ScoreMonth.objects.filter(pk=appeal.record.score_month_id).update(status="closed")
    appeal = Appeal.objects.select_related("record__score_month").get(pk=appeal.pk)
    manager = people["manager"]
    assert available_actions(appeal, manager) == ["reject"]
    assert blocked_actions(appeal, manager) == [("uphold", "2026-11 is closed; reopen it before upholding an appeal.")]
    before = snapshot(appeal), snapshot(appeal.record)
    with pytest.raises(ScoringError, match="reopen it before upholding"):
        appeal_decide(appeal=appeal, by=manager, uphold=True, reason="ok")
    assert (snapshot(appeal), snapshot(appeal.record)) == before
    appeal_decide(appeal=appeal, by=manager, uphold=False, reason="无病假记录")
    appeal.refresh_from_db()
    assert appeal.status == "rejected"


def test_filing_writes_the_first_events_of_the_appeal_and_of_its_record(people):
    record = record_at("active", people["owner"])
    appeal = appeal_file(record=record, by=people["owner"], reason="那天我请了病假")
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list(
        "action", "from_state", "to_state", "by_id", "comment")) == [
        ("file", "", "pending", people["owner"].pk, "那天我请了病假")]
    assert list(record.events.values_list("action", "comment")) == [("appeal", "那天我请了病假")]


def test_an_upheld_appeal_voids_the_record_as_the_product_and_the_history_names_the_manager(people):
    appeal = appeal_at("pending", people["owner"])
    appeal_decide(appeal=appeal, by=people["manager"], uphold=True, reason="病假条已核实")
    record = appeal.record
    record.refresh_from_db()
    assert (record.status, record.void_reason) == ("voided", "Appeal upheld: 病假条已核实")
    assert list(record.events.values_list("action", "from_state", "to_state", "by_id", "comment", "data")) == [
        ("void", "active", "voided", None, "病假条已核实", {"appeal": appeal.pk})]
    assert record.history.first().history_user == people["manager"].user


def test_a_computation_writes_each_records_trail_as_the_product(people, ev):
    from staff.models import PenaltyRecord

    agent, manager = people["owner"], people["manager"]
    first, second = ev(agent, 3, "absent"), ev(agent, 4, "late")
    month_materialise(year=2026, month=11, by=manager, events=[first, second])
    absent = PenaltyRecord.objects.get(source=first.source)
    month_materialise(year=2026, month=11, events=[second])  # the absence is gone: withdrawn
    month_materialise(year=2026, month=11, events=[first, second])  # and back: it counts again
    assert list(absent.events.values_list("action", "from_state", "to_state", "by_id")) == [
        ("create", "", "active", manager.pk), ("withdraw", "active", "withdrawn", None),
        ("reinstate", "withdrawn", "active", None)]
    assert list(absent.history.order_by("history_date", "history_id").values_list("status", flat=True)) == [
        "active", "withdrawn", "active"]
    assert list(ScoreMonthEvent.objects.order_by("at", "id").values_list("action", "from_state", "to_state",
                                                                         "by_id")) == [
        ("materialise", "", "open", manager.pk), ("materialise", "", "open", None), ("materialise", "", "open", None)]
