"""Lost and found (REGULATIONS §6): found items, lost reports, claims, custody, finance handovers.

Nothing here is ever deleted. Found items move registered → stored → (claimed | handed to finance |
disposed), lost reports open → (claimed | withdrawn), handover batches prepared → confirmed, by the tables of
``lostfound.workflow`` run by the workflow engine: each move leaves a row on the record's trail
(:class:`FoundItemEvent`, :class:`LostReportEvent`, :class:`HandoverBatchEvent`)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from csmgmt.core.search import search_text_field

from csmgmt.core.models import WorkflowEvent


class Category(models.TextChoices):
    CASH = "cash", _("Cash")
    PHONE = "phone", pgettext_lazy("item category", "Phone")
    CAMERA = "camera", _("Camera")
    BAG = "bag", _("Bag")
    CARDS = "cards", _("ID / cards")
    KEYS = "keys", _("Keys")
    CLOTHING = "clothing", _("Clothing")
    OTHER = "other", _("Other")


# Categories that count as valuables by default (现金、相机、手机等).
VALUABLE_CATEGORIES = frozenset({Category.CASH, Category.PHONE, Category.CAMERA})


class LostfoundSettings(models.Model):
    """One row (pk=1): the rules a manager or the custodian may change."""

    custody_time = models.TimeField(
        _("end of day for custody"), default=dt.time(21, 0),
        help_text=_("After this time the day's unclaimed valuables are listed for the custodian."),
    )
    default_retention_days = models.PositiveIntegerField(
        _("default retention (days)"), default=30,
        help_text=_("Days before an unclaimed item is handed to finance, unless its category says otherwise."),
    )
    match_window_days = models.PositiveIntegerField(
        _("matching window (days)"), default=14,
        help_text=_("Lost reports and found items this many days apart are still compared."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lost and found settings")
        verbose_name_plural = _("lost and found settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="lostfound_settings_single_row")]

    def __str__(self):
        return str(_("Lost and found settings"))


class CategoryRetention(models.Model):
    """Retention before an item of ``category`` counts as unclaimed (overrides the default). A category set
    back to the default keeps its row with no days (its history stays; rows are never deleted)."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    retention_days = models.PositiveIntegerField(_("retention (days)"), null=True, blank=True,
                                                 help_text=_("Empty: the default retention."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]
        verbose_name = _("retention per category")
        verbose_name_plural = _("retention per category")

    def __str__(self):
        return f"{self.get_category_display()}: {self.retention_days or '-'}"


class HandoverBatch(models.Model):
    """The monthly handover of unclaimed items to the finance department (财务部)."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        CONFIRMED = "confirmed", _("Handed over")

    number = models.CharField(_("number"), max_length=30, unique=True)
    period = models.CharField(_("month"), max_length=6, unique=True)  # YYYYMM: one batch a month
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("handed over by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    finance_receiver = models.CharField(_("received by (finance)"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period"]
        verbose_name = _("finance handover")
        verbose_name_plural = _("finance handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="prepared") | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="handover_confirmed_has_who_when",
            )
        ]

    def __str__(self):
        return self.number


class FoundItem(models.Model):
    """A found item (the upper part of the 拾物登记、认领表)."""

    class Source(models.TextChoices):
        VISITOR = "visitor", _("Found by a visitor")
        EMPLOYEE = "employee", _("Found by an employee")
        ON_SITE = "on_site", _("Returned on the spot")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        STORED = "stored", _("Stored")
        CLAIMED = "claimed", _("Claimed")
        HANDED_TO_FINANCE = "finance", _("Handed to finance")
        DISPOSED = "disposed", _("Disposed")

    OPEN_STATUSES = (Status.REGISTERED, Status.STORED)

    number = models.CharField(_("number"), max_length=30, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.VISITOR)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    features = models.TextField(_("distinguishing features"), blank=True)
    found_place = models.CharField(_("where found"), max_length=200)
    found_at = models.DateTimeField(_("when found"))
    finder_name = models.CharField(_("finder"), max_length=100, blank=True)
    finder_phone = models.CharField(_("finder's phone"), max_length=30, blank=True)
    finder_employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("finder (employee)"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="found_items",
    )
    received_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="received_items"
    )
    valuable = models.BooleanField(_("valuable"), default=False)
    # On-site registration by the team lead (领班) with the finder and a witness.
    team_lead = models.CharField(_("team lead"), max_length=100, blank=True)
    witness = models.CharField(_("witness"), max_length=100, blank=True)
    late_record = models.BooleanField(
        _("late record"), default=False,
        help_text=_("Registered after the end of the day the item was found."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    storage_place = models.CharField(_("storage place"), max_length=200, blank=True)
    custody_handover_person = models.CharField(_("handed over by (交接人)"), max_length=100, blank=True)
    custody_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("custodian"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    custody_at = models.DateTimeField(_("in custody since"), null=True, blank=True)
    handover_batch = models.ForeignKey(
        HandoverBatch, verbose_name=_("finance handover"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="items",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field("description", "features", "found_place", "finder_name")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("found item")
        verbose_name_plural = _("found items")
        indexes = [
            models.Index(fields=["-found_at", "-id"], name="lf_item_found_idx"),
            models.Index(fields=["status", "category", "found_at"], name="lf_item_status_idx"),
            models.Index(fields=["finder_phone"], name="lf_item_phone_idx"),
            models.Index(fields=["finder_phone"], name="lf_item_phone_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["registered_at"], name="lf_item_registered_idx"),
            models.Index(
                fields=["found_at"], name="lf_item_awaiting_custody_idx",
                condition=Q(valuable=True, status="registered"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="lf_item_description_not_empty"),
            models.CheckConstraint(
                condition=~Q(source="on_site") | (~Q(team_lead="") & ~Q(witness="")),
                name="lf_item_on_site_has_lead_and_witness",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class FoundItemPhoto(models.Model):
    item = models.ForeignKey(FoundItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="photos")
    original = models.CharField(_("file"), max_length=300)
    display = models.CharField(_("display copy"), max_length=300)
    thumbnail = models.CharField(_("thumbnail"), max_length=300)
    uploaded_by = models.ForeignKey("staff.Employee", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class FoundItemEvent(models.Model):
    """The trail of an item's workflow: who moved it, when, from, to, and why."""

    item = models.ForeignKey(FoundItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        "staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    class Action(models.TextChoices):
        REGISTER = "register", _("Registered")
        OWNER_CONTACTED = "owner_contacted", _("Owner contacted")
        STORE = "store", _("Taken into custody")
        CLAIM = "claim", _("Released to the owner")
        FINANCE = "finance", _("Handed to finance")
        DISPOSE = "dispose", _("Disposed")
        NOTE = "note", _("Note")

    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True, choices=FoundItem.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, blank=True, choices=FoundItem.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        indexes = [models.Index(fields=["item", "at"], name="lf_event_item_idx")]


class HandoverBatchEvent(WorkflowEvent):
    """The trail of a finance handover: prepared (by the monthly task or the custodian), handed over."""

    class Action(models.TextChoices):
        PREPARE = "prepare", _("Prepared")
        CONFIRM = "confirm", _("Handed over")

    batch = models.ForeignKey(HandoverBatch, verbose_name=_("finance handover"), on_delete=models.PROTECT,
                              related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, blank=True, choices=HandoverBatch.Status.choices)
    to_state = models.CharField(_("to"), max_length=20, blank=True, choices=HandoverBatch.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("finance handover event")
        verbose_name_plural = _("finance handover events")
        indexes = [models.Index(fields=["batch", "at"], name="lf_handover_event_idx")]

    def __str__(self):
        return f"{self.batch_id} {self.action}"


class LostReport(models.Model):
    """挂失: the 《游客失物登记表》."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Item claimed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.CharField(_("number"), max_length=30, unique=True)
    owner_name = models.CharField(pgettext_lazy("lost property", "owner"), max_length=100)
    owner_phone = models.CharField(_("owner's phone"), max_length=30)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    features = models.TextField(_("distinguishing features"), blank=True)
    lost_place = models.CharField(_("where lost"), max_length=200, blank=True)
    lost_at = models.DateTimeField(_("when lost"))
    received_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="lost_reports"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    matched_item = models.ForeignKey(
        FoundItem, verbose_name=_("matching item"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="lost_reports",
    )
    contacted_at = models.DateTimeField(_("owner contacted at"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("contacted by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field("description", "features", "lost_place", "owner_name")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-lost_at", "-id"]
        verbose_name = _("lost report")
        verbose_name_plural = _("lost reports")
        indexes = [
            models.Index(fields=["-lost_at", "-id"], name="lf_report_lost_idx"),
            models.Index(fields=["status", "category", "lost_at"], name="lf_report_status_idx"),
            models.Index(fields=["owner_phone"], name="lf_report_phone_idx"),
            models.Index(fields=["owner_phone"], name="lf_report_phone_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["registered_at"], name="lf_report_registered_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="lf_report_description_not_empty"),
        ]

    def __str__(self):
        return f"{self.number} {self.description}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class LostReportEvent(WorkflowEvent):
    """The trail of a lost report: registered, owner contacted, withdrawn, or closed when its item is claimed."""

    class Action(models.TextChoices):
        REGISTER = "register", _("Registered")
        OWNER_CONTACTED = "owner_contacted", _("Owner contacted")
        WITHDRAW = "withdraw", _("Withdrawn")
        CLAIM = "claim", _("Item claimed")

    report = models.ForeignKey(LostReport, verbose_name=_("lost report"), on_delete=models.PROTECT,
                               related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, blank=True, choices=LostReport.Status.choices)
    to_state = models.CharField(_("to"), max_length=20, blank=True, choices=LostReport.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("lost report event")
        verbose_name_plural = _("lost report events")
        indexes = [models.Index(fields=["report", "at"], name="lf_report_event_idx")]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class Claim(models.Model):
    """认领: the lower part of the forms. One claim per item (the database says so too)."""

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO = "hk_macao", _("Hong Kong / Macao permit")
        TAIWAN = "taiwan", _("Taiwan compatriot permit")
        DRIVER = "driver", _("Driving licence")
        OTHER = "other", _("Other")

    item = models.OneToOneField(FoundItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="claim")
    lost_report = models.ForeignKey(
        LostReport, verbose_name=_("lost report"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="claims",
    )
    claimant_name = models.CharField(_("claimant"), max_length=100)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("ID number"), max_length=40)
    phone = models.CharField(_("contact phone"), max_length=30)
    description_given = models.TextField(_("description given by the claimant"))
    verified_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("verified by"), on_delete=models.PROTECT, related_name="+"
    )
    witness = models.CharField(_("witness on site"), max_length=100, blank=True)
    signature = models.CharField(_("signature"), max_length=300, blank=True)
    signed_on_paper = models.BooleanField(_("signed on paper"), default=False)
    released_by = models.ForeignKey(
        "staff.Employee", verbose_name=_("released by"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"))
    history = HistoricalRecords(excluded_fields=["id_number"])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=~Q(signature="") | Q(signed_on_paper=True), name="lf_claim_signed"),
        ]

    def __str__(self):
        return f"{self.item_id} {self.claimant_name}"

    @property
    def id_number_masked(self) -> str:
        return mask_id(self.id_number)


def mask_id(number: str) -> str:
    """``110101199001011234`` → ``1101**********1234``: the first and last four characters."""
    number = (number or "").strip()
    if len(number) <= 8:
        return number[:1] + "*" * max(len(number) - 2, 0) + number[-1:] if len(number) > 2 else "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
