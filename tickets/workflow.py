"""The call workflow (REGULATIONS §2) as one table, run by the engine (``csmgmt.core.workflow``).

``Call.status`` is open, closed or voided. ``TABLE[status][action] = move(next status, roles, guards…)``:

- 首问负责 (first-contact responsibility): the call's **owner** — the customer-service employee it belongs to
  (:func:`relations`) — or a supervisor (a manager too) hands it over while it is open and closes it;
- a department **handler** records their department's reply on an open call transferred to that department
  (the object-level rule, :func:`scope`); the reply does not close the call;
- only a **supervisor** voids a call, open or closed, with a reason; a voided call is final;
- reopening is a move (closed → open), made by editing the outcome of a closed call to anything but
  "resolved" (``tickets.services.call_update``): the guard :data:`BY_A_NEW_OUTCOME` lets it happen only from
  that edit, so the call page offers no reopen button;
- an imported register that names no importer closes its closed calls as the product itself (``SYSTEM``);
- 报修 followed to the end: an open repair request sent to a department moves through "on site" and "finished"
  (the owner, a supervisor, or a handler of that department) and is closed by the "revisit" with the customer's
  satisfaction (the owner or a supervisor); "close" refuses it before that (:data:`NOT_A_REPAIR_BEFORE_ITS_REVISIT`).

A call is logged by one of the creating moves (``TABLE[NEW]``): open, or — resolved on the call — closed at
once, one move and one event ("Logged") either way; a register imported without an importer is logged by the
product itself. Notes and "opened as a complaint" move nothing: they are plain events of the same trail
(``tickets.services``).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.permissions import roles_of
from csmgmt.core.roles import CS_ROLES, Role
from csmgmt.core.workflow import NEW, SYSTEM, EventSpec, Workflow, WorkflowError, WorkflowForbidden
from csmgmt.core.workflow import available_actions as engine_available_actions
from csmgmt.core.workflow import guard, move, when

from .models import Call, CallEvent, CallRevisit, CallRevisitEvent

OPEN, CLOSED, VOIDED = Call.Status.OPEN, Call.Status.CLOSED, Call.Status.VOIDED

# 首问负责: the call's owner, or a supervisor (and so a manager) on any call
EDITORS = frozenset({"owner", Role.SUPERVISOR})


class CallError(WorkflowError):
    """A domain refusal, shown to the user as a message."""


class PermissionRefused(CallError, WorkflowForbidden):
    """The user may not do this on this call."""


class MoveForbidden(PermissionRefused):
    """The engine's refusal of a person the table does not allow; the services give it the action's own
    message (:data:`FORBIDDEN`)."""


def _new_open_outcome(ctx) -> bool:
    """Reopening comes from an edit of the outcome to a new one other than "resolved"."""
    outcome = ctx.data.get("to_outcome")
    return outcome not in (None, "", Call.Outcome.RESOLVED) and outcome != ctx.record.outcome


BY_A_NEW_OUTCOME = guard(_new_open_outcome, name="by a new outcome")

# 报修 followed to the end (REGULATIONS §2, 001 L713–715): a repair request sent to a department is done only when
# someone was on site, the repair was finished and the customer was asked for their opinion (the revisit).
REPAIR_HANDS = frozenset({"owner", Role.SUPERVISOR, Role.HANDLER})  # the owner, or the department's handler


def follows_repair(call) -> bool:
    """A repair request dispatched to a department: followed through on site, finished and revisit."""
    return call.category == Call.Category.REPAIR and call.outcome == Call.Outcome.TRANSFERRED


def awaits_on_site(call) -> bool:
    return follows_repair(call) and call.repair_on_site_at is None


def awaits_finish(call) -> bool:
    return follows_repair(call) and call.repair_on_site_at is not None and call.repair_finished_at is None


def awaits_revisit(call) -> bool:
    return follows_repair(call) and call.repair_finished_at is not None


NOT_A_REPAIR_BEFORE_ITS_REVISIT = guard(
    lambda ctx: not follows_repair(ctx.record),
    gettext_lazy("Repair request %(number)s is done only after the repair is finished and the customer's revisit "
                 "is recorded."),
    name="not a repair before its revisit")

TABLE = {
    NEW: {  # logging a call (tickets.log_call: customer service), or an imported register's call
        "log": move(OPEN, {Role.AGENT, SYSTEM}),
        "log_resolved": move(CLOSED, {Role.AGENT, SYSTEM}),  # 当场解决: resolved on the call
    },
    OPEN: {
        "hand_over": move(OPEN, EDITORS),
        "reply": move(OPEN, {Role.HANDLER}),  # the department the call was transferred to (scope)
        "on_site": move(OPEN, REPAIR_HANDS, when(awaits_on_site)),
        "finished": move(OPEN, REPAIR_HANDS, when(awaits_finish)),
        "revisit": move(CLOSED, EDITORS, when(awaits_revisit)),  # the customer's opinion: the repair is done
        "close": move(CLOSED, EDITORS | {SYSTEM}, NOT_A_REPAIR_BEFORE_ITS_REVISIT),
        "void": move(VOIDED, {Role.SUPERVISOR}),
    },
    CLOSED: {
        "reopen": move(OPEN, EDITORS, BY_A_NEW_OUTCOME),
        "void": move(VOIDED, {Role.SUPERVISOR}),
    },
    VOIDED: {},  # final: counts nowhere, edited no more
}

ACTION_LABELS = {
    "create": gettext_lazy("Logged"),
    "log": gettext_lazy("Logged"),
    "log_resolved": gettext_lazy("Logged"),
    "hand_over": gettext_lazy("Hand over"),
    "reply": gettext_lazy("Record reply"),
    "close": gettext_lazy("Close call (resolved)"),
    "void": gettext_lazy("Void call"),
    "reopen": gettext_lazy("Reopened"),
    "on_site": gettext_lazy("Record on site"),
    "finished": gettext_lazy("Record repair finished"),
    "revisit": gettext_lazy("Record revisit"),
    "note": gettext_lazy("Add note"),
    "complaint": gettext_lazy("Opened as a complaint"),
}

# What the user is told when their roles (or the object-level rule) do not allow the move: today's messages.
FORBIDDEN = {
    "hand_over": gettext_lazy("Only the owner or a supervisor hands over an open call."),
    "reply": gettext_lazy("Only a handler of the department the call was transferred to replies."),
    "close": gettext_lazy("Only the call's owner or a supervisor closes it."),
    "void": gettext_lazy("Only a supervisor voids a call."),
    "reopen": gettext_lazy("Only the call's owner or a supervisor edits it."),
    "on_site": gettext_lazy("Only the call's owner, a supervisor or a handler of the department records the "
                            "repair's times."),
    "finished": gettext_lazy("Only the call's owner, a supervisor or a handler of the department records the "
                             "repair's times."),
    "revisit": gettext_lazy("Only the call's owner or a supervisor records the revisit."),
}


def refusal(call, action) -> str:
    """The table has no such move in the call's status."""
    if action in ("hand_over", "reply"):
        return str(FORBIDDEN[action])  # one message for "not yours" and "not open", as before
    if action == "close":
        return _("The call is not open.")
    if action == "void":
        return _("The call is already void.")
    if action in ("on_site", "finished", "revisit") and call.status == OPEN:
        if not follows_repair(call):
            return _("Call %(number)s is not a repair request sent to a department.") % {"number": call.number}
        if action == "on_site":
            return _("The time someone reached the site is already recorded.")
        if action == "finished":
            return _("Record first when someone reached the site; the finish is recorded once.") \
                if call.repair_finished_at is None else _("The repair's finish is already recorded.")
        return _("The revisit follows the repair's finish.")
    return _("“%(action)s” is not possible now: call %(number)s is “%(status)s”.") % {
        "action": ACTION_LABELS.get(action, action), "number": call.number,
        "status": Call.Status(call.status).label}


def relations(call, employee) -> set:
    """"owner": the customer-service employee the call belongs to (首问负责)."""
    if call.owner_id == employee.pk and roles_of(employee.user) & CS_ROLES:
        return {"owner"}
    return set()


def scope(call, employee, role) -> bool:
    """A handler acts only on calls transferred to their own department."""
    if role == Role.HANDLER:
        return call.department_id is not None and call.department_id == employee.department_id
    return True


CALL = Workflow(
    name="call",
    model=Call,
    field="status",
    table=TABLE,
    events=EventSpec(model=CallEvent, record="call", action="kind", from_state="from_status", to_state="to_status",
                     comment="text", action_to_stored={"log": CallEvent.Kind.CREATED,
                                                       "log_resolved": CallEvent.Kind.CREATED,
                                                       "close": CallEvent.Kind.CLOSED,
                                                       "void": CallEvent.Kind.VOIDED,
                                                       "reopen": CallEvent.Kind.REOPENED,
                                                       "hand_over": CallEvent.Kind.HANDOVER,
                                                       "reply": CallEvent.Kind.DEPARTMENT_REPLY,
                                                       "on_site": CallEvent.Kind.ON_SITE,
                                                       "finished": CallEvent.Kind.FINISHED,
                                                       "revisit": CallEvent.Kind.REVISIT}),
    labels=ACTION_LABELS,
    scope=scope,
    relations=relations,
    describe=lambda call: {"number": call.number},
    error=CallError,
    forbidden=MoveForbidden,
    refusal=refusal,
    forbidden_message=gettext_lazy("You may not do this on call %(number)s."),
)


def available_actions(call, user) -> list[str]:
    """The moves ``user`` (a User or an Employee) may make on ``call`` now, in table order: the call page's
    buttons. The services check again."""
    return engine_available_actions(call, user, CALL)


# --- the revisit of a call (REGULATIONS §10, issue 20) --------------------------------------------------------
#
# ``CallRevisit.state``: pending → done (satisfaction 3–5) or unsatisfied (1–2, the supervisor is told) → a
# complaint opened from it (the complaints app's "complaint from a call", one step) or settled by the supervisor
# with a comment; a pending revisit no longer needed is cancelled (the agent unticks "needs a revisit", or the
# call is voided: the product itself). The revisit is the call owner's (§1: agents "do revisits") or a
# supervisor's, as for the call itself (a supervisor acts for any owner; the queues show each supervisor their
# team). A repair request's revisit is never cancelled by hand: the call is done only by it (§2).

PENDING, DONE, UNSATISFIED = CallRevisit.State.PENDING, CallRevisit.State.DONE, CallRevisit.State.UNSATISFIED
COMPLAINT, SETTLED, CANCELLED = CallRevisit.State.COMPLAINT, CallRevisit.State.SETTLED, CallRevisit.State.CANCELLED
UNSATISFIED_BELOW = 3  # 1 非常不满意 and 2 不满意 are unsatisfied answers (the complaints' scale, §3)


def _answer(ctx):
    return ctx.data.get("satisfaction")


# the answer picks the way forward; before it is given (the page's buttons) either way is open
SATISFIED = guard(lambda ctx: _answer(ctx) is None or _answer(ctx) >= UNSATISFIED_BELOW, name="satisfied")
NOT_SATISFIED = guard(lambda ctx: _answer(ctx) is None or 1 <= _answer(ctx) < UNSATISFIED_BELOW, name="unsatisfied")
NOT_A_REPAIRS_OWN = guard(lambda ctx: ctx.by is None or not follows_repair(ctx.record.call),
                          gettext_lazy("A repair request is done only after its revisit: it cannot be unticked."),
                          name="not a repair's own revisit")
WITH_A_COMMENT = guard(lambda ctx: "comment" not in ctx.data or bool((ctx.data["comment"] or "").strip()),
                       gettext_lazy("Say how the customer's dissatisfaction was settled."), name="with a comment")

REVISIT_TABLE = {
    PENDING: {
        "record": move(DONE, EDITORS, SATISFIED),
        "record_unsatisfied": move(UNSATISFIED, EDITORS, NOT_SATISFIED),
        "cancel": move(CANCELLED, EDITORS | {SYSTEM}, NOT_A_REPAIRS_OWN),
    },
    UNSATISFIED: {
        "open_complaint": move(COMPLAINT, {Role.SUPERVISOR}),
        "settle": move(SETTLED, {Role.SUPERVISOR}, WITH_A_COMMENT),
    },
    DONE: {}, COMPLAINT: {}, SETTLED: {}, CANCELLED: {},  # final
}

REVISIT_LABELS = {
    "create": gettext_lazy("Revisit needed"),
    "record": gettext_lazy("Record revisit"),
    "record_unsatisfied": gettext_lazy("Record revisit"),
    "cancel": gettext_lazy("No revisit needed"),
    "open_complaint": gettext_lazy("Open a complaint"),
    "settle": gettext_lazy("Settled without a complaint"),
    "due_moved": gettext_lazy("Due time moved"),
}


class RevisitError(CallError):
    """A refusal about a call's revisit, shown as a message."""


class RevisitForbidden(RevisitError, PermissionRefused):
    """The user may not do this on this revisit."""


def revisit_relations(revisit, employee) -> set:
    """"owner": the customer-service employee who owns the call (首问负责)."""
    return relations(revisit.call, employee)


REVISIT = Workflow(
    name="call_revisit",
    model=CallRevisit,
    field="state",
    table=REVISIT_TABLE,
    events=EventSpec(model=CallRevisitEvent, record="revisit"),
    labels=REVISIT_LABELS,
    relations=revisit_relations,
    lock_related=("call",),
    describe=lambda revisit: {"number": revisit.call.number},
    error=RevisitError,
    forbidden=RevisitForbidden,
    forbidden_message=gettext_lazy("Only the call's owner or a supervisor records the revisit of call %(number)s."),
)
