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
from django.utils.translation import pgettext_lazy

from csmgmt.core.permissions import roles_of
from csmgmt.core.roles import Role
from csmgmt.core.workflow import (EventSpec, Workflow, WorkflowError, WorkflowForbidden, applies, eligible, guard,
                                  not_same_person, when)
from csmgmt.core.workflow import available_actions as engine_available_actions
from csmgmt.core.workflow import blocked_actions as engine_blocked_actions
from csmgmt.core.workflow import move

from .models import Complaint, ComplaintEvent, Satisfaction, Severity, Stage

AGENT, SUPERVISOR, MANAGER, HANDLER = Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.HANDLER
CS_STAFF = {AGENT}  # agents, and through the implied roles supervisors and managers
# Who plans (a record-relative role, :func:`relations`): on a complaint against 客服部, only the writer the manager
# named; on any other, the responsible department's handlers and the managers.
PLANNER = "planner"
# Who may pause and resume (REGULATIONS §9): the owner (the agent who registered it), a supervisor, a manager, or
# the responsible handler (a handler of the responsible department).
OWNER = "owner"
RESPONSIBLE = "responsible"
PAUSERS = {OWNER, SUPERVISOR, RESPONSIBLE}


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


def _major_after_plan(ctx) -> bool:
    """Major, or made major by this plan's compensation (REGULATIONS §3: major = involves compensation)."""
    compensation = (ctx.data or {}).get("compensation")
    return ctx.record.severity == Severity.MAJOR or bool(compensation and compensation > 0)


def _plan_to_supervisor(ctx) -> bool:
    """A plan goes to the supervisor — and a major one then to the manager — unless it is the plan of an ordinary
    complaint against 客服部, which goes straight to a manager who did not write it."""
    return not ctx.record.routed_to_manager() or _major_after_plan(ctx)


def _plan_to_manager(ctx) -> bool:
    return not _plan_to_supervisor(ctx)


def writers_eligible(complaint, manager) -> list:
    """Who in 客服部 may be named to write the plan of a complaint against 客服部 (REGULATIONS §3): active, not
    the naming manager, not the person complained about."""
    from staff.models import Department, Employee

    qs = (Employee.objects.filter(active=True, user__is_active=True, department__kind=Department.Kind.CUSTOMER_SERVICE)
          .select_related("department").order_by("employee_no"))
    if manager is not None:
        qs = qs.exclude(pk=manager.pk)
    if complaint.against_employee_id:
        qs = qs.exclude(pk=complaint.against_employee_id)
    if complaint.against_person.strip():
        qs = qs.exclude(name=complaint.against_person.strip())
    return list(qs)


WRITER_AVAILABLE = guard(
    lambda ctx: ctx.by is None or bool(writers_eligible(ctx.record, ctx.by)),
    message=gettext_lazy("Nobody in 客服部 can be named to write the plan of complaint %(number)s: the writer may be "
                         "neither you nor the person complained about, and nobody else is active in 客服部."),
    name="writer-available")


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


def agree_next_reply(stage):
    """The complaint cannot be settled on this call: the agent agrees the next reply time with the customer
    (REGULATIONS §3, 001 L315); the complaint stays where it is, and a clock runs to that time."""
    return move(stage, CS_STAFF)


def _not_paused(c) -> bool:
    return c.paused_at is None


def _paused(c) -> bool:
    return c.paused_at is not None


def waiting(stage):
    """Pause (waiting on the customer) and resume: the complaint stays where it is (REGULATIONS §9)."""
    return {"pause": move(stage, PAUSERS, when(_not_paused)), "resume": move(stage, PAUSERS, when(_paused))}


TABLE = {
    Stage.ANALYSE: {
        "uphold": move(Stage.ASSIGN, CS_STAFF),
        "reject": move(Stage.RESPOND, CS_STAFF),  # 不成立: the short path
        "agree_next_reply": agree_next_reply(Stage.ANALYSE),
        **waiting(Stage.ANALYSE),
        "withdraw": WITHDRAW,
    },
    Stage.ASSIGN: {
        "assign": move(Stage.PLAN, {SUPERVISOR}, when(_to_supervisor)),
        "assign_writer": move(Stage.PLAN, {MANAGER}, when(_to_manager), WRITER_AVAILABLE),  # against 客服部
        "agree_next_reply": agree_next_reply(Stage.ASSIGN),
        **waiting(Stage.ASSIGN),
        "withdraw": WITHDRAW,
    },
    Stage.PLAN: {
        "progress": move(Stage.PLAN, {PLANNER}),
        "submit_plan": move(Stage.APPROVE, {PLANNER}, guard(_plan_to_supervisor, name="plan-to-supervisor")),
        "submit_plan_to_manager": move(Stage.MANAGER_APPROVE, {PLANNER},
                                       guard(_plan_to_manager, name="plan-to-manager")),
        "agree_next_reply": agree_next_reply(Stage.PLAN),
        **waiting(Stage.PLAN),
        "withdraw": WITHDRAW,
    },
    Stage.APPROVE: {
        "approve": move(Stage.RESPOND, {SUPERVISOR}, when(_ordinary), NOT_THE_PLANNER),
        "approve_first": move(Stage.MANAGER_APPROVE, {SUPERVISOR}, when(_major), NOT_THE_PLANNER),
        "send_back": move(Stage.PLAN, {SUPERVISOR}),
        "agree_next_reply": agree_next_reply(Stage.APPROVE),
        **waiting(Stage.APPROVE),
        "withdraw": WITHDRAW,
    },
    Stage.MANAGER_APPROVE: {
        "approve_final": move(Stage.RESPOND, {MANAGER}, NOT_THE_FIRST_APPROVER),
        "manager_send_back": move(Stage.PLAN, {MANAGER}),
        "agree_next_reply": agree_next_reply(Stage.MANAGER_APPROVE),
        **waiting(Stage.MANAGER_APPROVE),
        "withdraw": WITHDRAW,
    },
    Stage.RESPOND: {
        "respond": move(Stage.REVISIT, CS_STAFF),
        "agree_next_reply": agree_next_reply(Stage.RESPOND),
        **waiting(Stage.RESPOND),
        "withdraw": WITHDRAW,
    },
    Stage.REVISIT: {
        "revisit": move(Stage.CLOSE, CS_STAFF),
        "reopen": move(Stage.PLAN, CS_STAFF, when(_department_known)),  # 不满意 or worse, a department assigned
        "reopen_analysis": move(Stage.ANALYSE, CS_STAFF, when(_short_path)),  # 不满意 or worse, short path
        **waiting(Stage.REVISIT),
        "withdraw": WITHDRAW,
    },
    Stage.CLOSE: {
        "close": move(Stage.CLOSED, {SUPERVISOR}),
        **waiting(Stage.CLOSE),
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
    "assign_writer": gettext_lazy("Name the plan writer"),
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
    "close": pgettext_lazy("complaint", "Close"),
    "agree_next_reply": gettext_lazy("Agree the next reply time"),
    "receive": gettext_lazy("Received"),
    "made_major": gettext_lazy("Made major (compensation)"),  # a note on the trail, not a move
    "pause": gettext_lazy("Pause (waiting on the customer)"),
    "resume": gettext_lazy("Resume"),
    "clock_recomputed": gettext_lazy("Clock recomputed (calendar changed)"),  # a note on the trail
}

APPROVE_ACTIONS = frozenset({"approve", "approve_first", "approve_final"})
PLAN_SUBMIT_ACTIONS = frozenset({"submit_plan", "submit_plan_to_manager"})
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


def plan_action(complaint, data: dict) -> str:
    """Which move submitting a plan makes: to the supervisor, or — an ordinary complaint against 客服部 whose plan
    involves no compensation — to a manager. The plan's answers choose, not the page."""
    major = complaint.severity == Severity.MAJOR or bool(data.get("compensation") and data["compensation"] > 0)
    return "submit_plan" if not complaint.routed_to_manager() or major else "submit_plan_to_manager"


def relations(complaint, employee) -> set:
    """``planner``: the named writer of a complaint against 客服部 (REGULATIONS §3: only that person plans); on
    any other complaint — or one against 客服部 assigned before writers were named — the responsible
    department's handlers and the managers."""
    out = _waiting_roles(complaint, employee)
    if complaint.routed_to_manager() and complaint.plan_writer_id is not None:
        return out | ({PLANNER} if complaint.plan_writer_id == employee.pk else set())
    roles = roles_of(employee.user)
    if MANAGER in roles or (HANDLER in roles and complaint.responsible_department_id is not None
                            and complaint.responsible_department_id == employee.department_id):
        return out | {PLANNER}
    return out


def _waiting_roles(complaint, employee) -> set:
    """``owner``: the agent who registered the complaint; ``responsible``: the responsible person, or a handler of
    the responsible department (REGULATIONS §9: they may pause and resume)."""
    out = {OWNER} if complaint.agent_id == employee.pk else set()
    if complaint.responsible_person_id == employee.pk or (
            complaint.responsible_department_id is not None
            and complaint.responsible_department_id == employee.department_id
            and HANDLER in roles_of(employee.user)):
        out.add(RESPONSIBLE)
    return out


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
    relations=relations,
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


def approvers() -> list:
    """Everyone who might approve a plan: the active supervisors and managers (one query)."""
    from staff.models import Employee

    return list(Employee.objects.filter(active=True, user__is_active=True,
                                        user__groups__name__in=[SUPERVISOR, MANAGER])
                .select_related("user").distinct().order_by("employee_no"))


NOBODY_MAY = {
    "approve": gettext_lazy("Nobody can approve this plan: every supervisor and manager wrote it or reported "
                            "progress on it. An administrator must give another employee the supervisor's role."),
    "approve_first": gettext_lazy("Nobody can give this plan its first approval: every supervisor and manager wrote "
                                  "it or reported progress on it. An administrator must give another employee the "
                                  "supervisor's role."),
    "approve_final": gettext_lazy("Nobody can give this plan the manager's approval: every manager wrote it, "
                                  "reported progress on it or gave its first approval. An administrator must give "
                                  "another employee the manager's role."),
}


def nobody_may(complaint) -> list[tuple[str, str]]:
    """The approvals this complaint waits for that nobody may give under four eyes: [(action, why)], so the page
    says so instead of leaving everyone to wonder (REGULATIONS §3)."""
    out = []
    candidates = None
    for action in COMPLAINT.table.get(complaint.stage, {}):
        if action not in NOBODY_MAY or not applies(complaint, action, COMPLAINT):
            continue
        candidates = approvers() if candidates is None else candidates
        if not eligible(complaint, action, candidates, COMPLAINT):
            out.append((action, str(NOBODY_MAY[action])))
    return out
