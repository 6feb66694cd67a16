from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "targets"
    verbose_name = _("Targets")

    def ready(self):
        from csmgmt.core.registry import Job, NavItem, register_job, register_nav

        from . import sources

        sources.register()  # five of the six figures (QA score and the calls' satisfaction: their own apps)
        register_nav(NavItem("targets:my", _("My month"), "targets.view_own", icon="bullseye", section="me",
                             order=30))
        register_nav(NavItem("targets:team", _("Team targets"), "targets.view_team", icon="bullseye",
                             section="manage", order=35))
        register_nav(NavItem("targets:department", _("Department targets"), "targets.view_department",
                             icon="graph-up-arrow", section="manage", order=36))
        register_nav(NavItem("targets:settings", _("Set targets"), "targets.set", icon="sliders",
                             section="manage", order=37))
        register_job(Job("targets: month figures", "targets.tasks.month_figures_store",
                         _("Every night: the department's figures of the last 13 months that ended, stored for the "
                           "targets trend."), crontab={"minute": "20", "hour": "2"},
                         title=_("Targets trend figures")))
