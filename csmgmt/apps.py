from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsmgmtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "csmgmt"
    verbose_name = _("Customer service management")

    def ready(self):
        from .core.registry import Job, NavItem, register_job, register_nav

        register_nav(NavItem("reports:dashboard", _("Dashboard"), "reports.dashboard", icon="speedometer2",
                             section="work", order=5))
        register_nav(NavItem("reports:list", _("Monthly reports"), "reports.download", icon="file-earmark-excel",
                             section="manage", order=80))
        register_nav(NavItem("reports:jobs", _("Scheduled jobs"), "reports.view_jobs", icon="clock-history",
                             section="manage", order=90))

        register_job(Job(
            name="heartbeat", title=_("Worker heartbeat"),
            task="csmgmt.tasks.heartbeat",
            description=_("Records that the worker is alive (shown on /healthz)."),
            every_seconds=60,
        ))
        register_job(Job(
            name="monthly-report", title=_("Monthly report"),
            task="csmgmt.tasks.monthly_report_scheduled",
            description=_("Generates last month's Excel workbook and tells the managers (1st of the month, 01:00)."),
            crontab={"minute": "0", "hour": "1", "day_of_month": "1"},
            outcome=_report_job_outcome,
        ))
        from . import signals  # noqa: F401  (job-run bookkeeping)

        post_migrate.connect(_install_jobs, sender=self)

        from django.db.backends.signals import connection_created

        from .core.search import install_sqlite

        connection_created.connect(install_sqlite, dispatch_uid="csmgmt.search.sqlite")


def _report_job_outcome(run):
    from .selectors import report_job_outcome

    return report_job_outcome(run)


def _install_jobs(sender, using="default", **kwargs):
    from .jobs import jobs_install

    jobs_install(using=using)
