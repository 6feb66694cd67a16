from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The integration API (issue 21): tokens for the programs that talk to csmgmt, and ``/api/``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "csmgmt.api"
    label = "api"
    verbose_name = _("Integration API")

    def ready(self):
        from csmgmt.core.registry import NavItem, register_nav

        register_nav(NavItem("integrations:list", _("Integrations"), "api.manage_integrations", icon="plug",
                             section="manage", order=95))
        register_nav(NavItem("telephony:missed", _("Missed calls"), "tickets.log_call", icon="telephone-x",
                             section="work", order=22))
        register_nav(NavItem("telephony:to_log", _("Calls to log"), "tickets.log_call", icon="telephone-inbound",
                             section="work", order=23))
