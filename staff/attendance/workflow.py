"""Attendance's three workflows as tables, run by the engine (``csmgmt.core.workflow``): leave requests and
corrections (REGULATIONS §4), duty-log entries (§7).

``TABLE[state][action] = move(next state, roles, guards…)``. Roles are the ``Role`` values (a manager is a
supervisor and an agent too) and the roles an employee holds towards one record:

- ``owner`` — the employee the leave request or the correction is for;
- ``team_supervisor`` — that employee's own supervisor (``Employee.supervisor``);
- ``outgoing`` — the employee who wrote the duty-log entry and hands the shift over.

The object-level rule (:func:`team_scope`) is the team rule of ``selectors.can_manage``: whoever decides for
an employee — as their supervisor or as a manager — acts only for their own team (a supervisor's own reports,
a manager's department), never for themselves, and only for an active employee.

``staff.attendance.services`` makes the moves; pages build their buttons from
``csmgmt.core.workflow.available_actions``.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.roles import Role
from csmgmt.core.workflow import EventSpec, Workflow, WorkflowError, WorkflowForbidden, guard, move, transition, when
from staff.models import Correction, CorrectionEvent, DutyLogEntry, DutyLogEvent, LeaveEvent, LeaveRequest

from .selectors import can_manage, local_tz, shift_start

OWNER = "owner"
TEAM_SUPERVISOR = "team_supervisor"
OUTGOING = "outgoing"

# More than this many days (calendar days, a half day counting 0.5) needs the manager's approval too.
LONG_LEAVE_DAYS = 3


class AttendanceError(WorkflowError):
    """A refused attendance action; the message is shown to the user."""


class AttendanceForbidden(AttendanceError, WorkflowForbidden):
    """The employee may not make this move on this record."""


# --- who holds which role towards a record ---------------------------------------------------------------


def team_relations(record, employee) -> set[str]:
    """``owner`` of one's own request; ``team_supervisor`` of a request of one's own report."""
    roles = set()
    if record.employee_id == employee.pk:
        roles.add(OWNER)
    if record.employee.supervisor_id == employee.pk:
        roles.add(TEAM_SUPERVISOR)
    return roles


def team_scope(record, employee, role) -> bool:
    """The owner acts on their own request; everyone else only for an employee of their team (the team rule)."""
    if role == OWNER:
        return True
    return can_manage(employee.user, record.employee)


# --- leave (REGULATIONS §4: one level at a time, the supervisor, then the manager for long leave) -----------


def is_long(leave) -> bool:
    return leave.days > LONG_LEAVE_DAYS


def is_short(leave) -> bool:
    return not is_long(leave)


def leave_starts_at(leave) -> dt.datetime:
    """When the leave begins: the first day's shift start, or that day's midnight when it is not rostered."""
    return shift_start(leave.employee, leave.start_date) or dt.datetime.combine(
        leave.start_date, dt.time.min, tzinfo=local_tz())


def _before_it_starts(ctx) -> bool:
    return ctx.now < leave_starts_at(ctx.record)


LeaveState = LeaveRequest.State
# who decides for an employee: their own supervisor, or a manager (of their department, by the team rule)
DECIDERS = {TEAM_SUPERVISOR, Role.MANAGER}
CANCEL = move(LeaveState.CANCELLED, {OWNER},
              guard(_before_it_starts, gettext_lazy("Leave can be cancelled only before it starts.")))

LEAVE_TABLE = {
    LeaveState.PENDING_SUPERVISOR: {
        "approve": move(LeaveState.APPROVED, DECIDERS, when(is_short)),
        "approve_first": move(LeaveState.PENDING_MANAGER, DECIDERS, when(is_long)),
        "refuse": move(LeaveState.REFUSED, DECIDERS),
        "cancel": CANCEL,
    },
    LeaveState.PENDING_MANAGER: {
        "approve_final": move(LeaveState.APPROVED, {Role.MANAGER}),
        "refuse": move(LeaveState.REFUSED, {Role.MANAGER}),
        "cancel": CANCEL,
    },
    LeaveState.APPROVED: {
        "cancel": CANCEL,
    },
    LeaveState.REFUSED: {},
    LeaveState.CANCELLED: {},
}

LEAVE_LABELS = {
    "approve": gettext_lazy("Approve"),
    "approve_first": gettext_lazy("Approve"),
    "approve_final": gettext_lazy("Approve"),
    "refuse": gettext_lazy("Refuse"),
    "cancel": gettext_lazy("Cancel this leave"),
}
LEAVE_APPROVALS = ("approve", "approve_first", "approve_final")  # one "Approve" button on the pages


def leave_refusal(leave, action) -> str:
    if action == "cancel":
        return _("This request cannot be cancelled any more.")
    if leave.state in (LeaveState.PENDING_SUPERVISOR, LeaveState.PENDING_MANAGER):  # another approval applies
        return _("“%(action)s” is not possible now: %(record)s is “%(state)s”.") % {
            "action": LEAVE_LABELS.get(action, action), "record": leave, "state": leave.get_state_display()}
    return _("This request is no longer waiting for approval.")


LEAVE = Workflow(
    name="leave",
    model=LeaveRequest,
    field="state",
    table=LEAVE_TABLE,
    # every approval is stored as "approve", as it always was (from and to say which level it was)
    events=EventSpec(model=LeaveEvent, record="leave",
                     action_to_stored={"approve_first": "approve", "approve_final": "approve"}),
    labels=LEAVE_LABELS,
    relations=team_relations,
    scope=team_scope,
    lock_related=("employee__user", "employee__department"),
    error=AttendanceError,
    forbidden=AttendanceForbidden,
    refusal=leave_refusal,
)


# --- corrections (补卡, REGULATIONS §4: asked by the employee, decided by the supervisor) --------------------

CorrectionState = Correction.State

CORRECTION_TABLE = {
    CorrectionState.PENDING: {
        "approve": move(CorrectionState.APPROVED, DECIDERS),
        "refuse": move(CorrectionState.REFUSED, DECIDERS),
    },
    CorrectionState.APPROVED: {},
    CorrectionState.REFUSED: {},
}

CORRECTION = Workflow(
    name="correction",
    model=Correction,
    field="state",
    table=CORRECTION_TABLE,
    events=EventSpec(model=CorrectionEvent, record="correction"),
    labels={"approve": gettext_lazy("Approve"), "refuse": gettext_lazy("Refuse")},
    relations=team_relations,
    scope=team_scope,
    lock_related=("employee__user",),
    error=AttendanceError,
    forbidden=AttendanceForbidden,
    refusal=lambda correction, action: _("This correction is already decided."),
)


# --- the duty and handover log (REGULATIONS §7: both sign; nothing is edited after signing) -----------------


def duty_relations(entry, employee) -> set[str]:
    return {OUTGOING} if entry.outgoing_id == employee.pk else set()


def _not_the_outgoing(ctx) -> bool:
    return ctx.by is None or ctx.record.outgoing_id != ctx.by.pk


DutyState = DutyLogEntry.State

DUTY_TABLE = {
    DutyState.DRAFT: {
        "edit": move(DutyState.DRAFT, {OUTGOING}),
        "sign_outgoing": move(DutyState.SIGNED_BY_OUTGOING, {OUTGOING}),
    },
    DutyState.SIGNED_BY_OUTGOING: {
        # customer-service staff (an agent, and through the implied roles a supervisor or a manager)
        "sign_incoming": move(DutyState.SIGNED_BY_BOTH, {Role.AGENT},
                              guard(_not_the_outgoing, gettext_lazy("The incoming employee must be someone else."))),
    },
    DutyState.SIGNED_BY_BOTH: {},
}


def duty_refusal(entry, action) -> str:
    if action == "edit":
        return _("A signed entry cannot be changed; add an addendum instead.")
    if entry.state == DutyState.SIGNED_BY_BOTH:
        return _("This entry is already signed by both.")
    if entry.state == DutyState.DRAFT:
        return _("The outgoing employee signs first.")
    return _("The outgoing employee has signed already.")


DUTY_LOG = Workflow(
    name="duty_log",
    model=DutyLogEntry,
    field="state",
    table=DUTY_TABLE,
    events=EventSpec(model=DutyLogEvent, record="entry"),
    labels={"edit": gettext_lazy("Edit"), "sign_outgoing": gettext_lazy("Sign as outgoing"),
            "sign_incoming": gettext_lazy("Sign as incoming")},
    relations=duty_relations,
    error=AttendanceError,
    forbidden=AttendanceForbidden,
    refusal=duty_refusal,
)


# --- the reasons attendance has always given for a move that is not the employee's to make ------------------

FORBIDDEN = {
    ("leave", "approve"): gettext_lazy("Only the employee's supervisor approves this request."),
    ("leave", "approve_first"): gettext_lazy("Only the employee's supervisor approves this request."),
    ("leave", "approve_final"): gettext_lazy("Only a manager of the employee's department approves long leave."),
    ("leave", "refuse"): gettext_lazy("Only the employee's supervisor or manager decides on this request."),
    ("leave", "cancel"): gettext_lazy("Only the employee cancels their own leave."),
    ("correction", "approve"): gettext_lazy("Only the employee's supervisor decides on this correction."),
    ("correction", "refuse"): gettext_lazy("Only the employee's supervisor decides on this correction."),
    ("duty_log", "edit"): gettext_lazy("Only the outgoing employee edits the entry."),
    ("duty_log", "sign_outgoing"): gettext_lazy("The outgoing employee signs first."),
    ("duty_log", "sign_incoming"): gettext_lazy("You may not write the duty log."),
}
OWN = {
    ("leave", "approve"): gettext_lazy("You cannot approve your own leave."),
    ("leave", "approve_first"): gettext_lazy("You cannot approve your own leave."),
    ("leave", "approve_final"): gettext_lazy("You cannot approve your own leave."),
    ("leave", "refuse"): gettext_lazy("You cannot decide on your own leave."),
    ("correction", "approve"): gettext_lazy("You cannot decide on your own correction."),
    ("correction", "refuse"): gettext_lazy("You cannot decide on your own correction."),
}


def attendance_transition(wf: Workflow, record, action: str, *, by, **kwargs):
    """``transition`` (``csmgmt.core.workflow``), refusing a move that is not ``by``'s to make with the reason
    attendance gives for it (your own request; only the supervisor; only the outgoing employee …)."""
    try:
        return transition(wf, record, action, by=by, **kwargs)
    except AttendanceForbidden:
        key = (wf.name, action)
        own = by is not None and getattr(record, "employee_id", None) == by.pk and key in OWN
        message = OWN[key] if own else FORBIDDEN.get(key)
        if message is None:
            raise
        raise AttendanceForbidden(message) from None
