"""Appeals (申诉): the employee appeals a penalty record once (the record's "appeal" move); a manager upholds
the appeal (the record is voided, never deleted; the card and the fund follow) or rejects it, with a reason.
The workflows are ``staff.scoring.workflow.PENALTY_RECORD`` and ``APPEAL``."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.workflow import record_created, transition
from staff.models import Appeal, Employee, PenaltyRecord, ScoreMonth

from ..workflow import APPEAL, PENALTY_RECORD, ScoringError, scoring_transition
from .materialise import record_void_refresh

ONCE = gettext_lazy("This record has already been appealed; each record may be appealed once.")


def appeal_file(*, record: PenaltyRecord, by: Employee, reason: str) -> Appeal:
    """The record's employee appeals it, once, with a reason; only a penalty that still counts. The
    managers are told."""
    reason = (reason or "").strip()
    filed = []

    def apply(rec, ctx):
        if not reason:
            raise ScoringError(_("Explain why you appeal."))
        rec._history_user = by.user
        appeal = Appeal(record=rec, employee=by, reason=reason)
        appeal._history_user = by.user
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError:  # filed by a concurrent request
            raise ScoringError(str(ONCE)) from None
        record_created(APPEAL, appeal, by=by, action="file", comment=reason, at=ctx.now)
        link = reverse("staff:scoring_appeals")
        for manager in Employee.objects.filter(active=True, user__groups__name="manager").select_related("user"):
            notification_send(recipient=manager, message=gettext_lazy("%(name)s appealed a scoring record."),
                              params={"name": by.name}, link=link, key=f"scoring-appeal-filed-{appeal.pk}")
        filed.append(appeal)

    scoring_transition(PENALTY_RECORD, record, "appeal", by=by, comment=reason, apply=apply)
    return filed[0]


def appeal_decide(*, appeal: Appeal, by: Employee, uphold: bool, reason: str) -> Appeal:
    """A manager (never the appellant) upholds — the record is voided, its month must be open — or rejects,
    with a reason. The employee is told."""
    reason = (reason or "").strip()

    def apply(rec, ctx):
        if not reason:
            raise ScoringError(_("Give the reason for your decision."))
        rec.decided_by = by
        rec.decided_at = ctx.now
        rec.decision_reason = reason
        score_month = rec.record.score_month
        if uphold:
            _record_void(rec, by=by, reason=reason, now=ctx.now)
            record_void_refresh(score_month=score_month)
        notification_send(
            recipient=rec.employee,
            message=gettext_lazy("Your appeal was upheld: the record is voided.") if uphold
            else gettext_lazy("Your appeal was rejected: %(reason)s"),
            params=None if uphold else {"reason": reason[:200]},
            link=reverse("staff:scoring_card") + f"?month={score_month}", key=f"scoring-appeal-decided-{rec.pk}",
        )

    with transaction.atomic():
        # The month first (as a computation locks it): nobody closes it while the appeal is decided.
        month_id = PenaltyRecord.objects.filter(pk=appeal.record_id).values_list("score_month_id", flat=True).get()
        ScoreMonth.objects.select_for_update().filter(pk=month_id).get()
        return scoring_transition(APPEAL, appeal, "uphold" if uphold else "reject", by=by, comment=reason,
                                  apply=apply)


def _record_void(appeal: Appeal, *, by: Employee, reason: str, now) -> None:
    """The consequence of an upheld appeal: the product voids its record (``SYSTEM``); the record's edit
    history names the manager who upheld it."""

    def apply(record, ctx):
        record.void_reason = _("Appeal upheld: %(reason)s") % {"reason": reason}
        record._history_user = by.user

    transition(PENALTY_RECORD, appeal.record, "void", by=None, comment=reason, data={"appeal": appeal.pk},
               apply=apply, now=now)
