from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AddressForm(models.TextChoices):
    NONE = "", _("—")
    MR = "mr", _("Mr (先生)")
    MS = "ms", _("Ms (女士)")


class Customer(models.Model):
    """客户档案: one person or organisation, reachable on one or more numbers."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    address_form = models.CharField(_("form of address"), max_length=5, choices=AddressForm.choices, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name or str(_("Customer %(id)s") % {"id": self.pk})


class CustomerPhone(models.Model):
    """A normalised number (see ``tickets.phones``) belongs to one customer profile."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="phones")
    number = models.CharField(_("phone"), max_length=30, unique=True)
    label = models.CharField(_("label"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer phone")
        verbose_name_plural = _("customer phones")

    def __str__(self):
        return self.number


class Call(models.Model):
    """来电登记: every contact (call, email, walk-in, chat), REGULATIONS §2."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone (电话)")
        EMAIL = "email", _("Email (电邮)")
        WALK_IN = "walk_in", _("Walk-in (现场)")
        CHAT = "chat", _("Online chat (在线)")
        OTHER = "other", _("Other (其他)")

    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound (呼入)")
        OUTBOUND = "out", _("Outbound (呼出)")

    class Category(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry (咨询)")
        COMPLAINT = "complaint", _("Complaint (投诉)")
        SUGGESTION = "suggestion", _("Suggestion (建议)")
        REPAIR = "repair", _("Repair request (报修)")
        GRUMBLE = "grumble", _("Grumble (抱怨)")
        PRAISE = "praise", _("Praise (表扬)")
        LOST_PROPERTY = "lost_property", _("Lost property (失物)")
        OTHER = "other", _("Other (其他)")

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved on the call (当场解决)")
        REPLY_PROMISED = "reply_promised", _("Reply promised (待回复)")
        TRANSFERRED = "transferred", _("Transferred to a department (转部门)")
        COMPLAINT = "complaint", _("Opened as a complaint (转投诉)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        VOIDED = "voided", _("Voided")

    number = models.CharField(_("number"), max_length=30, unique=True)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    caller_phone = models.CharField(_("caller phone"), max_length=30, blank=True)
    caller_name = models.CharField(_("caller name"), max_length=100, blank=True)
    address_form = models.CharField(_("form of address"), max_length=5, choices=AddressForm.choices, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="calls")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ENQUIRY)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    importance = models.CharField(_("importance"), max_length=10, choices=Level.choices, default=Level.NORMAL)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Level.choices, default=Level.NORMAL)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RESOLVED)
    department = models.ForeignKey("staff.Department", verbose_name=_("transferred to"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="calls")
    reply_due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    agent = models.ForeignKey("staff.Employee", verbose_name=_("taken by"), on_delete=models.PROTECT,
                              related_name="calls_taken")
    owner = models.ForeignKey("staff.Employee", verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="calls_owned")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="call_received_idx"),
            models.Index(fields=["caller_phone", "-received_at"], name="call_phone_idx"),
            models.Index(fields=["agent", "-received_at"], name="call_agent_idx"),
            models.Index(fields=["owner", "status"], name="call_owner_status_idx"),
            models.Index(fields=["department", "-received_at"], name="call_department_idx"),
            models.Index(fields=["reply_due_at"], name="call_reply_due_idx", condition=Q(status="open")),
        ]

    def __str__(self):
        return self.number
