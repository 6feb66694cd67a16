"""The ground's tables. They belong to the ``csmgmt`` Django app (``csmgmt/models.py`` imports them), and
point at employees by the string ``"staff.Employee"`` only: the ground imports no app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """Per-period counters behind record numbers (see ``csmgmt.core.numbering``)."""

    key = models.CharField(_("key"), max_length=50, unique=True)
    value = models.PositiveIntegerField(_("value"), default=0)

    class Meta:
        app_label = "csmgmt"
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.key}={self.value}"


class ImportJob(models.Model):
    """A big upload imported in the background (REGULATIONS imports are all-or-nothing): the file is
    kept in ``default_storage``, a worker runs the area's importer, the page polls the row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Nothing imported: bad rows")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30)
    original_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=200)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey("staff.Employee", verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.CharField(_("result"), max_length=300, blank=True)
    errors = models.JSONField(_("bad rows"), default=list, blank=True)  # [[row, message], ...]
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)

    class Meta:
        app_label = "csmgmt"
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind} {self.original_name} {self.status}"


class Notification(models.Model):
    """An in-app notice (see ``csmgmt.core.notices``): a message key (the English msgid, with its context)
    and its parameters, rendered in the reader's language whenever it is shown or emailed; ``text`` keeps
    the words as first sent (the recipient's language then), for the admin and for notices older than the
    keys. ``key`` makes a reminder once-only: the unique constraint, not a check-then-insert, guarantees a
    notice with the same key reaches a recipient once."""

    recipient = models.ForeignKey(
        "staff.Employee", verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="notifications"
    )
    text = models.CharField(_("text"), max_length=500)
    msgid = models.TextField(_("message key"), blank=True)
    msgctxt = models.CharField(_("message context"), max_length=100, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("key"), max_length=200, null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("emailed"), default=False)

    class Meta:
        app_label = "csmgmt"
        db_table = "staff_notification"
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created"], name="notif_unread_idx", condition=Q(read_at__isnull=True)
            ),
            models.Index(fields=["recipient", "-created"], name="notif_recipient_idx"),
        ]

    def __str__(self):
        return self.text

    def render(self, language: str | None = None) -> str:
        """The notice in ``language`` (default: the active language, i.e. the reader's)."""
        from .notices import notice_render

        return notice_render(self, language=language)


class WorkflowEvent(models.Model):
    """The columns every workflow's event row has (who, when, from, to, action, comment, data). A workflow's
    own event table inherits them and adds the foreign key to its record; the engine
    (``csmgmt.core.workflow``) writes one row per move. Never edited, never deleted."""

    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class FormSubmission(models.Model):
    """The one-time token of a form that creates a record (``csmgmt.core.onetime``): the first POST of a rendered
    form claims its token and remembers what it made; a second POST of the same form (a retry, a double click, the
    back button) is sent to that record instead of making another."""

    token = models.UUIDField(_("token"), unique=True)
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    url = models.CharField(_("made"), max_length=300, blank=True)
    label = models.CharField(_("record"), max_length=100, blank=True)

    class Meta:
        app_label = "csmgmt"
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return f"{self.token} → {self.label}"
