from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from csmgmt.core.registry import (HomeWidget, Job, NavItem, register_caller_history, register_customer_merge,
                                          register_home, register_job, register_nav)

        from . import selectors

        def badge(name):
            return lambda user: selectors.queue_count(user, name)

        captions = selectors.BADGE_CAPTIONS
        register_nav(NavItem("complaints:mine", _("My complaints"), "complaints.register", icon="megaphone",
                             order=20, badge=badge("mine"), badge_class="text-bg-light", badge_caption=captions["mine"]))
        register_nav(NavItem("complaints:approvals", _("Awaiting my approval"), "complaints.approve",
                             icon="check2-square", order=21, badge=badge("approvals"), badge_class="text-bg-warning",
                             badge_caption=captions["approvals"]))
        register_nav(NavItem("complaints:department", _("My department's complaints"), "complaints.view_department",
                             icon="building", order=22, badge=badge("department"), badge_class="text-bg-light",
                             badge_caption=captions["department"]))
        register_nav(NavItem("complaints:revisits", _("Revisits due"), "complaints.register",
                             icon="telephone-outbound", order=23, badge=badge("revisits"), badge_class="text-bg-info",
                             badge_caption=captions["revisits"]))
        register_nav(NavItem("complaints:overdue", _("Overdue"), "complaints.view_overdue", icon="alarm", order=24,
                             badge=badge("overdue"), badge_class="text-bg-danger", badge_caption=captions["overdue"]))
        register_nav(NavItem("complaints:all", _("All complaints"), "complaints.view_all", icon="list-ul",
                             section="manage", order=20))
        register_nav(NavItem("complaints:statistics", _("Complaint statistics"), "complaints.statistics",
                             icon="bar-chart", section="manage", order=21))
        register_nav(NavItem("complaints:revisit_week", _("Weekly revisit analysis"), "reports.download",
                             icon="telephone-inbound", section="manage", order=23))
        register_nav(NavItem("complaints:settings", _("Complaint clocks"), "complaints.configure",
                             icon="stopwatch", section="manage", order=22))
        register_home(HomeWidget("complaints/partials/home_widget.html", "complaints.view_all",
                                 context=lambda request: {"counts": selectors.home_counts(request.user)}, order=20))
        register_home(HomeWidget("complaints/partials/home_widget_handler.html", "complaints.view_department",
                                 context=lambda request: {"counts": selectors.home_counts(request.user)}, order=21))
        register_job(Job("complaints.clocks_remind", "complaints.tasks.clocks_remind",
                         _("Complaint clocks: due-soon, overdue and revisit reminders (each once)."),
                         crontab={"minute": "*/5"}, title=_("Complaint clock reminders")))
        register_job(Job("complaints.revisit_week_send", "complaints.tasks.revisit_week_send",
                         _("Weekly revisit analysis (周回访情况分析表) of the past week to the managers."),
                         crontab={"minute": "0", "hour": "9", "day_of_week": "2"},
                         title=_("Weekly revisit analysis")))
        register_caller_history(selectors.caller_history, from_call=selectors.complaints_from_call)
        from csmgmt.core.registry import register_open_items

        register_open_items(selectors.open_complaints_for_duty_log)  # the duty log starts from what is open (§7)

        from .services import complaints_customer_merge

        register_customer_merge(complaints_customer_merge)

        from csmgmt.core.registry import register_calendar_listener

        from .clocks import clocks_recompute

        register_calendar_listener(clocks_recompute)  # REGULATIONS §9: a calendar edit moves the running clocks
