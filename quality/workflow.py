"""The inspection's workflow (REGULATIONS §10; docs/quality.md), run by the engine (``csmgmt.core.workflow``).

- A drawn call is **scored** by the agent's supervisor (``"team_supervisor"``) or a manager, never by the
  agent whose call it is.
- The agent (``"owner"``) may **appeal** a scored inspection once (§10: "may appeal like any record"; §5: once
  per record).
- The agent's supervisor or a manager, never the appellant, **upholds** the appeal (the inspection is voided,
  its violations voided through scoring's service) or **rejects** it (scored again, as it was).
- A voided inspection is final.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext_lazy

from csmgmt.core.permissions import has_role
from csmgmt.core.roles import Role
from csmgmt.core.workflow import EventSpec, Workflow, WorkflowError, WorkflowForbidden, guard, move, transition

from .models import Inspection, InspectionEvent

State = Inspection.State
OWNER = "owner"  # the agent whose call it is
TEAM_SUPERVISOR = "team_supervisor"  # the agent's supervisor
MANAGER = Role.MANAGER


class QualityError(WorkflowError):
    """A refused quality action; ``str(exc)`` is a message for the user."""


class QualityForbidden(QualityError, WorkflowForbidden):
    """The employee may not do this on this inspection."""


def not_own_call(ctx) -> bool:
    return ctx.by is None or ctx.record.agent_id != ctx.by.pk


def never_appealed(ctx) -> bool:
    return not any(e.action == "appeal" for e in ctx.events())


NOT_OWN = guard(not_own_call, gettext_lazy("You cannot score or decide on an inspection of your own call."),
                name="not_own_call")
APPEAL_ONCE = guard(never_appealed, gettext_lazy("This inspection has already been appealed; it may be appealed "
                                                 "once."), name="appeal_once")
INSPECTORS = {TEAM_SUPERVISOR, MANAGER}

TABLE = {
    State.DRAWN: {
        "score": move(State.SCORED, INSPECTORS, NOT_OWN),
    },
    State.SCORED: {
        "appeal": move(State.APPEALED, {OWNER}, APPEAL_ONCE),
    },
    State.APPEALED: {
        "uphold": move(State.VOIDED, INSPECTORS, NOT_OWN),
        "reject": move(State.SCORED, INSPECTORS, NOT_OWN),
    },
    State.VOIDED: {},
}

LABELS = {
    "draw": gettext_lazy("Drawn"),
    "score": pgettext_lazy("inspection", "Score"),
    "appeal": gettext_lazy("Appeal the inspection"),
    "uphold": gettext_lazy("Uphold the appeal (void the inspection)"),
    "reject": gettext_lazy("Reject the appeal"),
    "swap": gettext_lazy("Call swapped"),
    "violation": gettext_lazy("Violation recorded"),
    "violation_void": gettext_lazy("Violations voided"),
}


def relations(inspection, employee) -> set:
    out = set()
    if inspection.agent_id == employee.pk:
        out.add(OWNER)
    if inspection.agent.supervisor_id == employee.pk and has_role(employee.user, Role.SUPERVISOR):
        out.add(TEAM_SUPERVISOR)
    return out


def may_inspect(inspection, employee) -> bool:
    """The agent's supervisor or a manager, never the agent themself: who scores, swaps, records violations and
    decides appeals (the workflow's ``INSPECTORS``)."""
    if employee is None or inspection.agent_id == employee.pk:
        return False
    return TEAM_SUPERVISOR in relations(inspection, employee) or has_role(employee.user, Role.MANAGER)


def _refusal(inspection, action) -> str:
    return _("“%(action)s” is not possible now: the inspection is “%(state)s”.") % {
        "action": INSPECTION.label(action), "state": Inspection.State(inspection.state).label}


INSPECTION = Workflow(
    name="inspection",
    model=Inspection,
    field="state",
    table=TABLE,
    events=EventSpec(model=InspectionEvent, record="inspection"),
    labels=LABELS,
    relations=relations,
    lock_related=("agent", "call"),
    describe=lambda i: {"number": i.call.number},
    error=QualityError,
    forbidden=QualityForbidden,
    refusal=_refusal,
    forbidden_message=gettext_lazy("Only the agent's supervisor or a manager may do this; an agent only appeals "
                                   "their own inspection."),
)


def inspection_transition(inspection, action: str, *, by, **kwargs):
    return transition(INSPECTION, inspection, action, by=by, **kwargs)
