"""The scoring workflows (REGULATIONS §5; docs/scoring.md, "Months and records") as tables, run by the engine
(``csmgmt.core.workflow``). ``TABLE[state][action] = move(next state, roles, guards…)``.

- A **score month** is open or closed. A manager closes it (its records are computed one last time, then
  frozen) and reopens it with a reason: reopening is a move back to open, not a state of its own. Computing a
  month is not a move (it writes a note on the month's trail when it changes something) and is refused for a
  closed month: a closed month is left alone, whoever asks (``services.materialise``).
- A **penalty record** counts (active), is voided by an upheld appeal, or is withdrawn when a recomputation
  finds its event gone, and counts again when the event comes back: the product's own moves (``SYSTEM``).
  The employee the record belongs to (``"owner"``) appeals it — once, and only a penalty — by a move that
  keeps it active and files the appeal.
- An **appeal** waits for a manager, who upholds it (its record is voided) or rejects it, with a reason.
  Nobody decides their own appeal; upholding needs the record's month open.

Who may see whom is not narrowed further for these moves: a manager acts on every employee's records.
Services make the moves (``staff.scoring.services``); pages build their buttons from
:func:`available_actions`.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.roles import Role
from csmgmt.core.workflow import SYSTEM, EventSpec, Workflow, WorkflowError, WorkflowForbidden, guard, move, transition
from staff.models import Appeal, AppealEvent, PenaltyRecord, PenaltyRecordEvent, ScoreMonth, ScoreMonthEvent

MANAGER = Role.MANAGER
OWNER = "owner"  # the employee the record belongs to


class ScoringError(WorkflowError):
    """A refused scoring action; ``str(exc)`` (and ``exc.message``) is a message for the user."""


class ScoringForbidden(ScoringError, WorkflowForbidden):
    """The employee may not make this move on this record."""


# --- score months ----------------------------------------------------------------------------------------

Month = ScoreMonth.Status

MONTH_TABLE = {
    Month.OPEN: {
        "close": move(Month.CLOSED, {MANAGER}),
    },
    Month.CLOSED: {
        "reopen": move(Month.OPEN, {MANAGER}),  # with a reason
    },
}


def _month_refusal(score_month, action) -> str:
    if action == "close":
        return _("%(month)s is closed; reopen it first.") % {"month": score_month}
    return _("%(month)s is already open.") % {"month": score_month}


SCORE_MONTH = Workflow(
    name="score_month",
    model=ScoreMonth,
    field="status",
    table=MONTH_TABLE,
    events=EventSpec(model=ScoreMonthEvent, record="score_month", comment="reason", data="details"),
    labels={"close": gettext_lazy("Close month"), "reopen": gettext_lazy("Reopen")},
    describe=lambda m: {"month": str(m)},
    error=ScoringError,
    forbidden=ScoringForbidden,
    refusal=_month_refusal,
)


# --- penalty records -------------------------------------------------------------------------------------

Record = PenaltyRecord.Status


def record_is_penalty(record: PenaltyRecord) -> bool:
    """A deduction, a fine, or a (free) violation that still counts towards the totals."""
    return record.points < 0 or record.money < 0 or (
        record.kind == PenaltyRecord.Kind.OCCURRENCE and record.rule.counts_as_violation)


def record_not_appealed(record: PenaltyRecord) -> bool:
    try:
        record.appeal
    except Appeal.DoesNotExist:
        return True
    return False


IS_PENALTY = guard(lambda ctx: record_is_penalty(ctx.record), gettext_lazy("Only a penalty can be appealed."),
                   name="is_penalty")
ONCE = guard(lambda ctx: record_not_appealed(ctx.record),
             gettext_lazy("This record has already been appealed; each record may be appealed once."),
             name="appealed_once")

RECORD_TABLE = {
    Record.ACTIVE: {
        "appeal": move(Record.ACTIVE, {OWNER}, IS_PENALTY, ONCE),  # files the appeal; the record still counts
        "void": move(Record.VOIDED, {SYSTEM}),  # its appeal was upheld
        "withdraw": move(Record.WITHDRAWN, {SYSTEM}),  # a recomputation found its event gone
    },
    Record.WITHDRAWN: {
        "reinstate": move(Record.ACTIVE, {SYSTEM}),  # a recomputation found its event again
        "void": move(Record.VOIDED, {SYSTEM}),  # an appeal filed before it was withdrawn, upheld
    },
    Record.VOIDED: {},  # an upheld appeal is final for the month
}


def _record_relations(record, employee) -> set:
    return {OWNER} if record.employee_id == employee.pk else set()


def _record_refusal(record, action) -> str:
    if action == "appeal":
        return _("This record no longer counts; there is nothing to appeal.")
    return _("“%(action)s” is not possible now: %(record)s is “%(state)s”.") % {
        "action": PENALTY_RECORD.label(action), "record": record,
        "state": PenaltyRecord.Status(record.status).label}


PENALTY_RECORD = Workflow(
    name="penalty_record",
    model=PenaltyRecord,
    field="status",
    table=RECORD_TABLE,
    events=EventSpec(model=PenaltyRecordEvent, record="record"),
    labels={"create": gettext_lazy("Computed"), "appeal": gettext_lazy("Appeal"), "void": gettext_lazy("Voided"),
            "withdraw": gettext_lazy("Withdrawn"), "reinstate": gettext_lazy("Counts again")},
    relations=_record_relations,
    lock_related=("rule", "score_month"),
    history=False,  # the services name the person in the record's edit history (the manager who upheld)
    error=ScoringError,
    forbidden=ScoringForbidden,
    refusal=_record_refusal,
)


# --- appeals ---------------------------------------------------------------------------------------------

AppealStatus = Appeal.Status

NOT_OWN_APPEAL = guard(lambda ctx: ctx.by is None or ctx.record.employee_id != ctx.by.pk,
                       gettext_lazy("You cannot decide your own appeal."), name="not_own_appeal")
MONTH_OPEN = guard(lambda ctx: ctx.record.record.score_month.is_open,
                   gettext_lazy("%(month)s is closed; reopen it before upholding an appeal."), name="month_open")

APPEAL_TABLE = {
    AppealStatus.PENDING: {
        "uphold": move(AppealStatus.UPHELD, {MANAGER}, NOT_OWN_APPEAL, MONTH_OPEN),  # voids the record
        "reject": move(AppealStatus.REJECTED, {MANAGER}, NOT_OWN_APPEAL),
    },
    AppealStatus.UPHELD: {},
    AppealStatus.REJECTED: {},
}

APPEAL = Workflow(
    name="appeal",
    model=Appeal,
    field="status",
    table=APPEAL_TABLE,
    events=EventSpec(model=AppealEvent, record="appeal"),
    labels={"file": gettext_lazy("Appeal filed"), "uphold": gettext_lazy("Uphold (void the record)"),
            "reject": gettext_lazy("Reject")},
    lock_related=("record__score_month",),
    describe=lambda a: {"month": str(a.record.score_month)},
    error=ScoringError,
    forbidden=ScoringForbidden,
    refusal=lambda appeal, action: _("This appeal has already been decided."),
    forbidden_message=gettext_lazy("Only a manager may decide appeals."),
)


# --- making the moves ------------------------------------------------------------------------------------

# A person without the move's role is refused in the move's own words, as scoring always has.
FORBIDDEN = {
    (SCORE_MONTH, "close"): gettext_lazy("Only a manager may close a month."),
    (SCORE_MONTH, "reopen"): gettext_lazy("Only a manager may reopen a month."),
    (PENALTY_RECORD, "appeal"): gettext_lazy("Only the employee concerned may appeal a record."),
}


def scoring_transition(wf: Workflow, record, action: str, *, by, **kwargs):
    """:func:`csmgmt.core.workflow.transition` (the same arguments), with the refusal of someone who lacks the
    move's role worded for that move (:data:`FORBIDDEN`)."""
    try:
        return transition(wf, record, action, by=by, **kwargs)
    except ScoringForbidden as exc:
        message = FORBIDDEN.get((wf, action))
        if message is None:
            raise
        raise ScoringForbidden(message) from exc
