"""Computing (materialising) a month: its events, evaluated with the rule set in force, become penalty and
reward records, scorecards and the fund's automatic lines. Idempotent, and a closed month is left alone."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from csmgmt.core.permissions import can
from csmgmt.core.workflow import event_write, transition_many
from staff import rules
from staff.models import (Department, Employee, FundEntry, ManualEntry, PenaltyRecord, PenaltyRecordEvent, RosterEntry,
                          ScoreCard, ScoreMonth)

from ..selectors import month_shift
from ..sources import events_for_month
from ..workflow import PENALTY_RECORD, SCORE_MONTH, ScoringError, ScoringForbidden
from .common import ZERO, history_user, lock_month, month_is_closed
from .rule_sets import rule_set_active, rule_set_spec

Status = PenaltyRecord.Status


@dataclass(frozen=True)
class MaterialiseResult:
    created: int
    updated: int
    withdrawn: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


# What a computation keeps in step; the status moves only through the workflow (withdraw, reinstate).
RECORD_FIELDS = ("department_id", "kind", "occurrence", "tier", "source", "date", "points", "money", "flags",
                 "recorded_by_id", "note")


def _closed(label) -> ScoringError:
    return ScoringError(_("%(month)s is closed; reopen it first.") % {"month": label})


def month_materialise(*, year: int, month: int, by: Employee | None = None,
                      events: list[rules.Event] | None = None) -> MaterialiseResult:
    """Compute the month's penalty and reward records from its events with the active rule set, and
    bring the stored records, scorecards and fund lines in line with them. Idempotent: a second run with
    the same events writes nothing. Voided records stay voided; a record whose event is gone is
    withdrawn (kept, not counted), and counts again when its event comes back.

    A closed month is left alone, whoever asks — a manager's button, the nightly job, a recomputation queued
    by an edit: it is refused (:class:`ScoringError`) and nothing is written. ``by`` is the manager who asks,
    or None for the product's own work."""
    if by is not None and not can(by.user, "scoring.close_month"):
        raise ScoringForbidden(_("Only a manager may compute a month."))
    if month_is_closed(year=year, month=month):  # spares reading the sources; checked again under the lock
        raise _closed(f"{year:04d}-{month:02d}")
    if events is None:
        events = events_for_month(year=year, month=month)
    with transaction.atomic():
        score_month = lock_month(year=year, month=month)
        return materialise_locked(score_month, by=by, events=events, now=timezone.now())


def materialise_locked(score_month: ScoreMonth, *, by: Employee | None, now,
                       events: list[rules.Event] | None = None) -> MaterialiseResult:
    """:func:`month_materialise` on a month row the caller holds locked (closing computes the month one last
    time this way). Refused for a closed month. Its note on the month's trail is dated ``now``."""
    if not score_month.is_open:
        raise _closed(score_month)
    year, month = score_month.year, score_month.month
    if events is None:
        events = events_for_month(year=year, month=month)
    rule_set = rule_set_active()
    spec = rule_set_spec(rule_set)
    departments = scored_employees(event_employee_ids=[e.employee_id for e in events], year=year, month=month)
    events = [e for e in events if e.employee_id in departments]
    outcomes = rules.evaluate(events, spec, year=year, month=month, employees=departments)
    manual = _manual_details(outcomes)

    existing = {(r.employee_id, r.rule_id, r.key): r for r in score_month.records.all()}
    to_create, to_update, to_reinstate, seen = [], [], [], set()
    for o in outcomes:
        k = (o.employee_id, o.rule_id, o.key)
        seen.add(k)
        recorded_by_id, note = manual.get(o.source, (None, ""))
        wanted = {"department_id": departments[o.employee_id], "kind": o.kind, "occurrence": o.occurrence,
                  "tier": o.tier, "source": o.source, "date": o.date, "points": o.points, "money": o.money,
                  "flags": list(o.flags), "recorded_by_id": recorded_by_id, "note": note}
        record = existing.get(k)
        if record is None:
            to_create.append(PenaltyRecord(score_month=score_month, employee_id=o.employee_id, rule_id=o.rule_id,
                                           key=o.key, **wanted))
            continue
        if record.status == Status.VOIDED:
            continue  # an upheld appeal is final for this month
        if record.status == Status.WITHDRAWN:
            to_reinstate.append(record.pk)  # its event is back
        if any(_differs(getattr(record, f), v) for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(record, f, v)
            to_update.append(record)
    withdrawn = [r.pk for k, r in existing.items() if k not in seen and r.status == Status.ACTIVE]
    user = history_user(by)
    if to_create:
        created = bulk_create_with_history(to_create, PenaltyRecord, default_user=user)
        PenaltyRecordEvent.objects.bulk_create(
            [PenaltyRecordEvent(record=r, action="create", from_state="", to_state=Status.ACTIVE, by=by, at=now)
             for r in created], batch_size=1000)
    if to_update:
        bulk_update_with_history(to_update, PenaltyRecord, list(RECORD_FIELDS), default_user=user)
    _records_move(withdrawn, "withdraw", by=by, now=now)
    _records_move(to_reinstate, "reinstate", by=by, now=now)
    result = MaterialiseResult(created=len(to_create), updated=len({r.pk for r in to_update} | set(to_reinstate)),
                               withdrawn=len(withdrawn))
    rule_set_changed = score_month.rule_set_id != rule_set.pk
    cards_changed = _cards_refresh(score_month=score_month, spec=spec, departments=departments)
    fund_changed = _fund_refresh(score_month=score_month, spec=spec, departments=departments)
    if result.changed or rule_set_changed or cards_changed or fund_changed:
        score_month.rule_set = rule_set
        score_month.materialised_at = now
        score_month._history_user = user
        score_month.save(update_fields=["rule_set", "materialised_at"])
        event_write(SCORE_MONTH, score_month, action="materialise", from_state="", to_state=score_month.status,
                    by=by, at=now, data={"created": result.created, "updated": result.updated,
                                         "withdrawn": result.withdrawn, "rule_set": rule_set.name})
    return result


def _records_move(ids: list[int], action: str, *, by: Employee | None, now) -> None:
    """The product's own move of many records (withdraw, reinstate) through the engine, with a row in each
    record's edit history as a computation has always left."""
    if not ids:
        return
    transition_many(PENALTY_RECORD, ids, action, now=now)
    PenaltyRecord.history.bulk_history_create(list(PenaltyRecord.objects.filter(pk__in=ids)), update=True,
                                              default_user=history_user(by), default_date=now)


def scored_employees(*, event_employee_ids, year: int | None = None, month: int | None = None) -> dict[int, int]:
    """employee id -> department id for everyone scored: active customer-service employees, anyone with an
    event this month, and (REGULATIONS §8: one Scores row per rostered employee) anyone rostered in the month
    — someone who left since, or works in another department, included."""
    who = Q(active=True, department__kind=Department.Kind.CUSTOMER_SERVICE) | Q(pk__in=set(event_employee_ids))
    if year is not None:
        first = dt.date(year, month, 1)
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        who |= Q(pk__in=RosterEntry.objects.filter(date__gte=first, date__lte=last, shift__isnull=False)
                 .values("employee_id"))
    rows = Employee.objects.filter(who).values_list("pk", "department_id")
    return dict(rows)


def _differs(current, wanted) -> bool:
    if isinstance(wanted, Decimal):
        return Decimal(current) != wanted
    return current != wanted


def _manual_details(outcomes) -> dict[str, tuple[int, str]]:
    ids = [int(o.source.split(":", 1)[1]) for o in outcomes if o.source.startswith("manual:")]
    if not ids:
        return {}
    return {f"manual:{pk}": (by, note)
            for pk, by, note in ManualEntry.objects.filter(pk__in=ids).values_list("pk", "recorded_by_id", "note")}


def _record_outcomes(score_month: ScoreMonth) -> list[rules.Outcome]:
    """The month's counting records as the arithmetic's outcomes (one query), so totals use its rules."""
    rows = (score_month.records.filter(status=Status.ACTIVE)
            .values_list("employee_id", "rule__code", "rule_id", "kind", "occurrence", "tier", "points", "money",
                         "flags", "source", "date", "rule__counts_as_violation"))
    return [rules.Outcome(employee_id=e, rule_code=code, rule_id=rid, kind=kind, occurrence=n, tier=tier, points=p,
                          money=m, flags=tuple(flags or ()), source=src, date=date, counts_as_violation=violation)
            for e, code, rid, kind, n, tier, p, m, flags, src, date, violation in rows]


def _previous_scores(score_month: ScoreMonth, employee_ids, months: int) -> dict[int, list]:
    """Each employee's scores of the ``months`` months before, newest first (None where not computed)."""
    wanted = [month_shift(score_month.year, score_month.month, -i) for i in range(1, months + 1)]
    if not wanted:
        return {}
    q = Q()
    for y, m in wanted:
        q |= Q(score_month__year=y, score_month__month=m)
    found = {(e, y, m): s for e, y, m, s in ScoreCard.objects.filter(q, employee_id__in=list(employee_ids))
             .values_list("employee_id", "score_month__year", "score_month__month", "score")}
    return {e: [found.get((e, y, m)) for y, m in wanted] for e in employee_ids}


CARD_FIELDS = ("department_id", "base", "deductions", "rewards", "score", "fines", "reward_money", "violations",
               "flags")


def _cards_refresh(*, score_month: ScoreMonth, spec: rules.RuleSet, departments: dict[int, int]) -> bool:
    outcomes = _record_outcomes(score_month)
    existing = {c.employee_id: c for c in score_month.cards.all()}
    employee_ids = set(departments) | set(existing) | {o.employee_id for o in outcomes}
    if len(employee_ids) != len(departments):
        departments = {**dict(Employee.objects.filter(pk__in=employee_ids).values_list("pk", "department_id")),
                       **departments}
    previous = _previous_scores(score_month, employee_ids, spec.severe_months - 1)
    totals = rules.employee_totals(outcomes, spec, employees=employee_ids, previous_scores=previous)
    to_create, to_update = [], []
    for employee_id, t in totals.items():
        wanted = {"department_id": departments[employee_id], "base": t.base, "deductions": t.deductions,
                  "rewards": t.rewards, "score": t.score, "fines": t.fines, "reward_money": t.reward_money,
                  "violations": t.violations, "flags": list(t.flags)}
        card = existing.get(employee_id)
        if card is None:
            to_create.append(ScoreCard(score_month=score_month, employee_id=employee_id, **wanted))
        elif any(_differs(getattr(card, f), v) for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(card, f, v)
            to_update.append(card)
    ScoreCard.objects.bulk_create(to_create)
    ScoreCard.objects.bulk_update(to_update, list(CARD_FIELDS))
    return bool(to_create or to_update)


def _fund_refresh(*, score_month: ScoreMonth, spec: rules.RuleSet, departments: dict[int, int]) -> bool:
    """The month's automatic fund lines per department: fines in, rewards out, the bracket."""
    outcomes = _record_outcomes(score_month)
    by_employee_dept = dict(departments)
    missing = {o.employee_id for o in outcomes} - set(by_employee_dept)
    if missing:
        by_employee_dept.update(Employee.objects.filter(pk__in=missing).values_list("pk", "department_id"))
    dept_of_record = dict(score_month.records.filter(status=Status.ACTIVE)
                          .values_list("employee_id", "department_id").distinct())
    by_employee_dept.update(dept_of_record)
    wanted: dict[tuple[int, str], dict] = {}
    for o in outcomes:
        d = by_employee_dept[o.employee_id]
        if o.money < 0:
            line = wanted.setdefault((d, FundEntry.Kind.FINES), {"amount": ZERO})
            line["amount"] += -o.money
        elif o.money > 0:
            line = wanted.setdefault((d, FundEntry.Kind.REWARDS), {"amount": ZERO})
            line["amount"] -= o.money
    for dept in rules.department_outcomes(outcomes, spec, by_employee_dept):
        wanted[(dept.department_id, FundEntry.Kind.BRACKET)] = {
            "amount": dept.money, "violations": dept.violations, "bracket": dept.bracket, "flags": list(dept.flags)}
    existing = {(f.department_id, f.kind): f for f in score_month.fund_entries.filter(kind__in=FundEntry.AUTOMATIC)}
    changed = False
    for key, f in existing.items():
        if key not in wanted and (f.amount != 0 or f.flags or f.violations):
            wanted[key] = {"amount": ZERO, "violations": None, "bracket": "", "flags": []}
    for (department_id, kind), values in wanted.items():
        values = {"violations": None, "bracket": "", "flags": [], **values}
        entry = existing.get((department_id, kind))
        if entry is None:
            FundEntry.objects.create(score_month=score_month, department_id=department_id, kind=kind, **values)
            changed = True
        elif any(_differs(getattr(entry, f), v) for f, v in values.items()):
            for f, v in values.items():
                setattr(entry, f, v)
            entry.save()
            changed = True
    return changed


def record_void_refresh(*, score_month: ScoreMonth) -> None:
    """After a record of the month stops counting: its cards and fund lines follow."""
    rule_set = score_month.rule_set or rule_set_active()
    spec = rule_set_spec(rule_set)
    departments = dict(score_month.cards.values_list("employee_id", "department_id"))
    _cards_refresh(score_month=score_month, spec=spec, departments=departments)
    _fund_refresh(score_month=score_month, spec=spec, departments=departments)
