from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LostfoundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lostfound"
    verbose_name = _("Lost and found")

    def ready(self):
        from csmgmt.core.registry import (HomeWidget, Job, NavItem, register_caller_history, register_home,
                                          register_job, register_nav)

        from . import selectors, workflow  # noqa: F401 (workflow: the tables register with the engine)

        register_nav(NavItem("lostfound:items", _("Lost & found"), "lostfound.view", icon="box-seam", order=40))
        register_nav(NavItem("lostfound:custody", _("Custody"), "lostfound.custody", icon="safe", order=41,
                             badge=selectors.awaiting_custody_count, badge_class="text-bg-warning"))
        register_nav(NavItem("lostfound:handovers", _("Finance handover"), "lostfound.finance_handover",
                             icon="cash-stack", order=42))
        register_nav(NavItem("lostfound:settings", _("Lost & found settings"), "lostfound.configure",
                             icon="box-seam", section="manage", order=60))
        register_home(HomeWidget("lostfound/partials/home_custodian.html", "lostfound.custody",
                                 context=lambda request: selectors.custodian_panel(), order=40))
        register_job(Job("lostfound: custody at end of day", "lostfound.tasks.custody_check",
                         _("Lists the day's unclaimed valuables for the custodian after the end-of-day time."),
                         crontab={"minute": "*/15"}, title=_("Custody check at the end of the day")))
        register_job(Job("lostfound: monthly finance handover", "lostfound.tasks.handover_prepare_month",
                         _("On the 1st: items past retention, listed for the custodian's handover to finance."),
                         crontab={"minute": "0", "hour": "8", "day_of_month": "1"},
                         title=_("Monthly handover to finance")))
        register_caller_history(selectors.caller_history)
        from csmgmt.core.registry import register_open_items

        register_open_items(selectors.items_in_custody_for_duty_log)  # the duty log starts from what is open (§7)
