"""The complaint workflow (REGULATIONS §3) as one table, run by the engine (``csmgmt.core.workflow``).

``TABLE[stage][action] = move(next stage, roles, guards…)``. Roles are expanded by ``roles_of`` (a supervisor
is an agent too, a manager a supervisor). Where one stage offers two ways forward, a guard on the complaint
picks which one applies — an ordinary plan is approved once, a major one goes on to the manager. A handler
acts only on complaints assigned to their own department (the object-level rule, :func:`scope`).

Four eyes (§3): nobody who submitted the plan, or reported progress on it, since the complaint last entered
plan approves it; the two approvals of a major complaint are two people.

``complaints.services.complaint_transition`` makes the moves; pages build their buttons from
:func:`available_actions`.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.roles import Role
from csmgmt.core.workflow import (EventSpec, Workflow, WorkflowError, WorkflowForbidden, not_same_person,
                                  when)
from csmgmt.core.workflow import available_actions as engine_available_actions
from csmgmt.core.workflow import blocked_actions as engine_blocked_actions
from csmgmt.core.workflow import move

from .models import Complaint, ComplaintEvent, Satisfaction, Severity, Stage

AGENT, SUPERVISOR, MANAGER, HANDLER = Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.HANDLER
CS_STAFF = {AGENT}  # agents, and through the implied roles supervisors and managers


class ComplaintError(WorkflowError):
    """A move or an input the rules refuse; ``message`` is for the user."""


class ComplaintForbidden(ComplaintError, WorkflowForbidden):
    """The user may not do this on this complaint."""


def _ordinary(c) -> bool:
    return c.severity != Severity.MAJOR


def _major(c) -> bool:
    return c.severity == Severity.MAJOR


def _to_supervisor(c) -> bool:
    return not c.routed_to_manager()


def _to_manager(c) -> bool:
    return c.routed_to_manager()


def _department_known(c) -> bool:
    return c.responsible_department_id is not None


def _short_path(c) -> bool:
    return c.responsible_department_id is None


PLANNING = ("submit_plan", "submit_plan_to_manager", "progress")
NOT_THE_PLANNER = not_same_person(
    *PLANNING, since_entering=Stage.PLAN,
    message=gettext_lazy("You submitted this plan or reported progress on it: someone else approves it."))
NOT_THE_FIRST_APPROVER = not_same_person(
    *PLANNING, "approve_first", since_entering=Stage.PLAN,
    message=gettext_lazy("You submitted this plan, reported progress on it or gave its first approval: the "
                         "second approval is someone else's."))

WITHDRAW = move(Stage.WITHDRAWN, CS_STAFF)

TABLE = {
    Stage.ANALYSE: {
        "uphold": move(Stage.ASSIGN, CS_STAFF),
        "reject": move(Stage.RESPOND, CS_STAFF),  # 不成立: the short path
        "withdraw": WITHDRAW,
    },
    Stage.ASSIGN: {
        "assign": move(Stage.PLAN, {SUPERVISOR}),
        "withdraw": WITHDRAW,
    },
    Stage.PLAN: {
        "progress": move(Stage.PLAN, {HANDLER, MANAGER}),
        "submit_plan": move(Stage.APPROVE, {HANDLER, MANAGER}, when(_to_supervisor)),
        "submit_plan_to_manager": move(Stage.MANAGER_APPROVE, {HANDLER, MANAGER}, when(_to_manager)),
        "withdraw": WITHDRAW,
    },
    Stage.APPROVE: {
        "approve": move(Stage.RESPOND, {SUPERVISOR}, when(_ordinary), NOT_THE_PLANNER),
        "approve_first": move(Stage.MANAGER_APPROVE, {SUPERVISOR}, when(_major), NOT_THE_PLANNER),
        "send_back": move(Stage.PLAN, {SUPERVISOR}),
        "withdraw": WITHDRAW,
    },
    Stage.MANAGER_APPROVE: {
        "approve_final": move(Stage.RESPOND, {MANAGER}, NOT_THE_FIRST_APPROVER),
        "manager_send_back": move(Stage.PLAN, {MANAGER}),
        "withdraw": WITHDRAW,
    },
    Stage.RESPOND: {
        "respond": move(Stage.REVISIT, CS_STAFF),
        "withdraw": WITHDRAW,
    },
    Stage.REVISIT: {
        "revisit": move(Stage.CLOSE, CS_STAFF),
        "reopen": move(Stage.PLAN, CS_STAFF, when(_department_known)),  # 不满意 or worse, a department assigned
        "reopen_analysis": move(Stage.ANALYSE, CS_STAFF, when(_short_path)),  # 不满意 or worse, short path
        "withdraw": WITHDRAW,
    },
    Stage.CLOSE: {
        "close": move(Stage.CLOSED, {SUPERVISOR}),
        "withdraw": WITHDRAW,
    },
    Stage.CLOSED: {},
    Stage.WITHDRAWN: {},
}

ACTION_LABELS = {
    "uphold": gettext_lazy("Upheld (成立)"),
    "reject": gettext_lazy("Not upheld (不成立)"),
    "withdraw": gettext_lazy("Withdraw"),
    "assign": gettext_lazy("Assign department"),
    "progress": gettext_lazy("Report progress"),
    "submit_plan": gettext_lazy("Submit plan"),
    "submit_plan_to_manager": gettext_lazy("Submit plan"),
    "approve": gettext_lazy("Approve"),
    "approve_first": gettext_lazy("Approve (to manager)"),
    "send_back": gettext_lazy("Send back"),
    "approve_final": gettext_lazy("Approve"),
    "manager_send_back": gettext_lazy("Send back"),
    "respond": gettext_lazy("Record response"),
    "revisit": gettext_lazy("Record revisit"),
    "reopen": gettext_lazy("Record revisit"),
    "reopen_analysis": gettext_lazy("Record revisit"),
    "close": gettext_lazy("Close"),
    "receive": gettext_lazy("Received"),
    "made_major": gettext_lazy("Made major (compensation)"),  # a note on the trail, not a move
}

APPROVE_ACTIONS = frozenset({"approve", "approve_first", "approve_final"})
REVISIT_ACTIONS = frozenset({"revisit", "reopen", "reopen_analysis"})
AFTER_APPROVAL = frozenset({Stage.RESPOND, Stage.REVISIT, Stage.CLOSE, Stage.CLOSED})


def needs_reopen(data: dict) -> bool:
    """不满意 or worse (attitude or result) reopens the complaint."""
    worst = Satisfaction.DISSATISFIED
    return any(data.get(k) is not None and int(data[k]) <= worst
               for k in ("satisfaction_attitude", "satisfaction_result"))


def revisit_action(complaint, data: dict) -> str:
    """Which move a revisit's answers make: closed for a satisfied customer; reopened at plan when a department
    was assigned, at analysis on the short path, for a dissatisfied one."""
    if not needs_reopen(data):
        return "revisit"
    return "reopen" if _department_known(complaint) else "reopen_analysis"


def scope(complaint, employee, role) -> bool:
    """A handler acts only on complaints assigned to their own department."""
    if role == HANDLER:
        return complaint.responsible_department_id == employee.department_id
    return True


def refusal(complaint, action) -> str:
    stage = Stage(complaint.stage).label
    already = complaint.stage in AFTER_APPROVAL or (
        complaint.stage == Stage.MANAGER_APPROVE and action in ("approve", "approve_first"))
    if action in APPROVE_ACTIONS and already:
        return _("Already approved: complaint %(number)s has moved on to “%(stage)s”.") % {
            "number": complaint.number, "stage": stage}
    return _("“%(action)s” is not possible now: complaint %(number)s is at “%(stage)s”.") % {
        "action": ACTION_LABELS.get(action, action), "number": complaint.number, "stage": stage}


COMPLAINT = Workflow(
    name="complaint",
    model=Complaint,
    field="stage",
    table=TABLE,
    events=EventSpec(model=ComplaintEvent, record="complaint", from_state="from_stage", to_state="to_stage"),
    labels=ACTION_LABELS,
    scope=scope,
    lock_related=("against_department", "responsible_department"),
    describe=lambda c: {"number": c.number},
    error=ComplaintError,
    forbidden=ComplaintForbidden,
    refusal=refusal,
    forbidden_message=gettext_lazy("You may not do this on complaint %(number)s."),
)


def available_actions(complaint, user) -> list[str]:
    """The moves ``user`` may make on ``complaint`` now, in table order."""
    return engine_available_actions(complaint, user, COMPLAINT)


def blocked_actions(complaint, user) -> list[tuple[str, str]]:
    """Moves the user's role allows but a rule with a reason refuses now (four eyes): [(action, reason)]."""
    return engine_blocked_actions(complaint, user, COMPLAINT)
