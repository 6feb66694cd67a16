"""Called from ``StaffConfig.ready()``: register nav entries, home panels and jobs here."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _approvals_badge(user):
    from .selectors import pending_count

    return pending_count(user) or None


def _punches_import_run(file, name, by, options) -> str:
    from .services.punches import punches_import

    result = punches_import(file=file, name=name, by=by)
    return gettext("Imported %(c)s punches; %(d)s were already stored.") % {"c": result.created, "d": result.duplicates}


def _roster_import_run(file, name, by, options) -> str:
    from .services.roster import roster_import

    return gettext("Imported %(n)s roster cells.") % {"n": roster_import(file=file, name=name, by=by)}


def _home_context(request):
    from csmgmt.core.permissions import can

    from .selectors import duty_last_entry

    # the handover is linked only for those who may open the duty log (a custodian clocks in too)
    return {"last_duty": duty_last_entry() if can(request.user, "attendance.duty_log") else None}


def ready():
    from . import admin

    admin.register()

    from csmgmt.core.imports import Importer, register_importer
    from csmgmt.core.registry import HomeWidget, Job, NavItem, register_home, register_job, register_nav

    from .selectors import APPROVALS_BADGE_CAPTION

    register_importer(Importer("punches", "attendance.import", _punches_import_run,
                               back_url="staff:attendance_punch_upload"))
    register_importer(Importer("roster", "attendance.import", _roster_import_run,
                               back_url="staff:attendance_roster_upload"))

    register_nav(NavItem("staff:attendance_my", _("My attendance"), "attendance.punch", icon="calendar-check",
                         section="work", order=60))
    register_nav(NavItem("staff:attendance_approvals", _("Approvals"), "attendance.approve_team",
                         icon="check2-square", section="work", order=61, badge=_approvals_badge,
                         badge_caption=APPROVALS_BADGE_CAPTION))
    register_nav(NavItem("staff:attendance_duty", _("Duty log"), "attendance.duty_log", icon="journal-text",
                         section="work", order=62))
    register_nav(NavItem("staff:attendance_team", _("Team attendance"), "attendance.approve_team",
                         icon="grid-3x3", section="manage", order=40))
    register_nav(NavItem("staff:attendance_roster", _("Roster"), "attendance.roster", icon="calendar-week",
                         section="manage", order=41))
    register_nav(NavItem("staff:attendance_punch_upload", _("Import punches"), "attendance.import",
                         icon="upload", section="manage", order=42))
    register_nav(NavItem("staff:attendance_roster_upload", _("Import roster"), "attendance.import",
                         icon="upload", section="manage", order=43))
    register_nav(NavItem("staff:attendance_shifts", _("Shifts"), "attendance.configure_shifts", icon="clock",
                         section="manage", order=44))
    register_nav(NavItem("staff:attendance_leave", _("My leave"), "attendance.request_leave", icon="airplane",
                         section="me", order=20))
    register_home(HomeWidget("staff/attendance/partials/home_clock.html", "attendance.punch",
                             context=_home_context, order=20))
    register_nav(NavItem("staff:attendance_leave_settings", _("Leave approval settings"),
                         "attendance.configure_leave", icon="people", section="manage", order=45))
    register_job(Job("attendance-certificates-late", "staff.attendance.tasks.attendance_certificates_late",
                     _("Attendance: tell supervisors of sick leave whose certificate is late (keep the leave or 旷工)"),
                     crontab={"minute": "45", "hour": "6"}, title=_("Late sick-leave certificates")))
    register_job(Job("attendance-settle-yesterday", "staff.attendance.tasks.attendance_settle_yesterday",
                     _("Attendance: judge yesterday for everyone rostered (absent where nothing came)"),
                     crontab={"minute": "30", "hour": "6"}, title=_("Judge yesterday's attendance")))
    register_job(Job("attendance-duty-unsigned-handovers", "staff.attendance.tasks.duty_unsigned_handovers",
                     _("Duty log: flag to the supervisor every rostered shift whose handover is not signed by the "
                       "end of the next shift"),
                     crontab={"minute": "10"}, title=_("Unsigned duty handovers")))
