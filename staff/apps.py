from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("People and attendance")

    def ready(self):
        from csmgmt.core.imports import Importer, register_importer
        from csmgmt.core.registry import NavItem, register_nav

        from .importers import employees_import_run

        register_importer(Importer("employees", "staff.import_employees", employees_import_run,
                                   back_url="staff:import_employees"))

        register_nav(NavItem("staff:notifications", _("Notifications"), "staff.use_app", icon="bell",
                             section="me", order=90))
        register_nav(NavItem("staff:import_employees", _("Import employees"), "staff.import_employees",
                             icon="people", section="admin", order=10))

        from .attendance import hooks as attendance_hooks
        from .scoring import hooks as scoring_hooks

        attendance_hooks.ready()
        scoring_hooks.ready()
