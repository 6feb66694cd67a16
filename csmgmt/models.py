import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .core.models import Counter, ImportJob, Notification  # noqa: F401  (the ground's tables, app "csmgmt")


class Heartbeat(models.Model):
    """One row per named beat; the worker's periodic task stamps it."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_seen = models.DateTimeField(_("last seen"))
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class MonthlyReport(models.Model):
    """One generation of the monthly workbook (REGULATIONS §8). The newest ``done`` row of a
    (month, language) is the current file; older ones are marked ``superseded`` when a newer one
    finishes, so the old file stays downloadable until the new one is ready.

    ``updated_at`` is the heartbeat: every progress update touches it. A waiting or running row with no
    progress for ``settings.REPORT_STALE_MINUTES`` is taken as lost (a worker crashed): the next request
    for its month and language marks it failed (error ``INTERRUPTED``) and starts afresh."""

    INTERRUPTED = "interrupted"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", pgettext_lazy("report file", "Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Replaced by a newer file")

    month = models.DateField(_("month"))  # the first day of the month
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    stage = models.CharField(_("working on"), max_length=100, blank=True)
    requested_by = models.ForeignKey("staff.Employee", verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)

    class Meta:
        ordering = ["-month", "language", "-created_at"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            # At most one generation in progress per month and language.
            models.UniqueConstraint(fields=["month", "language"], name="one_report_in_progress",
                                    condition=models.Q(status__in=["pending", "running"])),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
        ]
        indexes = [models.Index(fields=["month", "language", "status"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.language} {self.status}"

    @classmethod
    def stale_before(cls) -> dt.datetime:
        """A waiting or running row whose last progress is older than this is taken as lost."""
        return timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def is_stale(self) -> bool:
        return self.in_progress and self.updated_at is not None and self.updated_at < self.stale_before()

    @property
    def was_interrupted(self) -> bool:
        return self.status == self.Status.FAILED and self.error == self.INTERRUPTED


class JobRun(models.Model):
    """The last run of each scheduled job (what, when, result), for the managers' jobs page."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_status = models.CharField(_("last result"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)
    failures = models.PositiveBigIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return self.task
