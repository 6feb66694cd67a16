"""Who gives the levels of leave (REGULATIONS §4): the long-leave threshold a manager edits, and the deputy a manager
names for a supervisor for a period. Both keep their history (django-simple-history); nothing is deleted — a deputy
is withdrawn, with who and when."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import has_role
from csmgmt.core.roles import Role
from staff.models import AttendanceSettings, Employee, LeaveDeputy

from ..workflow import AttendanceError, AttendanceForbidden


def _must_be_manager(by: Employee):
    if by is None or not by.active or not has_role(by.user, Role.MANAGER):
        raise AttendanceForbidden(_("Only a manager changes who approves leave."))


def leave_settings_update(*, by: Employee, long_leave_days: int) -> AttendanceSettings:
    """A manager sets the long-leave threshold (leave longer than this many days needs a manager too)."""
    _must_be_manager(by)
    if long_leave_days < 1:
        raise AttendanceError(_("The threshold is at least 1 day."))
    with transaction.atomic():
        conf = AttendanceSettings.objects.select_for_update().filter(pk=1).first() or AttendanceSettings(pk=1)
        if conf._state.adding or conf.long_leave_days != long_leave_days:
            conf.long_leave_days = long_leave_days
            conf._history_user = by.user
            conf.save()
    return conf


def deputy_name(*, by: Employee, supervisor: Employee, deputy: Employee, start_date: dt.date,
                end_date: dt.date) -> LeaveDeputy:
    """A manager names ``deputy`` to give the first level of leave for ``supervisor``'s team from ``start_date`` to
    ``end_date``: both supervisors of the manager's department, two people, neither the manager's own stand-in for
    themselves."""
    _must_be_manager(by)
    if end_date < start_date:
        raise AttendanceError(_("The last day is before the first day."))
    if supervisor.pk == deputy.pk:
        raise AttendanceError(_("The deputy must be someone other than the supervisor."))
    for person in (supervisor, deputy):
        if (not person.active or person.department_id != by.department_id
                or not has_role(person.user, Role.SUPERVISOR)):
            raise AttendanceError(_("%(name)s is not an active supervisor of your department.") % {"name": person.name})
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=supervisor.pk).first()
        if LeaveDeputy.objects.filter(supervisor=supervisor, withdrawn_at__isnull=True, start_date__lte=end_date,
                                      end_date__gte=start_date).exists():
            raise AttendanceError(_("%(name)s already has a deputy on some of those days.") % {"name": supervisor.name})
        named = LeaveDeputy(supervisor=supervisor, deputy=deputy, start_date=start_date, end_date=end_date,
                            named_by=by)
        named._history_user = by.user
        named.save()
    return named


def deputy_withdraw(*, by: Employee, deputy: LeaveDeputy, now: dt.datetime | None = None) -> LeaveDeputy:
    """A manager of the department withdraws a deputy (kept, with who and when)."""
    _must_be_manager(by)
    with transaction.atomic():
        deputy = LeaveDeputy.objects.select_for_update().select_related("supervisor").get(pk=deputy.pk)
        if deputy.supervisor.department_id != by.department_id:
            raise AttendanceForbidden(_("Only a manager of the supervisor's department withdraws the deputy."))
        if deputy.withdrawn_at is not None:
            raise AttendanceError(_("This deputy is already withdrawn."))
        deputy.withdrawn_at = now or timezone.now()
        deputy.withdrawn_by = by
        deputy._history_user = by.user
        deputy.save()
    return deputy
