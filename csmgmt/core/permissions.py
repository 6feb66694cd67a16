"""The one place that answers "may this user do X".

Every view asks :func:`can` (through :func:`require` or :class:`AbilityRequiredMixin`);
services that act on a particular record check the object-level rules their app keeps in
``<app>/selectors.py`` (e.g. a handler sees only their department's complaints), built on
:func:`roles_of` from here. Hiding a button is never the check.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import IMPLIED, Role

CS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER})
EVERY_EMPLOYEE = frozenset(Role)

# ability -> roles that hold it (after IMPLIED expansion: a manager is also a supervisor and an agent).
ABILITIES: dict[str, frozenset] = {
    # people, notifications, administration
    "staff.use_app": EVERY_EMPLOYEE,
    "staff.import_employees": frozenset({Role.ADMIN}),
    "staff.manage_people": frozenset({Role.ADMIN}),
    # call intake (REGULATIONS §2)
    "tickets.log_call": CS,
    "tickets.view_all_calls": CS,
    "tickets.view_department_calls": frozenset({Role.HANDLER}),
    "tickets.edit_any_call": frozenset({Role.SUPERVISOR}),
    "tickets.edit_received_at": frozenset({Role.SUPERVISOR}),
    "tickets.void_call": frozenset({Role.SUPERVISOR}),
    "tickets.check_valid": frozenset({Role.SUPERVISOR}),  # 有效电话: confirm or correct the agent's marking
    "tickets.supervise_revisits": frozenset({Role.SUPERVISOR}),  # the team's revisits, unsatisfied answers (§10)
    "tickets.view_customers": CS,
    "tickets.edit_customers": CS,
    "tickets.merge_customers": frozenset({Role.SUPERVISOR}),
    "tickets.manage_scripts": frozenset({Role.MANAGER}),
    "tickets.import_calls": frozenset({Role.MANAGER}),
    # complaints (REGULATIONS §3)
    "complaints.register": CS,
    "complaints.view_all": CS,
    "complaints.view_department": frozenset({Role.HANDLER}),
    # the overdue queue: customer service all, a handler their department's
    "complaints.view_overdue": CS | {Role.HANDLER},
    "complaints.approve": frozenset({Role.SUPERVISOR}),
    "complaints.approve_major": frozenset({Role.MANAGER}),
    "complaints.configure": frozenset({Role.MANAGER}),
    "complaints.statistics": frozenset({Role.SUPERVISOR}),
    # attendance (REGULATIONS §4)
    "attendance.punch": EVERY_EMPLOYEE,
    # working calendars (REGULATIONS §9): department hours, public holidays and make-up days
    "calendars.manage": frozenset({Role.MANAGER}),
    "attendance.request_leave": EVERY_EMPLOYEE,
    "attendance.roster": frozenset({Role.SUPERVISOR}),
    "attendance.manual_punch": frozenset({Role.SUPERVISOR}),
    "attendance.approve_team": frozenset({Role.SUPERVISOR}),
    "attendance.approve_long_leave": frozenset({Role.MANAGER}),
    "attendance.configure_shifts": frozenset({Role.MANAGER}),
    "attendance.configure_leave": frozenset({Role.MANAGER}),  # the long-leave threshold, deputies
    "attendance.import": frozenset({Role.SUPERVISOR}),
    "attendance.duty_log": CS,
    # scoring (REGULATIONS §5)
    "scoring.view_own": EVERY_EMPLOYEE,
    "scoring.view_team": frozenset({Role.SUPERVISOR}),
    "scoring.record_manual": frozenset({Role.SUPERVISOR}),
    "scoring.configure": frozenset({Role.MANAGER}),
    "scoring.close_month": frozenset({Role.MANAGER}),
    "scoring.decide_appeal": frozenset({Role.MANAGER}),
    # quality inspection (REGULATIONS §10): an agent their own, a supervisor their team, a manager all
    "quality.view_own": CS,
    "quality.inspect": frozenset({Role.SUPERVISOR}),
    "quality.view_all": frozenset({Role.MANAGER}),
    "quality.configure": frozenset({Role.MANAGER}),
    # lost and found (REGULATIONS §6)
    "lostfound.view": frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.CUSTODIAN}),
    "lostfound.register": frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.CUSTODIAN}),
    "lostfound.release_claim": frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.CUSTODIAN}),
    "lostfound.custody": frozenset({Role.CUSTODIAN}),
    "lostfound.finance_handover": frozenset({Role.CUSTODIAN}),
    "lostfound.configure": frozenset({Role.MANAGER, Role.CUSTODIAN}),
    # the knowledge base (REGULATIONS §10): agents read published articles, supervisors write, managers configure
    "knowledge.read": CS,
    "knowledge.write": frozenset({Role.SUPERVISOR}),
    "knowledge.configure": frozenset({Role.MANAGER}),
    # reports and dashboards (REGULATIONS §8)
    "reports.dashboard": frozenset({Role.SUPERVISOR}),
    "reports.download": frozenset({Role.MANAGER}),
    # a supervisor's team sheets (a manager's: the department's)
    "reports.team_download": frozenset({Role.SUPERVISOR}),
    "reports.regenerate": frozenset({Role.MANAGER}),
    "reports.view_jobs": frozenset({Role.MANAGER, Role.ADMIN}),
    # targets (REGULATIONS §10): an agent's own month, a supervisor's team, the manager's department and targets
    "targets.view_own": CS,
    "targets.view_team": frozenset({Role.SUPERVISOR}),
    "targets.view_department": frozenset({Role.MANAGER}),
    "targets.set": frozenset({Role.MANAGER}),
    # integrations (issue 21): tokens for the programs that use /api/
    "api.manage_integrations": frozenset({Role.MANAGER, Role.ADMIN}),
}


def roles_of(user) -> frozenset:
    """The user's roles, implied ones included. Cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_csmgmt_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    roles = set()
    for value in names:
        try:
            role = Role(value)
        except ValueError:
            continue
        roles.add(role)
        roles |= IMPLIED.get(role, set())
    employee = getattr(user, "employee", None)
    if employee is not None and not employee.active:
        roles = set()
    user._csmgmt_roles = frozenset(roles)
    return user._csmgmt_roles


def can(user, ability: str) -> bool:
    """May ``user`` do ``ability``? Unknown abilities are refused (and a typo fails loudly in tests)."""
    if ability not in ABILITIES:
        raise KeyError(f"unknown ability {ability!r}")
    return bool(roles_of(user) & ABILITIES[ability])


def can_any(user, *abilities: str) -> bool:
    return any(can(user, a) for a in abilities)


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def check(user, ability: str) -> None:
    if not can(user, ability):
        raise PermissionDenied(ability)


def require(*abilities: str):
    """View decorator: the user must hold at least one of ``abilities`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can_any(request.user, *abilities):
                raise PermissionDenied(", ".join(abilities))
            return view(request, *args, **kwargs)

        wrapped.required_abilities = abilities
        return wrapped

    return decorator


class AbilityRequiredMixin:
    """Class-based views: set ``required_abilities = ("tickets.log_call",)``."""

    required_abilities: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.required_abilities or not can_any(request.user, *self.required_abilities):
            raise PermissionDenied(", ".join(self.required_abilities))
        return super().dispatch(request, *args, **kwargs)
