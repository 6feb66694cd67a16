"""Complaints (REGULATIONS §3): the complaint, its event trail, its clocks, evidence and clock lengths.

Only ``complaints.services.complaint_transition`` assigns ``Complaint.stage``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from csmgmt.core.search import search_text_field


class Stage(models.TextChoices):
    """Where a complaint is: the step that is to be done next (REGULATIONS §3)."""

    ANALYSE = "analyse", _("Received, to analyse")
    ASSIGN = "assign", _("To assign a department")
    PLAN = "plan", _("Department plans")
    APPROVE = "approve", _("Awaiting approval")
    MANAGER_APPROVE = "manager_approve", _("Awaiting manager's approval")
    RESPOND = "respond", _("To respond")
    REVISIT = "revisit", _("To revisit")
    CLOSE = "close", _("To close")
    CLOSED = "closed", pgettext_lazy("complaint", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = [s for s in Stage.values if s not in (Stage.CLOSED, Stage.WITHDRAWN)]


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone (电话)")
    EMAIL = "email", _("Email (电邮)")
    WALK_IN = "walk_in", _("Walk-in (现场)")
    CHAT = "chat", _("Online chat (在线)")
    LETTER = "letter", _("Letter (信函)")
    OTHER = "other", _("Other (其他)")


class Demand(models.TextChoices):
    PRICE_CUT = "price_cut", _("Price cut (减价)")
    RETURN = "return", _("Return (退货)")
    EXCHANGE = "exchange", _("Exchange (换货)")
    COMPENSATION = "compensation", _("Compensation (赔偿)")
    APOLOGY = "apology", _("Apology (道歉)")
    CRITICISM = "criticism", _("Criticism or suggestion (批评建议)")
    OTHER = "other", _("Other (其他)")


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary (一般)")
    MAJOR = "major", _("Major (重大)")


class ResponseMethod(models.TextChoices):
    PHONE = "phone", pgettext_lazy("reply method", "Phone")
    EMAIL = "email", _("Email")
    ON_SITE = "on_site", _("On site")
    WRITING = "writing", _("In writing")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    NEUTRAL = 3, _("Neutral (一般)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


class FaultLevel(models.TextChoices):
    NONE = "none", _("No fault")
    GENERAL = "general", _("General fault (一般过失)")
    SERIOUS = "serious", _("Serious fault (严重过失)")


class Complaint(models.Model):
    """《客户投诉记录单》 and everything later stages add to it."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ANALYSE)
    received_at = models.DateTimeField(pgettext_lazy("complaint", "received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    complainant_name = models.CharField(_("complainant"), max_length=100)
    complainant_phone = models.CharField(_("complainant phone"), max_length=30, blank=True)
    complainant_contact = models.CharField(_("other contact"), max_length=200, blank=True)
    customer = models.ForeignKey("tickets.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="complaints")
    source_call = models.ForeignKey("tickets.Call", verbose_name=_("from call"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="complaints")
    against_department = models.ForeignKey(
        "staff.Department", verbose_name=_("department complained about"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="complaints_against",
    )
    against_person = models.CharField(_("person complained about"), max_length=100, blank=True)
    against_employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("employee complained about"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="complaints_about",
        help_text=_("When the person complained about is one of us: they never write the complaint's plan."),
    )
    content = models.TextField(_("content"))
    demand = models.CharField(_("customer's demand"), max_length=20, choices=Demand.choices, default=Demand.APOLOGY)
    demand_detail = models.CharField(_("demand details"), max_length=300, blank=True)
    agent = models.ForeignKey("staff.Employee", verbose_name=_("registered by"), on_delete=models.PROTECT,
                              related_name="complaints_registered")

    # analyse
    verified = models.BooleanField(_("verified true and reasonable"), null=True, blank=True)
    upheld = models.BooleanField(_("upheld (成立)"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY)
    is_repeat = models.BooleanField(_("repeat complaint"), default=False)
    repeat_of = models.ForeignKey("self", verbose_name=_("repeat of"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="repeats")
    # assign
    responsible_department = models.ForeignKey(
        "staff.Department", verbose_name=_("responsible department"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="complaints_assigned",
    )
    responsible_person = models.ForeignKey(
        "staff.Employee", verbose_name=_("responsible person"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints_to_handle",
    )
    # plan; a complaint against 客服部 is planned only by the writer the manager names (REGULATIONS §3)
    plan_writer = models.ForeignKey(
        "staff.Employee", verbose_name=_("plan writer"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints_to_plan",
    )
    findings = models.TextField(_("investigation findings"), blank=True)
    root_cause = models.TextField(_("cause found"), blank=True)
    action_immediate = models.TextField(_("immediate action"), blank=True)
    action_corrective = models.TextField(_("corrective action"), blank=True)
    action_preventive = models.TextField(_("preventive action"), blank=True)
    compensation = models.DecimalField(_("compensation (元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    promised_by = models.DateTimeField(_("deadline promised to the customer"), null=True, blank=True)
    # respond
    response_method = models.CharField(_("answered by"), max_length=10, choices=ResponseMethod.choices, blank=True)
    response_text = models.TextField(_("what was done"), blank=True)
    customer_agreed = models.BooleanField(_("customer agreed"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    # revisit
    satisfaction_attitude = models.PositiveSmallIntegerField(_("satisfaction with attitude"),
                                                             choices=Satisfaction.choices, null=True, blank=True)
    satisfaction_result = models.PositiveSmallIntegerField(_("satisfaction with result"),
                                                           choices=Satisfaction.choices, null=True, blank=True)
    revisit_comment = models.TextField(_("revisit comments"), blank=True)
    revisited_at = models.DateTimeField(_("revisited at"), null=True, blank=True)
    # close (the scoring app reads responsible_employee, fault_level, closed_at)
    closing_note = models.TextField(_("closing note"), blank=True)
    responsible_employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("responsible employee"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints_at_fault",
    )
    fault_level = models.CharField(_("fault level"), max_length=10, choices=FaultLevel.choices, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("complaint", "closed at"), null=True, blank=True)
    # withdraw
    withdrawn_reason = models.CharField(_("withdrawal reason"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # waiting on the customer (REGULATIONS §9): its clocks stand still from then until it is resumed
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field("number", "complainant_name", "content")  # csmgmt.core.search
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="complaint_received_idx"),
            models.Index(fields=["stage", "-received_at"], name="complaint_stage_idx"),
            models.Index(fields=["agent", "stage"], name="complaint_agent_stage_idx"),
            models.Index(fields=["responsible_department", "stage"], name="complaint_dept_stage_idx"),
            models.Index(fields=["complainant_phone", "-received_at"], name="complaint_phone_idx"),
            models.Index(fields=["complainant_phone"], name="complaint_phone_prefix_idx",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["complainant_name"], name="complaint_name_prefix_idx",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["closed_at"], name="complaint_closed_idx"),
            models.Index(fields=["responded_at"], name="complaint_responded_idx"),  # the targets' revisit rate
            # The dashboard's satisfaction by month (complaints/dashboard.py) reads only these: an index-only scan
            # instead of every row of the last 12 months (bench/README.md: 54 → 19 ms at 30,000 complaints)
            models.Index(fields=["received_at"], include=["satisfaction_attitude", "satisfaction_result"],
                         name="complaint_satisfaction_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="complaint_number_not_empty"),
            models.CheckConstraint(
                condition=Q(satisfaction_attitude__isnull=True) | Q(satisfaction_attitude__gte=1,
                                                                     satisfaction_attitude__lte=5),
                name="complaint_attitude_range",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction_result__isnull=True) | Q(satisfaction_result__gte=1,
                                                                   satisfaction_result__lte=5),
                name="complaint_result_range",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def routed_to_manager(self) -> bool:
        """Complaints against the customer-service department itself go to the manager."""
        dept = self.against_department
        return dept is not None and dept.kind == "cs"


class ComplaintEvent(models.Model):
    """One move (or note) of the workflow: who, when, from, to, action, comment. Never edited."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT,
                                  related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT,
                           related_name="complaint_events")
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_idx"),
                   models.Index(fields=["action", "at"], name="complaint_event_action_idx")]

    def __str__(self):
        return f"{self.complaint_id} {self.action}"


class ClockKind(models.TextChoices):
    """The six clocks of REGULATIONS §3, in its order (the two close clocks are separate)."""

    FIRST_REPLY = "first_reply", _("First reply to the customer")
    ASSIGN = "assign", _("Assigned to a department")
    DEPT_REPORT = "dept_report", _("Department reports result or progress")
    CLOSE_ORDINARY = "close_ordinary", _("Ordinary complaint closed")
    CLOSE = "close", _("Every complaint closed (major included)")
    REVISIT = "revisit", _("Revisit after response")
    # Beside the six, with a due time given rather than a length (REGULATIONS §3): the deadline the plan promises
    # the customer (met by the response) and the next reply time agreed when a complaint cannot be settled on
    # the spot (met by the next contact logged with the customer).
    PROMISE = "promise", _("Deadline promised to the customer")
    NEXT_REPLY = "next_reply", _("Agreed next reply time")


class ClockState(models.TextChoices):
    RUNNING = "running", pgettext_lazy("clock", "Running")
    PAUSED = "paused", _("Paused (waiting on the customer)")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Not needed")


# Default lengths in hours (REGULATIONS §3), per severity. A (kind, severity) absent here is a clock that severity
# does not run: a major complaint runs only the 7-day close clock, not the ordinary one's 3 days.
DEFAULT_HOURS = {
    (ClockKind.FIRST_REPLY, Severity.ORDINARY): 2, (ClockKind.FIRST_REPLY, Severity.MAJOR): 2,
    (ClockKind.ASSIGN, Severity.ORDINARY): 3, (ClockKind.ASSIGN, Severity.MAJOR): 3,
    (ClockKind.DEPT_REPORT, Severity.ORDINARY): 48, (ClockKind.DEPT_REPORT, Severity.MAJOR): 48,
    (ClockKind.CLOSE_ORDINARY, Severity.ORDINARY): 72,
    (ClockKind.CLOSE, Severity.ORDINARY): 168, (ClockKind.CLOSE, Severity.MAJOR): 168,
    (ClockKind.REVISIT, Severity.ORDINARY): 168, (ClockKind.REVISIT, Severity.MAJOR): 168,
}


def close_kinds(severity) -> list[str]:
    """The close clocks a complaint of ``severity`` runs: both for an ordinary one, the 7-day one for a major one."""
    return [k for k in (ClockKind.CLOSE_ORDINARY, ClockKind.CLOSE) if (k, severity) in DEFAULT_HOURS]


class ClockUnit(models.TextChoices):
    """What a clock counts (REGULATIONS §9): calendar time (the default), or the working time of whoever must act."""

    CALENDAR = "calendar", _("Calendar hours")
    WORKING_HOURS = "working_hours", _("Working hours")
    WORKING_DAYS = "working_days", _("Working days")


class ClockLength(models.Model):
    """A manager's setting: how long a clock runs for a severity, and in what unit (``hours`` holds the length:
    hours, or days for working days)."""

    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    hours = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("counts"), max_length=20, choices=ClockUnit.choices, default=ClockUnit.CALENDAR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clock length")
        verbose_name_plural = _("clock lengths")
        constraints = [
            models.UniqueConstraint(fields=["kind", "severity"], name="clock_length_once"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="clock_length_positive"),
        ]

    def __str__(self):
        return f"{self.kind}/{self.severity}: {self.hours}h"


class ComplaintClock(models.Model):
    """A deadline of one complaint. ``due_at`` and ``met_at`` are stored so "overdue" is an indexed query."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT,
                                  related_name="clocks")
    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    owner = models.ForeignKey("staff.Employee", verbose_name=_("reminded"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="complaint_clocks",
                              help_text=_("Who is reminded before it is due (empty: the clock's usual owner)."))
    soon_notified_at = models.DateTimeField(_("due-soon notice sent"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    # the rule it started with (REGULATIONS §9): kept while it runs, whatever the settings become
    unit = models.CharField(_("counts"), max_length=20, choices=ClockUnit.choices, default=ClockUnit.CALENDAR)
    length = models.PositiveIntegerField(_("length"), null=True, blank=True,
                                         help_text=_("Hours, or days for working days; empty: a due time given."))
    calendar_department = models.ForeignKey(
        "staff.Department", verbose_name=_("working time of"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")

    class Meta:
        verbose_name = _("complaint clock")
        verbose_name_plural = _("complaint clocks")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="clock_running_due_idx", condition=Q(state="running")),
            # a queue's next deadline per complaint (complaints.selectors.with_deadline)
            models.Index(fields=["complaint", "due_at"], name="clock_next_due_idx", condition=Q(state="running")),
            models.Index(fields=["complaint", "kind"], name="clock_complaint_idx"),
            models.Index(fields=["kind", "state", "started_at"], name="clock_stats_idx"),
            # the clocks decided in a month (the targets' clocks-met figure, issue 20): met by their met time,
            # missed by their due time (running ones: clock_running_due_idx)
            models.Index(fields=["met_at"], name="clock_met_idx", condition=Q(state="met")),
            models.Index(fields=["due_at"], name="clock_missed_due_idx", condition=Q(state="missed")),
            models.Index(fields=["calendar_department"], name="clock_working_idx",
                         condition=Q(state__in=["running", "paused"]) & ~Q(unit="calendar")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind"], condition=Q(state="running"),
                                    name="clock_one_running_per_kind"),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind}"


class ComplaintPause(models.Model):
    """The complaint waits on the customer (REGULATIONS §9): from ``started_at`` to ``ended_at`` its clocks stand
    still. Who paused and resumed, when and why are kept here and in the complaint's trail."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT,
                                  related_name="pauses")
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["complaint", "started_at"], name="complaint_pause_idx")]
        constraints = [
            models.UniqueConstraint(fields=["complaint"], condition=Q(ended_at__isnull=True), name="pause_one_open"),
        ]


def evidence_path(instance, filename):
    import uuid

    return f"complaints/evidence/{instance.complaint_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """An evidence file (image, PDF, office document). Never deleted."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT,
                                  related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    # An image is shown only as this re-encoded copy; the original (``file``) is only ever downloaded.
    display = models.FileField(_("copy shown"), upload_to="complaints/evidence-display/%Y/%m/", max_length=300,
                               blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey("staff.Employee", verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="complaint_evidence")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["complaint", "uploaded_at"], name="evidence_complaint_idx")]

    def __str__(self):
        return self.original_name
