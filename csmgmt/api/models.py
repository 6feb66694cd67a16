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
