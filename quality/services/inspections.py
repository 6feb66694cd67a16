"""Scoring an inspection on its checklist, a failed item recorded as a manual violation of scoring (through
scoring's own service), the agent's appeal (once) and its decision: upheld, the inspection and its violations
are voided (the violations through scoring's service too). Moves go through ``quality.workflow.INSPECTION``."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext

from csmgmt.core.notices import notification_send
from csmgmt.core.workflow import event_write
from staff.models import Employee
from staff.scoring.services.manual_entries import manual_entry_create, manual_entry_void
from staff.scoring.workflow import ScoringError

from ..models import Inspection, ItemScore
from ..workflow import INSPECTION, QualityError, QualityForbidden, inspection_transition, may_inspect


def _link(inspection) -> str:
    return reverse("quality:detail", args=[inspection.pk])


def scores_check(items, scores: dict) -> tuple[list[dict], int, list[str]]:
    """``scores`` {item id: (points, comment)} against the checklist ``items``: the rows to write, the total and
    the problems (each item scored between 0 and its points; a failed item — below half its points — has a
    comment)."""
    rows, problems, total = [], [], 0
    for item in items:
        points, comment = scores.get(item.pk, (None, ""))
        comment = (comment or "").strip()
        if points is None or not 0 <= points <= item.points:
            problems.append(_("“%(item)s”: give between 0 and %(max)s points.") % {"item": item.name,
                                                                                  "max": item.points})
            continue
        failed = points < item.points / 2
        if failed and not comment:
            problems.append(_("“%(item)s” failed (below half its points): say why in a comment.")
                            % {"item": item.name})
        rows.append({"item": item, "points": points, "failed": failed, "comment": comment})
        total += points
    return rows, total, problems


def inspection_score(*, inspection: Inspection, by: Employee, scores: dict, comment: str = "") -> Inspection:
    """The agent's supervisor or a manager scores a drawn call on its checklist version; the agent is told."""
    items = list(inspection.checklist.items.all())

    def apply(rec, ctx):
        rows, total, problems = scores_check(items, scores)
        if problems:
            raise QualityError(" ".join(problems))
        for row in rows:
            score = ItemScore(inspection=rec, **row)
            score._history_user = by.user
            score.save()
        rec.total = total
        rec.failed_items = sum(r["failed"] for r in rows)
        rec.comment = (comment or "").strip()
        rec.scored_by = by
        rec.scored_at = ctx.now

    def effects(rec, _action, _event):
        notification_send(
            recipient=rec.agent,
            message=gettext_lazy("Your call %(call)s was inspected: %(total)s points, %(failed)s failed item(s)."),
            params={"call": rec.call.number, "total": rec.total, "failed": rec.failed_items},
            link=_link(rec), key=f"quality-scored-{rec.pk}")

    _rows, total, _problems = scores_check(items, scores)  # the event's total is the checked one (apply refuses)
    return inspection_transition(inspection, "score", by=by, comment=comment, apply=apply, effects=effects,
                                 data={"total": total})


def violation_record(*, score: ItemScore, by: Employee):
    """A failed item becomes the manual violation its checklist item is mapped to, recorded today through
    scoring's service (so the month's records follow); the inspection and the violation point at each other."""
    with transaction.atomic():
        score = (ItemScore.objects.select_for_update(of=("self",))
                 .select_related("inspection__agent", "inspection__call", "item__violation_category")
                 .get(pk=score.pk))
        inspection = score.inspection
        if not may_inspect(inspection, by):
            raise QualityForbidden(_("Only the agent's supervisor or a manager may record a violation."))
        if inspection.state != Inspection.State.SCORED:
            raise QualityError(_("Violations are recorded from a scored inspection (not one appealed or voided)."))
        if not score.failed:
            raise QualityError(_("Only a failed item can be recorded as a violation."))
        if score.violation_id:
            raise QualityError(_("This item is already recorded as a violation."))
        category = score.item.violation_category
        if category is None:
            raise QualityError(_("This item is not mapped to a violation category; a manager maps it first."))
        note = _("Quality inspection of call %(call)s, “%(item)s” %(points)s/%(max)s: %(comment)s") % {
            "call": inspection.call.number, "item": score.item.name, "points": score.points,
            "max": score.item.points, "comment": score.comment}
        try:
            entry = manual_entry_create(employee=inspection.agent, category=category, date=timezone.localdate(),
                                        note=note, by=by)
        except ScoringError as exc:
            raise QualityError(exc.message) from None
        score.violation = entry
        score._history_user = by.user
        score.save(update_fields=["violation"])
        event_write(INSPECTION, inspection, action="violation", from_state="", to_state=inspection.state, by=by,
                    at=timezone.now(), comment=score.item.name, data={"item": score.item_id, "entry": entry.pk})
    return entry


def inspection_appeal(*, inspection: Inspection, by: Employee, reason: str) -> Inspection:
    """The agent appeals their scored inspection, once, with a reason."""
    reason = (reason or "").strip()

    def apply(rec, ctx):
        if not reason:
            raise QualityError(pgettext("inspection", "Explain why you appeal."))
        rec.appeal_reason = reason

    return inspection_transition(inspection, "appeal", by=by, comment=reason, apply=apply)


def appeal_decide(*, inspection: Inspection, by: Employee, uphold: bool, reason: str) -> Inspection:
    """The agent's supervisor or a manager (never the appellant) upholds — the inspection and the violations
    recorded from it are voided — or rejects, with a reason; the agent is told."""
    reason = (reason or "").strip()

    def apply(rec, ctx):
        if not reason:
            raise QualityError(pgettext("inspection", "Give the reason for your decision."))
        rec.decision_reason = reason
        if uphold:
            entries = [s.violation for s in rec.scores.select_related("violation__employee")
                       if s.violation_id and not s.violation.voided]
            for entry in entries:
                try:
                    manual_entry_void(entry=entry, by=by, reason=_("Inspection appeal upheld: %(reason)s")
                                      % {"reason": reason})
                except ScoringError as exc:
                    raise QualityError(exc.message) from None
            return [{"action": "violation_void", "comment": reason, "data": {"entries": [e.pk for e in entries]}}] \
                if entries else None
        return None

    def effects(rec, action, _event):
        notification_send(
            recipient=rec.agent,
            message=gettext_lazy("Your appeal of the inspection of call %(call)s was upheld: the inspection is "
                                 "voided.") if action == "uphold"
            else gettext_lazy("Your appeal of the inspection of call %(call)s was rejected: %(reason)s"),
            params={"call": rec.call.number} if action == "uphold" else {"call": rec.call.number,
                                                                          "reason": reason[:200]},
            link=_link(rec), key=f"quality-appeal-decided-{rec.pk}")

    return inspection_transition(inspection, "uphold" if uphold else "reject", by=by, comment=reason, apply=apply,
                                 effects=effects)
