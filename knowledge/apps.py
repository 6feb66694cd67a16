from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from csmgmt.core.registry import (CallPanel, IntakePanel, Job, NavItem, register_call_panel,
                                          register_intake_panel, register_job, register_nav)

        from . import selectors, services, views, workflow  # noqa: F401 (workflow: the table registers with the engine)

        register_nav(NavItem("knowledge:list", _("Knowledge base"), "knowledge.read", icon="journal-text", order=35))
        register_nav(NavItem("knowledge:settings", _("Knowledge base settings"), "knowledge.configure",
                             icon="journal-text", section="manage", order=65))
        register_job(Job("knowledge: articles due for review", "knowledge.tasks.articles_due_for_review",
                         _("Daily: published articles not reviewed for the set number of months become "
                           "“needs review”."), crontab={"minute": "10", "hour": "6"},
                         title=_("Knowledge base: articles due for review")))
        register_intake_panel(IntakePanel("knowledge/partials/intake_panel.html", "knowledge.read",
                                          context=views.intake_panel_context,
                                          on_saved=services.intake_call_saved, order=10))
        register_call_panel(CallPanel("knowledge/partials/call_articles.html", "knowledge.read",
                                      context=selectors.call_articles_panel, order=10))
