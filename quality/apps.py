from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quality"
    verbose_name = _("Quality inspection")

    def ready(self):
        from csmgmt.core.registry import (FigureSource, Job, NavItem, register_figure_source, register_job,
                                          register_manual_entry_origin, register_nav)

        from . import selectors, workflow  # noqa: F401 (workflow: the table registers with the engine)

        register_nav(NavItem("quality:mine", _("My inspections"), "quality.view_own", icon="clipboard-check",
                             section="me", order=45))
        register_nav(NavItem("quality:month", _("Quality inspection"), "quality.inspect", icon="clipboard-check",
                             section="manage", order=45))
        register_nav(NavItem("quality:settings", _("Inspection checklist"), "quality.configure", icon="list-check",
                             section="manage", order=46))
        register_job(Job("quality: draw last month", "quality.tasks.draw_last_month",
                         _("Early each month: draws last month's calls to inspect, for each agent (once)."),
                         crontab={"minute": "0", "hour": "6", "day_of_month": "1-3"},
                         title=_("Quality inspection draw")))
        register_manual_entry_origin(selectors.violation_origins)  # the violation shows its inspection
        register_figure_source(FigureSource(figure="qa_score", name="inspections",
                                            per_employee=selectors.qa_score_per_employee))
