from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"
    verbose_name = _("Call intake")

    def ready(self):
        from csmgmt.core.imports import Importer, register_importer
        from csmgmt.core.registry import (HomeWidget, Job, NavItem, register_caller_history, register_home,
                                          register_job, register_nav, register_open_items)

        from . import selectors, widgets
        from .imports import calls_import_run

        register_importer(Importer("calls", "tickets.import_calls", calls_import_run, back_url="tickets:import"))
        from csmgmt.core.registry import register_calendar_listener

        from .clocks import call_clocks_recompute

        register_calendar_listener(call_clocks_recompute)  # REGULATIONS §9: a calendar edit moves running clocks
        from csmgmt.core.registry import FigureSource, register_figure_source

        from .revisits import revisit_due_recompute, satisfaction_per_employee

        register_calendar_listener(revisit_due_recompute)  # … and running revisit due times (§10)
        register_figure_source(FigureSource(figure="satisfaction", name="calls", per_employee=satisfaction_per_employee))
        # no badges: a count on every page of every agent and supervisor would cost each page a query
        register_nav(NavItem("tickets:revisits", _("My revisits"), "tickets.log_call", icon="telephone-outbound",
                             order=14))
        register_nav(NavItem("tickets:revisits_unsatisfied", _("Unsatisfied revisits"), "tickets.supervise_revisits",
                             icon="emoji-frown", order=15))
        register_job(Job("tickets.revisit_overdue_reminders", "tickets.tasks.revisit_overdue_reminders",
                         _("Reminds the owner of a call whose revisit is overdue (once per due time)."),
                         crontab={"minute": "*/15"}, title=_("Overdue revisit reminders")))

        register_nav(NavItem("tickets:intake", _("New call"), "tickets.log_call", icon="telephone-plus", order=10,
                             hotkey="n"))
        register_nav(NavItem("tickets:list", _("Calls"), "tickets.view_all_calls", icon="telephone", order=11))
        register_nav(NavItem("tickets:customers", _("Customers"), "tickets.view_customers", icon="person-vcard",
                             order=12))
        register_nav(NavItem("tickets:department_queue", _("My department's calls"), "tickets.view_department_calls",
                             icon="inbox", order=13, badge=selectors.department_waiting_count,
                             badge_caption=selectors.DEPARTMENT_BADGE_CAPTION))
        register_nav(NavItem("tickets:scripts", _("Scripts"), "tickets.manage_scripts", icon="chat-quote",
                             section="manage", order=20))
        register_nav(NavItem("tickets:import", _("Import calls"), "tickets.import_calls", icon="upload",
                             section="manage", order=21))
        register_home(HomeWidget("tickets/widgets/my_calls.html", "tickets.log_call", widgets.my_calls, order=10))
        register_home(HomeWidget("tickets/widgets/my_revisits.html", "tickets.log_call", widgets.my_revisits, order=11))
        register_job(Job("tickets.call_reply_reminders", "tickets.tasks.call_reply_reminders",
                         _("Reminds owners before a promised call reply is due and supervisors when it is overdue."),
                         crontab={"minute": "*/5"}, title=_("Call reply reminders")))
        register_job(Job("tickets.repair_callback_reminders", "tickets.tasks.repair_callback_reminders",
                         _("Reminds the owner of a repair request at the call-back mark (20 minutes) to phone the "
                           "customer when nobody is on site yet."),
                         crontab={"minute": "*"}, title=_("Repair call-back reminders")))
        register_caller_history(selectors.calls_history_provider)
        register_open_items(selectors.open_calls_for_duty_log)
