"""The complaint workflow (REGULATIONS §3) as one table.

``TRANSITIONS[stage][action] = (next stage, roles allowed)``. Roles are expanded by
``staff.permissions.roles_of`` (a supervisor is an agent too, a manager a supervisor). Where one
stage offers two ways forward, a guard on the complaint (``GUARDS``) picks which one applies —
e.g. an ordinary plan is approved once, a major one goes on to the manager. A handler acts only on
complaints assigned to their own department. ``complaints.services.complaint_transition`` is the
only code that applies a move; pages build their buttons from :func:`available_actions`.
"""

from django.utils.translation import gettext_lazy as _

from staff.permissions import roles_of
from staff.roles import Role

from .models import Satisfaction, Severity, Stage

A, S, M, H = Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.HANDLER
CS_STAFF = frozenset({A})  # agents, and through IMPLIED supervisors and managers
WITHDRAW = ("withdrawn", CS_STAFF)

TRANSITIONS: dict[str, dict[str, tuple[str, frozenset]]] = {
    Stage.ANALYSE: {
        "uphold": (Stage.ASSIGN, CS_STAFF),
        "reject": (Stage.RESPOND, CS_STAFF),  # 不成立: the short path
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.ASSIGN: {
        "assign": (Stage.PLAN, frozenset({S})),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.PLAN: {
        "progress": (Stage.PLAN, frozenset({H, M})),
        "submit_plan": (Stage.APPROVE, frozenset({H, M})),
        "submit_plan_to_manager": (Stage.MANAGER_APPROVE, frozenset({H, M})),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.APPROVE: {
        "approve": (Stage.RESPOND, frozenset({S})),
        "approve_first": (Stage.MANAGER_APPROVE, frozenset({S})),
        "send_back": (Stage.PLAN, frozenset({S})),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.MANAGER_APPROVE: {
        "approve_final": (Stage.RESPOND, frozenset({M})),
        "manager_send_back": (Stage.PLAN, frozenset({M})),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.RESPOND: {
        "respond": (Stage.REVISIT, CS_STAFF),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.REVISIT: {
        "revisit": (Stage.CLOSE, CS_STAFF),
        "reopen": (Stage.PLAN, CS_STAFF),  # 不满意 or worse, a department was assigned
        "reopen_analysis": (Stage.ANALYSE, CS_STAFF),  # 不满意 or worse on the short path
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.CLOSE: {
        "close": (Stage.CLOSED, frozenset({S})),
        "withdraw": (Stage.WITHDRAWN, CS_STAFF),
    },
    Stage.CLOSED: {},
    Stage.WITHDRAWN: {},
}

ACTION_LABELS = {
    "uphold": _("Upheld (成立)"),
    "reject": _("Not upheld (不成立)"),
    "withdraw": _("Withdraw"),
    "assign": _("Assign department"),
    "progress": _("Report progress"),
    "submit_plan": _("Submit plan"),
    "submit_plan_to_manager": _("Submit plan"),
    "approve": _("Approve"),
    "approve_first": _("Approve (to manager)"),
    "send_back": _("Send back"),
    "approve_final": _("Approve"),
    "manager_send_back": _("Send back"),
    "respond": _("Record response"),
    "revisit": _("Record revisit"),
    "reopen": _("Record revisit"),
    "reopen_analysis": _("Record revisit"),
    "close": _("Close"),
    "receive": _("Received"),
    "made_major": _("Made major (compensation)"),  # a note on the trail, not a move
}

APPROVE_ACTIONS = frozenset({"approve", "approve_first", "approve_final"})
REVISIT_ACTIONS = frozenset({"revisit", "reopen", "reopen_analysis"})


def needs_reopen(data: dict) -> bool:
    """不满意 or worse (attitude or result) reopens the complaint."""
    worst = Satisfaction.DISSATISFIED
    return any(data.get(k) is not None and int(data[k]) <= worst
               for k in ("satisfaction_attitude", "satisfaction_result"))


# Guards on the complaint: which of two ways forward applies. Missing = always.
GUARDS = {
    "submit_plan": lambda c: not c.routed_to_manager(),
    "submit_plan_to_manager": lambda c: c.routed_to_manager(),
    "approve": lambda c: c.severity != Severity.MAJOR,
    "approve_first": lambda c: c.severity == Severity.MAJOR,
    "reopen": lambda c: c.responsible_department_id is not None,
    "reopen_analysis": lambda c: c.responsible_department_id is None,
}


def roles_may(user, stage: str, action: str) -> bool:
    entry = TRANSITIONS.get(stage, {}).get(action)
    return entry is not None and bool(roles_of(user) & entry[1])


def actor_may(complaint, user, action: str) -> bool:
    """Role from the table, plus the object rule: a handler acts only for their own department."""
    entry = TRANSITIONS.get(complaint.stage, {}).get(action)
    if entry is None:
        return False
    roles = roles_of(user) & entry[1]
    if not roles:
        return False
    if roles == {H}:
        employee = getattr(user, "employee", None)
        return employee is not None and complaint.responsible_department_id == employee.department_id
    return True


def guard_ok(complaint, action: str) -> bool:
    guard = GUARDS.get(action)
    return guard is None or guard(complaint)


def available_actions(complaint, user) -> list[str]:
    """The moves ``user`` may make on ``complaint`` now, in table order."""
    return [a for a in TRANSITIONS.get(complaint.stage, {})
            if guard_ok(complaint, a) and actor_may(complaint, user, a)]
