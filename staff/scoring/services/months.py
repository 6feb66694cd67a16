"""A month's moves — closing (computed one last time, then frozen) and reopening with a reason — through the
workflow engine (``staff.scoring.workflow.SCORE_MONTH``), and the department fund's adjustments."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from csmgmt.core.workflow import permitted
from staff.models import Department, Employee, FundEntry, ScoreMonth

from ..workflow import FORBIDDEN, SCORE_MONTH, ScoringError, ScoringForbidden, scoring_transition
from .common import history_user, lock_month, score_month_get_or_create
from .materialise import materialise_locked


def _month_row(*, year: int, month: int, action: str, by: Employee) -> ScoreMonth:
    """The month's row for ``action``. A month never computed has no row yet and is open: its row is created
    only for someone the move allows, so that a refused move leaves nothing behind."""
    score_month = ScoreMonth.objects.filter(year=year, month=month).first()
    if score_month is not None:
        return score_month
    new = ScoreMonth(year=year, month=month)
    move = SCORE_MONTH.table[new.status].get(action)
    if move is None:
        raise ScoringError(SCORE_MONTH.refusal(new, action))
    if not permitted(SCORE_MONTH, new, move, by):
        raise ScoringForbidden(FORBIDDEN[(SCORE_MONTH, action)])
    return score_month_get_or_create(year=year, month=month)


def month_close(*, year: int, month: int, by: Employee) -> ScoreMonth:
    """Compute the month one last time and freeze it: its records no longer change."""

    def apply(score_month, ctx):
        materialise_locked(score_month, by=by, now=ctx.now)

    return scoring_transition(SCORE_MONTH, _month_row(year=year, month=month, action="close", by=by), "close",
                              by=by, apply=apply)


def month_reopen(*, year: int, month: int, by: Employee, reason: str) -> ScoreMonth:
    """Open a closed month again, with a reason (on the month's trail and in its history)."""
    reason = (reason or "").strip()

    def apply(score_month, ctx):
        if not reason:
            raise ScoringError(_("Give a reason for reopening the month."))
        score_month._change_reason = reason[:100]

    return scoring_transition(SCORE_MONTH, _month_row(year=year, month=month, action="reopen", by=by), "reopen",
                              by=by, comment=reason, apply=apply)


# --- the department fund ---------------------------------------------------------------------------------


def fund_adjust(*, department: Department, year: int, month: int, amount: Decimal, note: str,
                by: Employee) -> FundEntry:
    """A manager's line in the department fund's ledger (spending, a correction), with a note."""
    note = (note or "").strip()
    if not can(history_user(by), "scoring.close_month"):
        raise ScoringForbidden(_("Only a manager may change the department fund."))
    if not note:
        raise ScoringError(_("Write what the money is for."))
    if amount == 0:
        raise ScoringError(_("The amount cannot be zero."))
    with transaction.atomic():
        score_month = lock_month(year=year, month=month)
        entry = FundEntry(department=department, score_month=score_month, kind=FundEntry.Kind.ADJUSTMENT,
                          amount=amount, note=note[:300], created_by=by)
        entry._history_user = by.user
        entry.save()
    return entry
