from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from csmgmt.core.models import WorkflowEvent
from csmgmt.core.search import search_text_field


class AddressForm(models.TextChoices):
    NONE = "", _("—")
    MR = "mr", _("Mr (先生)")
    MS = "ms", _("Ms (女士)")


class Customer(models.Model):
    """客户档案: one person or organisation, reachable on one or more numbers."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    address_form = models.CharField(_("form of address"), max_length=5, choices=AddressForm.choices, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True,
                               help_text=_("Building and door, e.g. 3号楼 2单元 501"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field("name", "organisation", "address")  # csmgmt.core.search
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["name"]),
                   # the list (and a frequent word's search) newest first: walk this, stop at a page
                   models.Index(fields=["-updated_at", "-id"], name="customer_updated_idx"),
                   # a single character searches surnames: "starts with" needs the pattern operator class
                   models.Index(fields=["name"], name="customer_name_prefix_idx", opclasses=["varchar_pattern_ops"])]

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
        indexes = [models.Index(fields=["number"], name="customerphone_prefix_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.number

    def display(self) -> str:
        from .phones import format_phone

        return format_phone(self.number)


class Satisfaction(models.IntegerChoices):
    """The customer's opinion at a revisit (the same five steps as a complaint's revisit)."""

    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    NEUTRAL = 3, _("Neutral (一般)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


CLOCK_UNITS = [("calendar", _("Calendar time")), ("working_hours", _("Working time"))]  # csmgmt.core.calendar.Unit


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
    received_at = models.DateTimeField(pgettext_lazy("call", "received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    caller_phone = models.CharField(_("caller phone"), max_length=30, blank=True)
    caller_name = models.CharField(_("caller name"), max_length=100, blank=True)
    address_form = models.CharField(_("form of address"), max_length=5, choices=AddressForm.choices, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The composite indexes in Meta lead with these keys, so the foreign keys need no index of their own.
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="calls", db_index=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ENQUIRY)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    importance = models.CharField(_("importance"), max_length=10, choices=Level.choices, default=Level.NORMAL)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Level.choices, default=Level.NORMAL)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RESOLVED)
    department = models.ForeignKey("staff.Department", verbose_name=_("transferred to"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="calls", db_index=False)
    reply_due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    agent = models.ForeignKey("staff.Employee", verbose_name=_("taken by"), on_delete=models.PROTECT,
                              related_name="calls_taken", db_index=False)
    owner = models.ForeignKey("staff.Employee", verbose_name=pgettext_lazy("call", "owner"), on_delete=models.PROTECT,
                              related_name="calls_owned", db_index=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    department_replied_at = models.DateTimeField(_("department replied at"), null=True, blank=True)
    reply_reminded_at = models.DateTimeField(_("reply reminder sent at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    # 有效电话 (REGULATIONS §2): marked by the agent on every inbound call; a supervisor confirms or corrects it
    valid = models.BooleanField(_("valid call (有效电话)"), null=True, blank=True)
    valid_checked_at = models.DateTimeField(_("valid marking checked at"), null=True, blank=True)
    # 报修 followed to the end (001 L713–715): on site, finished; the customer's opinion is the call's revisit
    # (``CallRevisit``, which closes the repair request)
    repair_on_site_at = models.DateTimeField(_("on site at"), null=True, blank=True)
    repair_finished_at = models.DateTimeField(_("repair finished at"), null=True, blank=True)
    repair_callback_reminded_at = models.DateTimeField(_("call-back reminder sent at"), null=True, blank=True)
    # the rule each clock started on (REGULATIONS §9), kept when the settings change: unit, length in minutes and
    # whose calendar; an empty unit on the reply clock: a due time the agent gave
    reply_due_unit = models.CharField(_("reply clock counts"), max_length=20, blank=True, choices=CLOCK_UNITS)
    reply_due_minutes = models.PositiveIntegerField(_("reply clock length, minutes"), null=True, blank=True)
    reply_due_calendar = models.ForeignKey("staff.Department", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("reply clock calendar"))
    repair_callback_due_at = models.DateTimeField(_("call-back due"), null=True, blank=True)
    repair_callback_unit = models.CharField(_("call-back clock counts"), max_length=20, blank=True,
                                            choices=CLOCK_UNITS)
    repair_callback_length = models.PositiveIntegerField(_("call-back clock length, minutes"), null=True, blank=True)
    repair_callback_calendar = models.ForeignKey("staff.Department", on_delete=models.PROTECT, null=True,
                                                 blank=True, related_name="+",
                                                 verbose_name=_("call-back clock calendar"))
    # "called again" (issue 17): the caller's open call or complaint this call is about, linked both ways
    again_kind = models.CharField(_("called again about (kind)"), max_length=20, blank=True,
                                  choices=[("call", _("Call")), ("complaint", _("Complaint"))])
    again_pk = models.PositiveIntegerField(_("called again about (id)"), null=True, blank=True)
    again_number = models.CharField(_("called again about"), max_length=30, blank=True)
    # the telephone exchange's id of this call (issue 21): the pop-up's intake and click-to-dial carry it, so the
    # exchange's record of the call (its legs, duration, recording) is tied to this one call, never a second
    exchange_call_id = models.CharField(_("exchange's call id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field("caller_name", "organisation", "summary", "details")  # csmgmt.core.search
    history = HistoricalRecords(excluded_fields=["search_text"])

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
            models.Index(fields=["category", "-received_at"], name="call_category_idx"),
            models.Index(fields=["channel", "-received_at"], name="call_channel_idx"),
            models.Index(fields=["outcome", "-received_at"], name="call_outcome_idx"),
            models.Index(fields=["status", "-received_at"], name="call_status_idx"),
            models.Index(fields=["customer", "-received_at"], name="call_customer_idx"),
            models.Index(fields=["caller_name"], name="call_caller_name_idx"),
            # "starts with" on a number: PostgreSQL needs the pattern operator class (ignored elsewhere)
            models.Index(fields=["caller_phone"], name="call_phone_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # the repair call-back reminder's scan: open repair requests nobody has reached yet
            models.Index(fields=["repair_callback_due_at"], name="call_repair_waiting_idx",
                         condition=Q(status="open", category="repair", repair_on_site_at__isnull=True,
                                     repair_callback_reminded_at__isnull=True)),
            models.Index(fields=["caller_name"], name="call_caller_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # the calls that came again about one call or complaint (shown on its page)
            models.Index(fields=["again_kind", "again_pk"], name="call_again_idx", condition=~Q(again_kind="")),
            # the month's inbound calls per agent without reading the table (the targets' first-contact figure)
            models.Index(fields=["received_at"], include=["agent", "direction", "status", "outcome"],
                         name="call_month_figures_idx"),
            # the promised replies due in a month, open or not (the targets' reply-on-time figure, issue 20)
            models.Index(fields=["reply_due_at"], name="call_reply_due_any_idx", condition=Q(reply_due_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="voided") | ~Q(void_reason=""), name="call_void_needs_reason"),
            models.CheckConstraint(condition=~Q(outcome="transferred") | Q(department__isnull=False),
                                   name="call_transfer_needs_department"),
            models.CheckConstraint(condition=~Q(outcome="reply_promised") | Q(reply_due_at__isnull=False),
                                   name="call_promise_needs_due_time"),
            models.CheckConstraint(condition=Q(repair_finished_at__isnull=True) | Q(repair_on_site_at__isnull=False),
                                   name="call_repair_finished_after_on_site"),
            models.UniqueConstraint(fields=["exchange_call_id"], condition=~Q(exchange_call_id=""),
                                    name="call_exchange_call_once"),
        ]

    def __str__(self):
        return self.number

    def phone_display(self) -> str:
        from .phones import format_phone

        return format_phone(self.caller_phone)


class CallEvent(models.Model):
    """One step in a call's life, its trail (``tickets/workflow.py``): logged, a follow-up note, a department's
    reply, a hand-over to a colleague, closing (from the call page, or by editing the outcome to "resolved"),
    voiding, reopening (by editing the outcome of a closed call), opened as a complaint. Moves write the
    status before and after; notes, which move nothing, the status they were written in. Never edited, never
    deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Logged")
        NOTE = "note", _("Follow-up note")
        DEPARTMENT_REPLY = "department_reply", _("Department reply")
        HANDOVER = "handover", _("Handed over")
        CLOSED = "closed", _("Closed")
        VOIDED = "voided", _("Voided")
        REOPENED = "reopened", _("Reopened")
        COMPLAINT = "complaint", _("Opened as a complaint")
        VALID_CHECK = "valid_check", _("Valid marking checked")
        MARKING_VIOLATION = "marking_violation", _("Violation recorded: wrong valid/invalid marking")
        ON_SITE = "on_site", _("Reached the site")
        FINISHED = "finished", _("Repair finished")
        REVISIT = "revisit", _("Revisit")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # nobody: the product itself (an imported register that names no importer)
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    from_status = models.CharField(_("status before"), max_length=10, choices=Call.Status.choices, blank=True)
    to_status = models.CharField(_("status after"), max_length=10, choices=Call.Status.choices, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    from_owner = models.ForeignKey("staff.Employee", verbose_name=_("from"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    to_owner = models.ForeignKey("staff.Employee", verbose_name=_("to"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    # closed or reopened by an edit of the outcome: the outcome before and after
    from_outcome = models.CharField(_("outcome before"), max_length=20, choices=Call.Outcome.choices, blank=True)
    to_outcome = models.CharField(_("outcome after"), max_length=20, choices=Call.Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["call", "at"], name="callevent_call_idx")]

    def __str__(self):
        return f"{self.call_id} {self.kind}"


class Script(models.Model):
    """标准话术 (REGULATIONS §2): one standard phrase per situation, edited by managers."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answering")
        OUTBOUND = "outbound", _("Outbound call")
        HOLD = "hold", _("Asking to hold")
        AFTER_HOLD = "after_hold", _("After holding")
        CANNOT_HEAR = "cannot_hear", _("Cannot hear the caller")
        APOLOGY = "apology", _("Complaint apology")
        BEFORE_CLOSING = "before_closing", _("Before closing")
        CLOSING = "closing", _("Closing")
        CLOSING_SURVEY = "closing_survey", _("Closing with a satisfaction survey")
        FORBIDDEN = "forbidden", _("Phrases not to use")

    kind = models.CharField(_("situation"), max_length=20, choices=Kind.choices, unique=True)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=50)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard script")
        verbose_name_plural = _("standard scripts")
        ordering = ["order", "id"]

    def __str__(self):
        return self.get_kind_display()


class Holiday(models.Model):
    """A holiday with its own answering script (e.g. 春节): shown instead of the usual answer on its dates."""

    name = models.CharField(_("name"), max_length=50)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    greeting = models.TextField(_("holiday answering script"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["start_date", "end_date"], name="holiday_dates_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="holiday_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.name} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"


class IntakeSettings(models.Model):
    """The few numbers of call intake a manager may change (one row)."""

    phone_reply_hours = models.PositiveIntegerField(_("reply promised within (phone, walk-in, chat), hours"),
                                                    default=2)
    email_reply_hours = models.PositiveIntegerField(_("reply promised within (email), hours"), default=24)
    remind_before_minutes = models.PositiveIntegerField(_("remind the owner before a reply is due, minutes"),
                                                        default=30)
    repair_callback_minutes = models.PositiveIntegerField(
        _("repair request transferred: call the customer back after, minutes"), default=20,
        help_text=_("报修: if nobody is on site by then, the agent phones the customer back (001 篇十一)."))
    # REGULATIONS §9: each clock counts calendar time (the default) or the working time of whoever must act
    phone_reply_unit = models.CharField(_("reply promised (phone, walk-in, chat) counts"), max_length=20,
                                        choices=CLOCK_UNITS, default="calendar",
                                        help_text=_("Working time: the customer-service department's hours."))
    email_reply_unit = models.CharField(_("reply promised (email) counts"), max_length=20, choices=CLOCK_UNITS,
                                        default="calendar",
                                        help_text=_("Working time: the customer-service department's hours."))
    repair_callback_unit = models.CharField(
        _("repair call-back counts"), max_length=20, choices=CLOCK_UNITS, default="calendar",
        help_text=_("Working time: the customer-service department's hours."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call intake settings")
        verbose_name_plural = _("call intake settings")

    def __str__(self):
        return str(_("Call intake settings"))

    @classmethod
    def current(cls) -> "IntakeSettings":
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls()


# --- revisits beyond complaints (REGULATIONS §10, issue 20) ---------------------------------------------------

REVISIT_UNITS = [("working_days", _("Working days")), ("calendar", _("Calendar days"))]  # csmgmt.core.calendar.Unit


class RevisitSettings(models.Model):
    """Which calls need a revisit by default and when it is due (one row, edited by a manager, trailed)."""

    categories = models.JSONField(_("call categories revisited by default"), default=list, blank=True,
                                  help_text=_("The agent may still tick or untick “needs a revisit” on a call."))
    due_days = models.PositiveSmallIntegerField(_("revisit due after, days"), default=2)
    due_unit = models.CharField(_("revisit clock counts"), max_length=20, choices=REVISIT_UNITS,
                                default="working_days",
                                help_text=_("Working days: the customer-service department's working calendar."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisit settings")
        verbose_name_plural = _("revisit settings")

    def __str__(self):
        return str(_("Revisit settings"))

    @classmethod
    def current(cls) -> "RevisitSettings":
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls(categories=[Call.Category.REPAIR])


class CallRevisit(models.Model):
    """回访 of a call (REGULATIONS §10): the customer is asked for their opinion within 2 working days after the
    call (after the repair's finish for a repair request). It moves on the workflow engine (``tickets/workflow.py``
    ``REVISIT``): pending → done, or unsatisfied (1–2) → a complaint opened, or settled by the supervisor; a
    pending revisit no longer needed is cancelled. The due time keeps the rule it started on (days, unit,
    whose calendar), so a calendar edit recomputes it (``tickets.revisits``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("To revisit")
        DONE = "done", pgettext_lazy("revisit", "Done")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")
        COMPLAINT = "complaint", _("Complaint opened")
        SETTLED = "settled", _("Settled by the supervisor")
        CANCELLED = "cancelled", _("Not needed")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="revisits")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField(_("revisit due"))
    due_from = models.DateTimeField(_("counted from"))
    due_days = models.PositiveSmallIntegerField(_("days"))
    due_unit = models.CharField(_("counts"), max_length=20, choices=REVISIT_UNITS)
    due_calendar = models.ForeignKey("staff.Department", verbose_name=_("calendar"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    satisfaction = models.PositiveSmallIntegerField(_("customer's satisfaction"), null=True, blank=True,
                                                    choices=Satisfaction.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey("staff.Employee", verbose_name=_("revisited by"), on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    revisited_at = models.DateTimeField(_("revisited at"), null=True, blank=True)
    complaint_number = models.CharField(_("complaint"), max_length=30, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call revisit")
        verbose_name_plural = _("call revisits")
        ordering = ["due_at", "id"]
        indexes = [
            # the queues: pending (or unsatisfied) soonest due first; the month's figure by the revisit's time
            models.Index(fields=["state", "due_at"], name="callrevisit_queue_idx"),
            models.Index(fields=["revisited_at"], name="callrevisit_month_idx",
                         condition=Q(revisited_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call"], condition=Q(state="pending"), name="callrevisit_one_pending"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                                   name="callrevisit_satisfaction_1_to_5"),
            models.CheckConstraint(condition=~Q(state__in=["done", "unsatisfied", "complaint", "settled"])
                                   | Q(satisfaction__isnull=False, revisited_at__isnull=False),
                                   name="callrevisit_answered_has_satisfaction"),
        ]

    def __str__(self):
        return str(_("Revisit of %(number)s") % {"number": self.call.number}) if self.call_id else "—"


class CallRevisitEvent(WorkflowEvent):
    """One move of a call's revisit (its trail): created, recorded, complaint opened, settled, cancelled, due
    time moved by a calendar edit. Never edited, never deleted."""

    revisit = models.ForeignKey(CallRevisit, verbose_name=_("revisit"), on_delete=models.PROTECT,
                                related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("call revisit event")
        verbose_name_plural = _("call revisit events")
        indexes = [models.Index(fields=["revisit", "at"], name="callrevisitevent_idx")]
