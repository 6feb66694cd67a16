from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The integration API (issue 21): tokens for the programs that talk to csmgmt, and ``/api/``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "csmgmt.api"
    label = "api"
    verbose_name = _("Integration API")

    def ready(self):
        from csmgmt.core.registry import CallLink, NavItem, register_call_link, register_nav

        from . import telephony

        register_call_link(CallLink(rang_at=telephony.exchange_rang_at, link=telephony.exchange_call_logged))

        register_nav(NavItem("integrations:list", _("Integrations"), "api.manage_integrations", icon="plug",
                             section="manage", order=95))
        register_nav(NavItem("telephony:missed", _("Missed calls"), "tickets.log_call", icon="telephone-x",
                             section="work", order=22))
        register_nav(NavItem("telephony:to_log", _("Calls to log"), "tickets.log_call", icon="telephone-inbound",
                             section="work", order=23))
