from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsmgmtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "csmgmt"
    verbose_name = _("Customer service management")

    def ready(self):
        from .registry import Job, register_job

        register_job(Job(
            name="heartbeat",
            task="csmgmt.tasks.heartbeat",
            description=_("Records that the worker is alive (shown on /healthz)."),
            every_seconds=60,
        ))
        post_migrate.connect(_install_jobs, sender=self)


def _install_jobs(sender, using="default", **kwargs):
    from .jobs import jobs_install

    jobs_install(using=using)
