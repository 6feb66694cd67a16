from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("People and attendance")

    def ready(self):
        from csmgmt.core.imports import Importer, register_importer
        from csmgmt.core.registry import HomeWidget, NavItem, register_home, register_nav

        from .importers import employees_import_run

        register_importer(Importer("employees", "staff.import_employees", employees_import_run,
                                   back_url="staff:import_employees"))

        register_nav(NavItem("staff:notifications", _("Notifications"), "staff.use_app", icon="bell",
                             section="me", order=90))
        register_nav(NavItem("staff:import_employees", _("Import employees"), "staff.import_employees",
                             icon="people", section="admin", order=10))

        register_nav(NavItem("staff:calendars", _("Working calendars"), "calendars.manage", icon="calendar-week",
                             section="manage", order=80))
        register_home(HomeWidget("staff/calendars/partials/home_notice_missing.html", "calendars.manage",
                                 _calendar_home, order=5))

        from .attendance import hooks as attendance_hooks
        from .scoring import hooks as scoring_hooks

        attendance_hooks.ready()
        scoring_hooks.ready()


def _calendar_home(request) -> dict:
    """Managers are warned on their home page in December when next year has no notice (REGULATIONS §9)."""
    from django.utils import timezone

    from .calendars.selectors import next_year_missing

    return {"missing": next_year_missing(timezone.localdate())}
