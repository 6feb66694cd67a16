"""Rule sets: the one in force, its settings and department brackets, rules with their tiers and threshold
extras, copies, and the violation and praise categories. Every edit recomputes the open months (a closed
month keeps the rule set it was closed with)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from staff import rules
from staff.models import DepartmentBracket, Employee, ManualCategory, Rule, RuleSet, Threshold, Tier

from ..workflow import ScoringError, ScoringForbidden
from .common import history_user, rematerialise_open_months

# --- rule sets as the arithmetic's input ------------------------------------------------------------------


def rule_set_active() -> RuleSet:
    rule_set = RuleSet.objects.filter(active=True).first()
    if rule_set is None:
        raise ScoringError(_("No rule set is active. A manager must choose one first."))
    return rule_set


def rule_set_spec(rule_set: RuleSet) -> rules.RuleSet:
    """The rule set's tables as the arithmetic's plain dataclasses (3 queries)."""
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


# --- editing them ----------------------------------------------------------------------------------------


def _may_configure(by: Employee, message) -> None:
    if not can(history_user(by), "scoring.configure"):
        raise ScoringForbidden(message)


def rule_set_activate(*, rule_set: RuleSet, by: Employee) -> RuleSet:
    """Make ``rule_set`` the one in force. Open months are recomputed with it; closed ones keep theirs."""
    _may_configure(by, _("Only a manager may choose the rule set."))
    with transaction.atomic():
        current = list(RuleSet.objects.select_for_update().filter(active=True).exclude(pk=rule_set.pk))
        for other in current:
            other.active = False
            other._history_user = by.user
            other.save(update_fields=["active"])
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if not rule_set.active:
            rule_set.active = True
            rule_set._history_user = by.user
            rule_set.save(update_fields=["active"])
        rematerialise_open_months()
    return rule_set


def rule_set_update(*, rule_set: RuleSet, by: Employee, fields: dict, brackets: list[dict]) -> RuleSet:
    """Save the rule set's settings and department brackets (ranges must ascend and not overlap)."""
    _may_configure(by, _("Only a manager may edit rule sets."))
    errors = rules.tier_errors([(b["first"], b["last"]) for b in brackets], minimum=0)
    if errors:
        raise ScoringError(" ".join(errors))
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        for name, value in fields.items():
            setattr(rule_set, name, value)
        rule_set._history_user = by.user
        rule_set.save()
        _replace_rows(rule_set.brackets.all(), DepartmentBracket, {"rule_set": rule_set}, brackets,
                      ("first", "last", "money", "flag"), by, key="first")
        rematerialise_open_months()
    return rule_set


def rule_save(*, rule_set: RuleSet, by: Employee, fields: dict, tiers: list[dict], thresholds: list[dict],
              rule: Rule | None = None) -> Rule:
    """Create or edit a rule with its tiers (ascending, not overlapping) and threshold extras."""
    _may_configure(by, _("Only a manager may edit rule sets."))
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
        rule._history_user = by.user
        rule.save()
        _replace_rows(rule.tiers.all(), Tier, {"rule": rule}, tiers, ("first", "last", "points", "money", "exempt"),
                      by, key="first")
        _replace_rows(rule.thresholds.all(), Threshold, {"rule": rule}, thresholds, ("at", "points", "money", "flag"),
                      by, key="at")
        rematerialise_open_months()
    return rule


def _replace_rows(current_qs, model, parent: dict, rows: list[dict], fields: tuple, by: Employee, *,
                  key: str) -> None:
    """Make the rows in force exactly ``rows``, matched on ``key``: unchanged ones stay, changed ones are
    updated, the others voided (kept, never deleted) before new ones are added (each change is in the model's
    history)."""
    current = {getattr(row, key): row for row in current_qs}
    wanted = {values[key]: {f: values.get(f) for f in fields} for values in rows}
    now = timezone.now()
    for k, row in current.items():
        if k not in wanted:
            row._history_user = by.user
            row.voided_at = now
            row.save(update_fields=["voided_at"])
    for k, values in wanted.items():
        row = current.get(k)
        if row is None:
            row = model(**parent, **values)
        elif all(getattr(row, f) == v for f, v in values.items()):
            continue
        else:
            for f, v in values.items():
                setattr(row, f, v)
        row._history_user = by.user
        row.save()


def rule_set_copy(*, rule_set: RuleSet, by: Employee, name: str, code: str) -> RuleSet:
    """A new rule set (not in force) with the same settings, rules, tiers, extras and brackets."""
    _may_configure(by, _("Only a manager may edit rule sets."))
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
        copy._history_user = by.user
        copy.save()
        for rule in source.rules.all():
            new = Rule(rule_set=copy, code=rule.code, name=rule.name, event_kind=rule.event_kind,
                       counts_as_violation=rule.counts_as_violation, spoils_clean_month=rule.spoils_clean_month,
                       active=rule.active, order=rule.order)
            new._history_user = by.user
            new.save()
            Tier.objects.bulk_create([Tier(rule=new, first=t.first, last=t.last, points=t.points, money=t.money,
                                           exempt=t.exempt) for t in rule.tiers.all()])
            Threshold.objects.bulk_create([Threshold(rule=new, at=t.at, points=t.points, money=t.money, flag=t.flag)
                                           for t in rule.thresholds.all()])
        DepartmentBracket.objects.bulk_create([
            DepartmentBracket(rule_set=copy, first=b.first, last=b.last, money=b.money, flag=b.flag)
            for b in source.brackets.all()])
    return copy


def category_save(*, by: Employee, fields: dict, category: ManualCategory | None = None) -> ManualCategory:
    _may_configure(by, _("Only a manager may configure categories."))
    with transaction.atomic():
        category = category or ManualCategory()
        for name, value in fields.items():
            setattr(category, name, value)
        if ManualCategory.objects.filter(code=category.code).exclude(pk=category.pk).exists():
            raise ScoringError(_("Another category already has the code “%(code)s”.") % {"code": category.code})
        category._history_user = by.user
        category.save()
    return category
