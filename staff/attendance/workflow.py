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

from csmgmt.core.permissions import roles_of
from csmgmt.core.roles import Role
from csmgmt.core.workflow import (NEW, EventSpec, Workflow, WorkflowError, WorkflowForbidden, create, guard, move,
                                  not_same_person, transition)
from staff.models import Correction, CorrectionEvent, DutyLogEntry, DutyLogEvent, LeaveEvent, LeaveRequest

from .selectors import can_manage, local_tz, shift_start

OWNER = "owner"
TEAM_SUPERVISOR = "team_supervisor"
OUTGOING = "outgoing"



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


# --- leave (REGULATIONS §4: one level at a time, two people) ---------------------------------------------
#
# The first level is the employee's own supervisor, or the deputy a manager named for them for the period
# (``deputy``), or — for an employee with no (active) supervisor — a manager of the department (``stand_in``). A
# manager does not approve in the supervisor's place. Leave longer than the long-leave threshold (a setting, 3 days
# by default) then needs a manager who did not give the first level (four eyes). When the one giving the first
# level is a manager (the employee's own supervisor is a manager, or the stand-in), that approval is both levels.
# A same-day sick call is recorded by the first level at once, with the time of the call (``phone_in``): it counts
# as the first level given. A full-day sick leave's certificate may follow until the end of the employee's first
# rostered working day after the leave; after that the first level keeps the leave or records 旷工.

DEPUTY = "deputy"
STAND_IN = "stand_in"
FIRST_LEVEL = {TEAM_SUPERVISOR, DEPUTY, STAND_IN}


def long_leave_days() -> int:
    from .selectors import long_leave_days as days

    return days()


def is_long(leave) -> bool:
    threshold = getattr(leave, "_long_leave_days", None)  # primed by a list page (selectors.leave_rows_prime)
    return leave.days > (threshold if threshold is not None else long_leave_days())


def is_short(leave) -> bool:
    return not is_long(leave)


def leave_relations(record, employee) -> set[str]:
    """``owner``, ``team_supervisor`` (:func:`team_relations`), ``deputy`` — named by a manager for the employee's
    supervisor, in force today — and ``stand_in`` — a manager, for an employee with no active supervisor."""
    from .selectors import has_own_supervisor, is_deputy_for

    roles = team_relations(record, employee)
    if record.employee_id != employee.pk:
        primed = getattr(record, "_deputy_supervisors", {}).get(employee.pk)  # selectors.leave_rows_prime
        deputy = (record.employee.supervisor_id in primed if primed is not None
                  else is_deputy_for(employee, record.employee.supervisor_id))
        if deputy:
            roles.add(DEPUTY)
        if not has_own_supervisor(record.employee) and Role.MANAGER in roles_of(employee.user):
            roles.add(STAND_IN)
    return roles


def leave_scope(record, employee, role) -> bool:
    """The deputy acts for the supervisor's active team; everyone else by the team rule."""
    if role == DEPUTY:
        return record.employee.active
    return team_scope(record, employee, role)


def gives_both_levels(leave, by) -> bool:
    """A manager giving the first level — as the employee's own supervisor, or for an employee with no
    supervisor — gives both levels in one approval."""
    from .selectors import has_own_supervisor

    if by is None or Role.MANAGER not in roles_of(by.user) or leave.employee_id == by.pk:
        return False
    return leave.employee.supervisor_id == by.pk or not has_own_supervisor(leave.employee)


def _one_level(ctx) -> bool:
    return is_short(ctx.record) or gives_both_levels(ctx.record, ctx.by)


def _two_levels(ctx) -> bool:
    return not _one_level(ctx)


def certificate_late(leave, now) -> bool:
    from .selectors import certificate_due_by

    due = certificate_due_by(leave)
    return due is not None and now >= due


def _certificate_may_follow(ctx) -> bool:
    return ctx.record.needs_certificate() and not certificate_late(ctx.record, ctx.now)


def _certificate_is_late(ctx) -> bool:
    return ctx.record.needs_certificate() and certificate_late(ctx.record, ctx.now)


def leave_starts_at(leave) -> dt.datetime:
    """When the leave begins: the first day's shift start, or that day's midnight when it is not rostered."""
    return shift_start(leave.employee, leave.start_date) or dt.datetime.combine(
        leave.start_date, dt.time.min, tzinfo=local_tz())


def _before_it_starts(ctx) -> bool:
    return ctx.now < leave_starts_at(ctx.record)


LeaveState = LeaveRequest.State
# who decides a correction for an employee: their own supervisor, or a manager (of their department)
DECIDERS = {TEAM_SUPERVISOR, Role.MANAGER}
CANCEL = move(LeaveState.CANCELLED, {OWNER},
              guard(_before_it_starts, gettext_lazy("Leave can be cancelled only before it starts.")))
# four eyes: the manager level is given by someone who did not give the first level. (Every approval is stored
# as "approve" and read back as "approve_final", a phone-in as "phone_in" read back as "phone_in_long": the
# names cover both.)
SECOND_PERSON = not_same_person(
    "approve_first", "approve_final", "phone_in", "phone_in_long", since_entering=LeaveState.PENDING_MANAGER,
    message=gettext_lazy("You gave the first level of this leave: another manager gives the second."))


def add_certificate(state):
    return move(state, {OWNER} | FIRST_LEVEL, guard(_certificate_may_follow, gettext_lazy(
        "No certificate can be added now: none is due, or it is late and the supervisor decides.")))


CERTIFICATE_LATE = gettext_lazy("The certificate is not late: it may still be added.")

LEAVE_TABLE = {
    NEW: {  # the supervisor records a phoned-in leave: the first level is given at once
        "phone_in": move(LeaveState.APPROVED, FIRST_LEVEL, guard(_one_level)),
        "phone_in_long": move(LeaveState.PENDING_MANAGER, FIRST_LEVEL, guard(_two_levels)),
    },
    LeaveState.PENDING_SUPERVISOR: {
        "approve": move(LeaveState.APPROVED, FIRST_LEVEL, guard(_one_level)),
        "approve_first": move(LeaveState.PENDING_MANAGER, FIRST_LEVEL, guard(_two_levels)),
        "refuse": move(LeaveState.REFUSED, FIRST_LEVEL),
        "add_certificate": add_certificate(LeaveState.PENDING_SUPERVISOR),
        "cancel": CANCEL,
    },
    LeaveState.PENDING_MANAGER: {
        "approve_final": move(LeaveState.APPROVED, {Role.MANAGER}, SECOND_PERSON),
        "refuse": move(LeaveState.REFUSED, {Role.MANAGER}),
        "add_certificate": add_certificate(LeaveState.PENDING_MANAGER),
        "cancel": CANCEL,
    },
    LeaveState.APPROVED: {
        "add_certificate": add_certificate(LeaveState.APPROVED),
        "keep_leave": move(LeaveState.APPROVED, FIRST_LEVEL, guard(_certificate_is_late, CERTIFICATE_LATE)),
        "make_absent": move(LeaveState.ABSENT, FIRST_LEVEL, guard(_certificate_is_late, CERTIFICATE_LATE)),
        "cancel": CANCEL,
    },
    LeaveState.REFUSED: {},
    LeaveState.CANCELLED: {},
    LeaveState.ABSENT: {},
}

LEAVE_LABELS = {
    "phone_in": gettext_lazy("Record a phoned-in leave"),
    "phone_in_long": gettext_lazy("Record a phoned-in leave"),
    "approve": gettext_lazy("Approve"),
    "approve_first": gettext_lazy("Approve"),
    "approve_final": gettext_lazy("Approve"),
    "refuse": gettext_lazy("Refuse"),
    "add_certificate": gettext_lazy("Add the certificate"),
    "keep_leave": gettext_lazy("Keep the leave without a certificate"),
    "make_absent": gettext_lazy("Record the days as absent (旷工)"),
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
                     action_to_stored={"approve_first": "approve", "approve_final": "approve",
                                       "phone_in_long": "phone_in"}),
    labels=LEAVE_LABELS,
    relations=leave_relations,
    scope=leave_scope,
    lock_related=("employee__user", "employee__department", "employee__supervisor"),
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

FIRST_LEVEL_ONLY = gettext_lazy("Only the employee's supervisor (or the deputy a manager named) gives the first level; "
                                "a manager does not approve in the supervisor's place.")
FORBIDDEN = {
    ("leave", "approve"): FIRST_LEVEL_ONLY,
    ("leave", "approve_first"): FIRST_LEVEL_ONLY,
    ("leave", "phone_in"): FIRST_LEVEL_ONLY,
    ("leave", "phone_in_long"): FIRST_LEVEL_ONLY,
    ("leave", "approve_final"): gettext_lazy("Only a manager of the employee's department approves long leave."),
    ("leave", "refuse"): gettext_lazy("Only the employee's supervisor (or deputy) refuses at the first level, a "
                                      "manager at the second."),
    ("leave", "add_certificate"): gettext_lazy("Only the employee or their supervisor adds the certificate."),
    ("leave", "keep_leave"): gettext_lazy("Only the employee's supervisor decides on a late certificate."),
    ("leave", "make_absent"): gettext_lazy("Only the employee's supervisor decides on a late certificate."),
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
    ("leave", "phone_in"): gettext_lazy("You cannot record your own leave."),
    ("leave", "phone_in_long"): gettext_lazy("You cannot record your own leave."),
    ("leave", "keep_leave"): gettext_lazy("You cannot decide on your own leave."),
    ("leave", "make_absent"): gettext_lazy("You cannot decide on your own leave."),
    ("correction", "approve"): gettext_lazy("You cannot decide on your own correction."),
    ("correction", "refuse"): gettext_lazy("You cannot decide on your own correction."),
}


def attendance_transition(wf: Workflow, record, action: str, *, by, creating: bool = False, **kwargs):
    """``transition`` (``csmgmt.core.workflow``) — or ``create`` for a creating move — refusing a move that is not
    ``by``'s to make with the reason attendance gives for it (your own request; only the supervisor …)."""
    try:
        if creating:
            return create(wf, record, action, by=by, **kwargs)
        return transition(wf, record, action, by=by, **kwargs)
    except AttendanceForbidden:
        key = (wf.name, action)
        own = by is not None and getattr(record, "employee_id", None) == by.pk and key in OWN
        message = OWN[key] if own else FORBIDDEN.get(key)
        if message is None:
            raise
        raise AttendanceForbidden(message) from None
