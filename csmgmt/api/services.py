"""Writes for integrations: create (the token shown once), revoke, and what each API request records."""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.permissions import can
from staff.models import Employee

from .models import Ability, CustomerLookup, Integration

TOKEN_PREFIX = "csm_"


class IntegrationError(Exception):
    """A refusal with a message for the user."""


class Refused(Exception):
    """An API request refused: ``status`` and a reason the caller can act on."""

    def __init__(self, status: int, code: str, message):
        super().__init__(str(message))
        self.status, self.code, self.message = status, code, str(message)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class NewIntegration:
    integration: Integration
    token: str  # shown once, never stored


def integration_create(*, by: Employee, name: str, abilities: list[str], rate_per_minute: int = 60) -> NewIntegration:
    """A new integration with its own system employee (no login) and a random token; only its hash is kept."""
    if not can(by.user, "api.manage_integrations"):
        raise IntegrationError(_("Only a manager or an administrator manages integrations."))
    name = (name or "").strip()
    if not name:
        raise IntegrationError(_("Give the integration a name."))
    unknown = [a for a in abilities if a not in Ability.values]
    if unknown or not abilities:
        raise IntegrationError(_("Choose what the integration may do."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        suffix = secrets.token_hex(4)
        user = get_user_model()(username=f"integration-{suffix}", is_active=False)
        user.set_unusable_password()
        user.save()
        employee = Employee(user=user, employee_no=f"API-{suffix}", name=_("Integration: %(name)s") % {"name": name},
                            department=by.department, active=False)
        employee._history_user = by.user
        employee.save()
        integration = Integration(name=name, abilities=[a for a in Ability.values if a in abilities],
                                  token_prefix=token[:12], token_hash=token_hash(token), employee=employee,
                                  rate_per_minute=rate_per_minute, created_by=by)
        integration._history_user = by.user
        integration.save()
    return NewIntegration(integration=integration, token=token)


def integration_revoke(*, integration: Integration, by: Employee, reason: str) -> Integration:
    if not can(by.user, "api.manage_integrations"):
        raise IntegrationError(_("Only a manager or an administrator manages integrations."))
    reason = (reason or "").strip()
    if not reason:
        raise IntegrationError(_("Say why the integration is revoked."))
    with transaction.atomic():
        locked = Integration.objects.select_for_update().get(pk=integration.pk)
        if locked.revoked_at is not None:
            raise IntegrationError(_("Integration %(name)s is already revoked.") % {"name": locked.name})
        locked.revoked_at, locked.revoked_by, locked.revoke_reason = timezone.now(), by, reason
        locked._history_user = by.user
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return locked


# --- each request ---------------------------------------------------------------------------------------------

MISSING = gettext_lazy("Send the integration's token: \"Authorization: Bearer <token>\".")
UNKNOWN = gettext_lazy("This token is not known: check it, or ask a manager for a new one.")
REVOKED = gettext_lazy("This token was revoked on %(at)s: %(reason)s")
TOO_MANY = gettext_lazy("Too many requests: at most %(rate)s a minute for this token. Try again in %(seconds)s s.")
NOT_ALLOWED = gettext_lazy("This token may not do this: it needs the ability “%(ability)s”.")


def integration_authenticate(token: str | None) -> Integration:
    """The integration a bearer token belongs to, its use recorded; refused with the reason otherwise."""
    if not token:
        raise Refused(401, "token_missing", MISSING)
    integration = (Integration.objects.select_related("employee", "employee__user")
                   .filter(token_hash=token_hash(token.strip())).first())
    if integration is None:
        raise Refused(401, "token_unknown", UNKNOWN)
    if integration.revoked_at is not None:
        raise Refused(401, "token_revoked", REVOKED % {
            "at": timezone.localtime(integration.revoked_at).strftime("%Y-%m-%d %H:%M"),
            "reason": integration.revoke_reason})
    _throttle(integration)
    now = timezone.now()
    Integration.objects.filter(pk=integration.pk).update(last_used_at=now)
    integration.last_used_at = now
    return integration


def _throttle(integration: Integration) -> None:
    """A fixed one-minute window per token in the cache (Redis in production): one INCR a request."""
    now = timezone.now()
    key = f"api:rate:{integration.pk}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > integration.rate_per_minute:
        raise Refused(429, "rate_limited", TOO_MANY % {"rate": integration.rate_per_minute,
                                                       "seconds": 60 - now.second})


def ability_check(integration: Integration, ability: str) -> None:
    if ability not in integration.abilities:
        raise Refused(403, "ability_missing", NOT_ALLOWED % {"ability": ability})


def customer_lookup_record(*, integration: Integration, phone: str, found: bool) -> CustomerLookup:
    return CustomerLookup.objects.create(integration=integration, phone=phone[:30], found=found)
