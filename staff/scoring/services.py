"""Every write of scoring: computing (materialising) a month's records, closing and reopening months,
manual entries, appeals, rule set edits and the department fund. The arithmetic is ``staff.rules``."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.uploads import PDF_TYPES, PHOTO_TYPES, UploadRejected, upload_kind
from staff import rules
from staff.models import (Appeal, Department, DepartmentBracket, Employee, FundEntry, ManualCategory, ManualEntry,
                          PenaltyRecord, Rule, RuleSet, ScoreCard, ScoreMonth, ScoreMonthEvent, Threshold, Tier)

from .selectors import can_record_for, can_see_employee, month_shift
from .sources import events_for_month

ZERO = Decimal("0")
EVIDENCE_TYPES = PHOTO_TYPES | PDF_TYPES


class ScoringError(Exception):
    """A refused scoring action; ``str(exc)`` is a message for the user."""


# --- rule sets as engine input -------------------------------------------------------------------------


def rule_set_active() -> RuleSet:
    rule_set = RuleSet.objects.filter(active=True).first()
    if rule_set is None:
        raise ScoringError(_("No rule set is active. A manager must choose one first."))
    return rule_set


def rule_set_spec(rule_set: RuleSet) -> rules.RuleSet:
    """The rule set's tables as the engine's plain dataclasses (3 queries)."""
    active_rules = list(rule_set.rules.filter(active=True).prefetch_related("tiers", "thresholds").order_by("order", "id"))
    return rules.RuleSet(
        rules=tuple(
            rules.Rule(
                id=r.pk, code=r.code, name=r.name, event_kind=r.event_kind, counts_as_violation=r.counts_as_violation,
                spoils_clean_month=r.spoils_clean_month,
                tiers=tuple(rules.Tier(first=t.first, last=t.last, points=t.points, money=t.money, exempt=t.exempt)
                            for t in sorted(r.tiers.all(), key=lambda t: t.first)),
                thresholds=tuple(rules.Threshold(at=t.at, points=t.points, money=t.money, flag=t.flag)
                                 for t in sorted(r.thresholds.all(), key=lambda t: t.at)),
            )
            for r in active_rules
        ),
        brackets=tuple(rules.Bracket(first=b.first, last=b.last, money=b.money, flag=b.flag)
                       for b in rule_set.brackets.order_by("first")),
        base_points=rule_set.base_points, warning_at=rule_set.warning_at, punishment_at=rule_set.punishment_at,
        severe_months=rule_set.severe_months,
    )


# --- months --------------------------------------------------------------------------------------------


def score_month_get_or_create(*, year: int, month: int) -> ScoreMonth:
    if not (1 <= month <= 12):
        raise ScoringError(_("There is no month %(m)s.") % {"m": month})
    try:
        with transaction.atomic():
            score_month, _created = ScoreMonth.objects.get_or_create(year=year, month=month)
    except IntegrityError:  # created by a concurrent caller between the get and the create
        score_month = ScoreMonth.objects.get(year=year, month=month)
    return score_month


def _lock_month(*, year: int, month: int) -> ScoreMonth:
    score_month_get_or_create(year=year, month=month)
    return ScoreMonth.objects.select_for_update().get(year=year, month=month)


def scored_employees(*, event_employee_ids) -> dict[int, int]:
    """employee id -> department id for everyone scored: active customer-service employees, plus anyone
    with an event this month."""
    rows = Employee.objects.filter(
        Q(active=True, department__kind=Department.Kind.CUSTOMER_SERVICE) | Q(pk__in=set(event_employee_ids))
    ).values_list("pk", "department_id")
    return dict(rows)


@dataclass(frozen=True)
class MaterialiseResult:
    created: int
    updated: int
    withdrawn: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


RECORD_FIELDS = ("department_id", "kind", "occurrence", "tier", "source", "date", "points", "money", "flags", "status",
                 "recorded_by_id", "note")


def month_materialise(*, year: int, month: int, by=None,
                      events: list[rules.Event] | None = None) -> MaterialiseResult:
    """Compute the month's penalty and reward records from its events with the active rule set, and
    bring the stored records, scorecards and fund lines in line with them. Idempotent: a second run with
    the same events writes nothing. Voided records stay voided; a record whose event is gone is
    withdrawn (kept, not counted). A closed month is refused."""
    if events is None:
        events = events_for_month(year=year, month=month)
    with transaction.atomic():
        score_month = _lock_month(year=year, month=month)
        if not score_month.is_open:
            raise ScoringError(_("%(month)s is closed; reopen it first.") % {"month": score_month})
        rule_set = rule_set_active()
        spec = rule_set_spec(rule_set)
        departments = scored_employees(event_employee_ids=[e.employee_id for e in events])
        events = [e for e in events if e.employee_id in departments]
        outcomes = rules.evaluate(events, spec, year=year, month=month, employees=departments)
        manual = _manual_details(outcomes)

        existing = {(r.employee_id, r.rule_id, r.key): r for r in score_month.records.all()}
        to_create, to_update, seen = [], [], set()
        for o in outcomes:
            k = (o.employee_id, o.rule_id, o.key)
            seen.add(k)
            recorded_by_id, note = manual.get(o.source, (None, ""))
            wanted = {"department_id": departments[o.employee_id], "kind": o.kind, "occurrence": o.occurrence,
                      "tier": o.tier, "source": o.source, "date": o.date, "points": o.points, "money": o.money,
                      "flags": list(o.flags), "status": PenaltyRecord.Status.ACTIVE,
                      "recorded_by_id": recorded_by_id, "note": note}
            record = existing.get(k)
            if record is None:
                to_create.append(PenaltyRecord(score_month=score_month, employee_id=o.employee_id, rule_id=o.rule_id,
                                               key=o.key, **wanted))
                continue
            if record.status == PenaltyRecord.Status.VOIDED:
                continue  # an upheld appeal is final for this month
            if any(_differs(getattr(record, f), v) for f, v in wanted.items()):
                for f, v in wanted.items():
                    setattr(record, f, v)
                to_update.append(record)
        withdrawn = [r for k, r in existing.items() if k not in seen and r.status == PenaltyRecord.Status.ACTIVE]
        for record in withdrawn:
            record.status = PenaltyRecord.Status.WITHDRAWN
        if to_create:
            bulk_create_with_history(to_create, PenaltyRecord, default_user=_user(by))
        if to_update or withdrawn:
            bulk_update_with_history(to_update + withdrawn, PenaltyRecord, list(RECORD_FIELDS),
                                     default_user=_user(by))
        result = MaterialiseResult(created=len(to_create), updated=len(to_update), withdrawn=len(withdrawn))
        rule_set_changed = score_month.rule_set_id != rule_set.pk
        cards_changed = _cards_refresh(score_month=score_month, spec=spec, departments=departments)
        fund_changed = _fund_refresh(score_month=score_month, spec=spec, departments=departments)
        if result.changed or rule_set_changed or cards_changed or fund_changed:
            score_month.rule_set = rule_set
            score_month.materialised_at = timezone.now()
            score_month._history_user = _user(by)
            score_month.save(update_fields=["rule_set", "materialised_at"])
            ScoreMonthEvent.objects.create(
                score_month=score_month, action=ScoreMonthEvent.Action.MATERIALISE, by=_employee(by),
                details={"created": result.created, "updated": result.updated, "withdrawn": result.withdrawn,
                         "rule_set": rule_set.name},
            )
    return result


def _differs(current, wanted) -> bool:
    if isinstance(wanted, Decimal):
        return Decimal(current) != wanted
    return current != wanted


def _user(user):
    return user


def _employee(user) -> Employee | None:
    return getattr(user, "employee", None) if user is not None else None


def _manual_details(outcomes) -> dict[str, tuple[int, str]]:
    ids = [int(o.source.split(":", 1)[1]) for o in outcomes if o.source.startswith("manual:")]
    if not ids:
        return {}
    return {f"manual:{pk}": (by, note)
            for pk, by, note in ManualEntry.objects.filter(pk__in=ids).values_list("pk", "recorded_by_id", "note")}


def _record_outcomes(score_month: ScoreMonth) -> list[rules.Outcome]:
    """The month's counting records as engine outcomes (one query), so totals use the engine's arithmetic."""
    rows = (score_month.records.filter(status=PenaltyRecord.Status.ACTIVE)
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
    dept_of_record = dict(score_month.records.filter(status=PenaltyRecord.Status.ACTIVE)
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


def month_close(*, year: int, month: int, by) -> ScoreMonth:
    """Compute the month one last time and freeze it: its records no longer change."""
    if not can(by, "scoring.close_month"):
        raise ScoringError(_("Only a manager may close a month."))
    with transaction.atomic():
        month_materialise(year=year, month=month, by=by)
        score_month = _lock_month(year=year, month=month)
        score_month.status = ScoreMonth.Status.CLOSED
        score_month._history_user = by
        score_month.save(update_fields=["status"])
        ScoreMonthEvent.objects.create(score_month=score_month, action=ScoreMonthEvent.Action.CLOSE,
                                       by=_employee(by))
    return score_month


def month_reopen(*, year: int, month: int, by, reason: str) -> ScoreMonth:
    if not can(by, "scoring.close_month"):
        raise ScoringError(_("Only a manager may reopen a month."))
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("Give a reason for reopening the month."))
    with transaction.atomic():
        score_month = _lock_month(year=year, month=month)
        if score_month.is_open:
            raise ScoringError(_("%(month)s is already open.") % {"month": score_month})
        score_month.status = ScoreMonth.Status.OPEN
        score_month._history_user = by
        score_month._change_reason = reason[:100]
        score_month.save(update_fields=["status"])
        ScoreMonthEvent.objects.create(score_month=score_month, action=ScoreMonthEvent.Action.REOPEN,
                                       by=_employee(by), reason=reason)
    return score_month


def _month_is_closed(date: dt.date) -> bool:
    return ScoreMonth.objects.filter(year=date.year, month=date.month, status=ScoreMonth.Status.CLOSED).exists()


def _rematerialise_after_commit(date: dt.date) -> None:
    from .tasks import scoring_materialise

    transaction.on_commit(lambda: scoring_materialise.delay(date.year, date.month))


# --- manual entries ------------------------------------------------------------------------------------


def evidence_check(file) -> str:
    """An evidence file must be an image or a PDF by its content (not its name), within the size limit.
    Returns the extension its content says it has."""
    try:
        return upload_kind(file, allowed=EVIDENCE_TYPES,
                           type_message=_("Evidence must be a photo (JPEG, PNG, GIF, WebP) or a PDF.")).extension
    except UploadRejected as exc:
        raise ScoringError(exc.message) from None


def manual_entry_create(*, employee: Employee, category: ManualCategory, date: dt.date, note: str, by,
                        evidence=None) -> ManualEntry:
    """``by`` is the recording user (a supervisor of the employee, or a manager)."""
    if not can_record_for(by, employee):
        raise ScoringError(_("You may record violations and praise only for your own team."))
    note = (note or "").strip()
    if not note:
        raise ScoringError(_("Write a note: what happened."))
    if not category.active:
        raise ScoringError(_("That category is no longer in use."))
    if date > timezone.localdate():
        raise ScoringError(_("The date is in the future."))
    if evidence:
        evidence.name = f"evidence.{evidence_check(evidence)}"  # named by its content, never by the uploader
    with transaction.atomic():
        if _month_is_closed(date):
            raise ScoringError(_("%(y)s-%(m)02d is closed; a manager must reopen it first.")
                               % {"y": date.year, "m": date.month})
        entry = ManualEntry(employee=employee, category=category, date=date, note=note, recorded_by=by.employee)
        if evidence:
            entry.evidence = evidence
        entry._history_user = by
        entry.save()
        from django.urls import reverse

        notification_send(
            recipient=employee,
            message=gettext_lazy("%(by)s recorded “%(category)s” for you on %(date)s: %(note)s"),
            params={"by": by.employee.name, "category": category.name, "date": date.isoformat(), "note": note[:150]},
            link=reverse("staff:scoring_card") + f"?month={date:%Y-%m}", key=f"scoring-manual-{entry.pk}",
        )
        _rematerialise_after_commit(date)
    return entry


def manual_entry_void(*, entry: ManualEntry, by, reason: str) -> ManualEntry:
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("Give a reason for voiding the entry."))
    if not can_record_for(by, entry.employee):
        raise ScoringError(_("You may record violations and praise only for your own team."))
    with transaction.atomic():
        entry = ManualEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.voided:
            raise ScoringError(_("The entry is already voided."))
        if _month_is_closed(entry.date):
            raise ScoringError(_("%(y)s-%(m)02d is closed; a manager must reopen it first.")
                               % {"y": entry.date.year, "m": entry.date.month})
        entry.voided = True
        entry.void_reason = reason[:300]
        entry._history_user = by
        entry.save(update_fields=["voided", "void_reason"])
        _rematerialise_after_commit(entry.date)
    return entry


# --- appeals -------------------------------------------------------------------------------------------


def record_is_penalty(record: PenaltyRecord) -> bool:
    """A deduction, a fine, or a (free) violation that still counts towards the totals."""
    return record.points < 0 or record.money < 0 or (
        record.kind == PenaltyRecord.Kind.OCCURRENCE and record.rule.counts_as_violation)


def appeal_file(*, record: PenaltyRecord, by, reason: str) -> Appeal:
    """The record's employee appeals it, once."""
    reason = (reason or "").strip()
    me = getattr(by, "employee", None)
    if me is None or me.pk != record.employee_id or not can(by, "scoring.view_own"):
        raise ScoringError(_("Only the employee concerned may appeal a record."))
    if not reason:
        raise ScoringError(_("Explain why you appeal."))
    if not record_is_penalty(record):
        raise ScoringError(_("Only a penalty can be appealed."))
    with transaction.atomic():
        record = PenaltyRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != PenaltyRecord.Status.ACTIVE:
            raise ScoringError(_("This record no longer counts; there is nothing to appeal."))
        if Appeal.objects.filter(record=record).exists():
            raise ScoringError(_("This record has already been appealed; each record may be appealed once."))
        appeal = Appeal(record=record, employee=me, reason=reason)
        appeal._history_user = by
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError:
            raise ScoringError(_("This record has already been appealed; each record may be appealed once."))
        from django.urls import reverse

        link = reverse("staff:scoring_appeals")
        for manager in Employee.objects.filter(active=True, user__groups__name="manager").select_related("user"):
            notification_send(recipient=manager, message=gettext_lazy("%(name)s appealed a scoring record."),
                              params={"name": me.name}, link=link, key=f"scoring-appeal-filed-{appeal.pk}")
    return appeal


def appeal_decide(*, appeal: Appeal, by, uphold: bool, reason: str) -> Appeal:
    """A manager upholds (the record is voided, never deleted) or rejects, with a reason."""
    reason = (reason or "").strip()
    if not can(by, "scoring.decide_appeal"):
        raise ScoringError(_("Only a manager may decide appeals."))
    if not reason:
        raise ScoringError(_("Give the reason for your decision."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("record__score_month").get(pk=appeal.pk)
        if appeal.status != Appeal.Status.PENDING:
            raise ScoringError(_("This appeal has already been decided."))
        if appeal.employee_id == by.employee.pk:
            raise ScoringError(_("You cannot decide your own appeal."))
        record = PenaltyRecord.objects.select_for_update().get(pk=appeal.record_id)
        score_month = ScoreMonth.objects.select_for_update().get(pk=record.score_month_id)
        if uphold and not score_month.is_open:
            raise ScoringError(_("%(month)s is closed; reopen it before upholding an appeal.") % {"month": score_month})
        appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
        appeal.decided_by = by.employee
        appeal.decided_at = timezone.now()
        appeal.decision_reason = reason
        appeal._history_user = by
        appeal.save()
        if uphold:
            record.status = PenaltyRecord.Status.VOIDED
            record.void_reason = _("Appeal upheld: %(reason)s") % {"reason": reason}
            record._history_user = by
            record.save(update_fields=["status", "void_reason"])
            record_void_refresh(score_month=score_month)
        from django.urls import reverse

        notification_send(
            recipient=appeal.employee,
            message=gettext_lazy("Your appeal was upheld: the record is voided.") if uphold
            else gettext_lazy("Your appeal was rejected: %(reason)s"),
            params=None if uphold else {"reason": reason[:200]},
            link=reverse("staff:scoring_card") + f"?month={score_month}", key=f"scoring-appeal-decided-{appeal.pk}",
        )
    return appeal


def record_void_refresh(*, score_month: ScoreMonth) -> None:
    """After a record of the month stops counting: its cards and fund lines follow."""
    rule_set = score_month.rule_set or rule_set_active()
    spec = rule_set_spec(rule_set)
    departments = dict(score_month.cards.values_list("employee_id", "department_id"))
    _cards_refresh(score_month=score_month, spec=spec, departments=departments)
    _fund_refresh(score_month=score_month, spec=spec, departments=departments)


# --- the fund ------------------------------------------------------------------------------------------


def fund_adjust(*, department: Department, year: int, month: int, amount: Decimal, note: str, by) -> FundEntry:
    note = (note or "").strip()
    if not can(by, "scoring.close_month"):
        raise ScoringError(_("Only a manager may change the department fund."))
    if not note:
        raise ScoringError(_("Write what the money is for."))
    if amount == 0:
        raise ScoringError(_("The amount cannot be zero."))
    with transaction.atomic():
        score_month = _lock_month(year=year, month=month)
        entry = FundEntry(department=department, score_month=score_month, kind=FundEntry.Kind.ADJUSTMENT,
                          amount=amount, note=note[:300], created_by=by.employee)
        entry._history_user = by
        entry.save()
    return entry


# --- rule sets -----------------------------------------------------------------------------------------


def _rematerialise_open_months() -> None:
    from .tasks import scoring_materialise

    months = list(ScoreMonth.objects.filter(status=ScoreMonth.Status.OPEN).values_list("year", "month"))
    transaction.on_commit(lambda: [scoring_materialise.delay(y, m) for y, m in months])


def rule_set_activate(*, rule_set: RuleSet, by) -> RuleSet:
    """Make ``rule_set`` the one in force. Open months are recomputed with it; closed ones keep theirs."""
    if not can(by, "scoring.configure"):
        raise ScoringError(_("Only a manager may choose the rule set."))
    with transaction.atomic():
        current = list(RuleSet.objects.select_for_update().filter(active=True).exclude(pk=rule_set.pk))
        for other in current:
            other.active = False
            other._history_user = by
            other.save(update_fields=["active"])
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if not rule_set.active:
            rule_set.active = True
            rule_set._history_user = by
            rule_set.save(update_fields=["active"])
        _rematerialise_open_months()
    return rule_set


def rule_set_update(*, rule_set: RuleSet, by, fields: dict, brackets: list[dict]) -> RuleSet:
    """Save the rule set's settings and department brackets (ranges must ascend and not overlap)."""
    if not can(by, "scoring.configure"):
        raise ScoringError(_("Only a manager may edit rule sets."))
    errors = rules.tier_errors([(b["first"], b["last"]) for b in brackets], minimum=0)
    if errors:
        raise ScoringError(" ".join(errors))
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        for name, value in fields.items():
            setattr(rule_set, name, value)
        rule_set._history_user = by
        rule_set.save()
        _replace_rows(rule_set.brackets.all(), DepartmentBracket, {"rule_set": rule_set}, brackets,
                      ("first", "last", "money", "flag"), by, key="first")
        _rematerialise_open_months()
    return rule_set


def rule_save(*, rule_set: RuleSet, by, fields: dict, tiers: list[dict], thresholds: list[dict],
              rule: Rule | None = None) -> Rule:
    """Create or edit a rule with its tiers (ascending, not overlapping) and threshold extras."""
    if not can(by, "scoring.configure"):
        raise ScoringError(_("Only a manager may edit rule sets."))
    tiers = [{**t, "exempt": bool(t.get("exempt"))} for t in tiers]
    errors = rules.tier_errors([(t["first"], t["last"]) for t in tiers])
    ats = [t["at"] for t in thresholds]
    if len(ats) != len(set(ats)):
        errors.append(_("Two threshold extras have the same number."))
    if errors:
        raise ScoringError(" ".join(errors))
    with transaction.atomic():
        if rule is None:
            rule = Rule(rule_set=rule_set)
        else:
            rule = Rule.objects.select_for_update().get(pk=rule.pk, rule_set=rule_set)
        for name, value in fields.items():
            setattr(rule, name, value)
        if Rule.objects.filter(rule_set=rule_set, code=rule.code).exclude(pk=rule.pk).exists():
            raise ScoringError(_("Another rule of this set already has the code “%(code)s”.") % {"code": rule.code})
        rule._history_user = by
        rule.save()
        _replace_rows(rule.tiers.all(), Tier, {"rule": rule}, tiers, ("first", "last", "points", "money", "exempt"),
                      by, key="first")
        _replace_rows(rule.thresholds.all(), Threshold, {"rule": rule}, thresholds, ("at", "points", "money", "flag"),
                      by, key="at")
        _rematerialise_open_months()
    return rule


def _replace_rows(current_qs, model, parent: dict, rows: list[dict], fields: tuple, by, *, key: str) -> None:
    """Make the child rows exactly ``rows``, matched on ``key``: unchanged ones stay, changed ones are
    updated, the others removed before new ones are added (each change is in the model's history)."""
    current = {getattr(row, key): row for row in current_qs}
    wanted = {values[key]: {f: values.get(f) for f in fields} for values in rows}
    for k, row in current.items():
        if k not in wanted:
            row._history_user = by
            row.delete()
    for k, values in wanted.items():
        row = current.get(k)
        if row is None:
            row = model(**parent, **values)
        elif all(getattr(row, f) == v for f, v in values.items()):
            continue
        else:
            for f, v in values.items():
                setattr(row, f, v)
        row._history_user = by
        row.save()


def rule_set_copy(*, rule_set: RuleSet, by, name: str, code: str) -> RuleSet:
    """A new rule set (not in force) with the same settings, rules, tiers, extras and brackets."""
    if not can(by, "scoring.configure"):
        raise ScoringError(_("Only a manager may edit rule sets."))
    name, code = (name or "").strip(), (code or "").strip()
    if not name or not code:
        raise ScoringError(_("Give the new rule set a name and a code."))
    if RuleSet.objects.filter(code=code).exists():
        raise ScoringError(_("Another rule set already has the code “%(code)s”.") % {"code": code})
    with transaction.atomic():
        source = RuleSet.objects.prefetch_related("rules__tiers", "rules__thresholds", "brackets").get(pk=rule_set.pk)
        copy = RuleSet(code=code, name=name, description=_("Copy of “%(name)s”.") % {"name": source.name},
                       base_points=source.base_points, warning_at=source.warning_at,
                       punishment_at=source.punishment_at, severe_months=source.severe_months, active=False)
        copy._history_user = by
        copy.save()
        for rule in source.rules.all():
            new = Rule(rule_set=copy, code=rule.code, name=rule.name, event_kind=rule.event_kind,
                       counts_as_violation=rule.counts_as_violation, spoils_clean_month=rule.spoils_clean_month,
                       active=rule.active, order=rule.order)
            new._history_user = by
            new.save()
            Tier.objects.bulk_create([Tier(rule=new, first=t.first, last=t.last, points=t.points, money=t.money,
                                           exempt=t.exempt) for t in rule.tiers.all()])
            Threshold.objects.bulk_create([Threshold(rule=new, at=t.at, points=t.points, money=t.money, flag=t.flag)
                                           for t in rule.thresholds.all()])
        DepartmentBracket.objects.bulk_create([
            DepartmentBracket(rule_set=copy, first=b.first, last=b.last, money=b.money, flag=b.flag)
            for b in source.brackets.all()])
    return copy


def category_save(*, by, fields: dict, category: ManualCategory | None = None) -> ManualCategory:
    if not can(by, "scoring.configure"):
        raise ScoringError(_("Only a manager may configure categories."))
    with transaction.atomic():
        category = category or ManualCategory()
        for name, value in fields.items():
            setattr(category, name, value)
        if ManualCategory.objects.filter(code=category.code).exclude(pk=category.pk).exists():
            raise ScoringError(_("Another category already has the code “%(code)s”.") % {"code": category.code})
        category._history_user = by
        category.save()
    return category


def can_view_card(user, employee: Employee) -> bool:
    return can_see_employee(user, employee)
