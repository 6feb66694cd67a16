"""Integrations (issue 21): a program that talks to csmgmt through ``/api/`` with its own token.

The token is shown once, when it is made; only its SHA-256 is stored. Each integration acts as its own system
employee (no login), so whatever it writes is in the same trail as a web write."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Ability(models.TextChoices):
    """What a token may do: each endpoint names the one it needs."""

    CUSTOMERS_LOOKUP = "customers.lookup", _("Look a customer up by phone (confidential: every lookup recorded)")
    CALLS_READ = "calls.read", _("Read calls")
    CALLS_WRITE = "calls.write", _("Log calls for an agent")
    COMPLAINTS_READ = "complaints.read", _("Read a complaint's stage and clocks")
    LOSTFOUND_SEARCH = "lostfound.search", _("Search found items")
    TELEPHONY = "telephony", _("Send telephone exchange events")


class Integration(models.Model):
    name = models.CharField(_("name"), max_length=100)
    abilities = models.JSONField(_("abilities"), default=list)
    token_prefix = models.CharField(_("token begins with"), max_length=12)
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    employee = models.OneToOneField("staff.Employee", verbose_name=_("acts as"), on_delete=models.PROTECT,
                                    related_name="integration")
    rate_per_minute = models.PositiveIntegerField(_("requests a minute"), default=60)
    created_by = models.ForeignKey("staff.Employee", verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey("staff.Employee", verbose_name=_("revoked by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                                   name="integration_revoke_needs_reason"),
        ]

    def __str__(self):
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def ability_labels(self) -> list[str]:
        labels = dict(Ability.choices)
        return [str(labels.get(a, a)) for a in self.abilities]


class CustomerLookup(models.Model):
    """Every lookup of a customer by phone through the API (customer data is confidential, REGULATIONS §2)."""

    integration = models.ForeignKey(Integration, verbose_name=_("integration"), on_delete=models.PROTECT,
                                    related_name="lookups", db_index=False)
    phone = models.CharField(_("phone"), max_length=30)
    found = models.BooleanField(_("found"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer lookup")
        verbose_name_plural = _("customer lookups")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["integration", "-at"], name="lookup_integration_idx"),
                   models.Index(fields=["phone", "-at"], name="lookup_phone_idx")]


class ExchangeCall(models.Model):
    """One call as the telephone exchange saw it (issue 21), built from its events in whatever order they come:
    when it rang, was answered (by which extension, so which agent), ended; its legs are where it rang. Derived
    from the times, never a state field: missed = inbound, ended, never answered."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound (呼入)")
        OUTBOUND = "out", _("Outbound (呼出)")

    exchange_id = models.CharField(_("exchange's call id"), max_length=100, unique=True)
    # the exchange's integration; none for a call dialled from csmgmt (click-to-dial) before its first event
    integration = models.ForeignKey(Integration, verbose_name=_("integration"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="exchange_calls", db_index=False)
    dialled_by = models.ForeignKey("staff.Employee", verbose_name=_("dialled by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+", db_index=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True)
    caller = models.CharField(_("caller number"), max_length=30, blank=True)
    called = models.CharField(_("called number or extension"), max_length=30, blank=True)
    ringing_at = models.DateTimeField(_("rang at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_extension = models.CharField(_("answered at extension"), max_length=20, blank=True)
    agent = models.ForeignKey("staff.Employee", verbose_name=_("answered by (agent)"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="exchange_calls", db_index=False)
    ended_at = models.DateTimeField(_("hung up at"), null=True, blank=True)
    cause = models.CharField(_("hang-up cause"), max_length=50, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    recording = models.CharField(_("recording"), max_length=500, blank=True)
    call = models.ForeignKey("tickets.Call", verbose_name=_("logged as"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="exchange_calls")
    callback_owner = models.ForeignKey("staff.Employee", verbose_name=_("call-back taken by"),
                                       on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    callback_taken_at = models.DateTimeField(_("call-back taken at"), null=True, blank=True)
    callback_call = models.ForeignKey("tickets.Call", verbose_name=_("call-back"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="callback_of")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange call")
        verbose_name_plural = _("exchange calls")
        ordering = ["-ringing_at", "-id"]
        indexes = [
            # an agent's "calls to log": answered, hung up, not logged
            models.Index(fields=["agent", "ended_at"], name="xcall_to_log_idx",
                         condition=Q(call__isnull=True, answered_at__isnull=False, ended_at__isnull=False)),
            # the missed-call queue: inbound, never answered, hung up, nobody called back yet
            models.Index(fields=["ended_at"], name="xcall_missed_idx",
                         condition=Q(direction="in", answered_at__isnull=True, ended_at__isnull=False,
                                     callback_call__isnull=True)),
            models.Index(fields=["caller", "-ringing_at"], name="xcall_caller_idx"),
        ]

    def __str__(self):
        return self.exchange_id

    @property
    def missed(self) -> bool:
        return self.direction == self.Direction.INBOUND and self.ended_at is not None and self.answered_at is None


class ExchangeLeg(models.Model):
    """Where a call rang: one extension (and the employee at it)."""

    exchange_call = models.ForeignKey(ExchangeCall, verbose_name=_("exchange call"), on_delete=models.PROTECT,
                                      related_name="legs")
    extension = models.CharField(_("extension"), max_length=20)
    employee = models.ForeignKey("staff.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", db_index=False)
    rang_at = models.DateTimeField(_("rang at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call leg")
        verbose_name_plural = _("call legs")
        ordering = ["rang_at", "id"]
        constraints = [models.UniqueConstraint(fields=["exchange_call", "extension"], name="xleg_one_per_extension")]
        # the pop-up's one query: what rings at my desk now
        indexes = [models.Index(fields=["employee"], name="xleg_ringing_idx", condition=Q(ended_at__isnull=True))]


class ExchangeEvent(models.Model):
    """Each event the exchange sent, once: a repeat of (call id, event, extension) changes nothing."""

    class Kind(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        HANGUP = "hangup", _("Hung up")
        RECORDING = "recording", _("Recording")

    exchange_call = models.ForeignKey(ExchangeCall, verbose_name=_("exchange call"), on_delete=models.PROTECT,
                                      related_name="events", db_index=False)
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    at = models.DateTimeField(_("at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("exchange event")
        verbose_name_plural = _("exchange events")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["exchange_call", "kind", "extension"],
                                               name="xevent_once")]
