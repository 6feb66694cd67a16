"""Reads of the integration API: a customer by phone (the profile, their recent calls and complaints)."""

from dataclasses import dataclass, field

from complaints.models import Complaint
from tickets.models import Call, CustomerPhone

from .models import CustomerLookup, Integration

RECENT = 10


@dataclass
class Found:
    customer: object = None
    phones: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    complaints: list = field(default_factory=list)

    def customer_out(self):
        if self.customer is None:
            return None
        return {"id": self.customer.pk, "name": self.customer.name, "organisation": self.customer.organisation,
                "phones": self.phones}


def customer_by_phone(number: str) -> Found:
    """The profile of a normalised number, and the recent calls and complaints from it (four queries)."""
    entry = CustomerPhone.objects.select_related("customer").filter(number=number).first()
    found = Found()
    if entry is not None:
        customer = entry.customer
        while customer.merged_into_id is not None:  # a merged profile answers with the one it went into
            customer = customer.merged_into
        found.customer = customer
        found.phones = list(CustomerPhone.objects.filter(customer=customer).order_by("id")
                            .values_list("number", flat=True))
    found.calls = list(Call.objects.filter(caller_phone=number).exclude(status=Call.Status.VOIDED)
                       .order_by("-received_at", "-id")
                       .values("number", "received_at", "category", "summary", "status")[:RECENT])
    found.complaints = list(Complaint.objects.filter(complainant_phone=number).order_by("-received_at", "-id")
                            .values("number", "received_at", "stage")[:RECENT])
    return found


def integrations_list():
    return Integration.objects.select_related("employee", "created_by", "revoked_by").order_by("-created_at", "-id")


def lookups_recent(integration: Integration, limit: int = 50):
    return list(CustomerLookup.objects.filter(integration=integration).order_by("-at", "-id")[:limit])
