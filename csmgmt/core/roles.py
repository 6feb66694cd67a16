"""The six roles of REGULATIONS §1. Each is a Django group named by its code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    HANDLER = "handler", _("Department handler")
    CUSTODIAN = "custodian", _("Custodian")
    ADMIN = "admin", _("Administrator")


# A supervisor may do everything an agent may; a manager everything a supervisor may.
IMPLIED = {
    Role.SUPERVISOR: {Role.AGENT},
    Role.MANAGER: {Role.SUPERVISOR, Role.AGENT},
}

# Customer-service roles: the department's own staff.
CS_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER})
