"""Penalty and reward scoring (REGULATIONS §5): rule sets as data, manual entries, monthly records,
scorecards, appeals and the department fund ledger. The arithmetic lives in ``staff/rules.py``."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from csmgmt.core.models import WorkflowEvent

from .people import Department, Employee

AMOUNT = {"max_digits": 10, "decimal_places": 2, "default": Decimal("0")}


class ScoreFlag(models.TextChoices):
    VERBAL_WARNING = "verbal_warning", _("Verbal warning")
    PUNISHMENT = "punishment", _("Punishment")
    SEVERE = "severe", _("Severe (3 months running)")
    SUSPENSION = "suspension", _("Suspension (15 days off the phones)")
    DISMISSAL = "dismissal", _("Dismissal recommendation")
    MANAGEMENT = "management", _("Flagged for management")


class RuleSet(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    base_points = models.DecimalField(_("monthly base points"), max_digits=6, decimal_places=2, default=Decimal("10"))
    warning_at = models.DecimalField(_("verbal warning at or below"), max_digits=6, decimal_places=2,
                                     default=Decimal("5"))
    punishment_at = models.DecimalField(_("punishment at or below"), max_digits=6, decimal_places=2,
                                        default=Decimal("2"))
    severe_months = models.PositiveSmallIntegerField(_("severe after this many months running"), default=3)
    active = models.BooleanField(_("active"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="scoring_one_active_rule_set"),
            models.CheckConstraint(condition=Q(severe_months__gte=1), name="scoring_severe_months_positive"),
        ]

    def __str__(self):
        return self.name


class Rule(models.Model):
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="rules")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    event_kind = models.CharField(_("event counted"), max_length=60)
    counts_as_violation = models.BooleanField(
        _("counts as a violation"), default=True,
        help_text=_("Counted in the department's monthly total and spoils a clean month."))
    spoils_clean_month = models.BooleanField(
        _("spoils a clean month"), default=False,
        help_text=_("An occurrence loses the clean-month reward even when it is not counted as a violation."))
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_set", "order", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="scoring_rule_code_unique"),
        ]

    def __str__(self):
        return self.name


class CurrentRows(models.Manager):
    """A rule's tiers and extras and a rule set's brackets are replaced when a manager edits them: the old row
    is voided (``voided_at``), never deleted, and keeps its history. This default manager (used by
    ``rule.tiers`` and every prefetch) gives the rows in force; ``all_rows`` gives the voided ones too."""

    def get_queryset(self):
        return super().get_queryset().filter(voided_at__isnull=True)


class Tier(models.Model):
    """Amount per occurrence for occurrences ``first``..``last`` (inclusive; no ``last``: and later)."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="tiers")
    first = models.PositiveSmallIntegerField(_("from occurrence"))
    last = models.PositiveSmallIntegerField(_("to occurrence"), null=True, blank=True)
    points = models.DecimalField(_("points"), **AMOUNT)
    money = models.DecimalField(_("money (CNY)"), **AMOUNT)
    exempt = models.BooleanField(
        _("exempt"), default=False,
        help_text=_("Allowed occurrences: no record and not a violation (e.g. the first 4 compensatory days)."))
    voided_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = CurrentRows()
    all_rows = models.Manager()

    class Meta:
        ordering = ["rule", "first"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.CheckConstraint(condition=Q(first__gte=1), name="scoring_tier_first_positive"),
            models.CheckConstraint(condition=Q(last__isnull=True) | Q(last__gte=models.F("first")),
                                   name="scoring_tier_last_after_first"),
        ]


class Threshold(models.Model):
    """When the month's count of the rule reaches ``at``: a one-time extra amount and/or a flag."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="thresholds")
    at = models.PositiveSmallIntegerField(_("at occurrence"))
    points = models.DecimalField(_("extra points"), **AMOUNT)
    money = models.DecimalField(_("extra money (CNY)"), **AMOUNT)
    flag = models.CharField(_("flag"), max_length=20, choices=ScoreFlag.choices, blank=True)
    voided_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = CurrentRows()
    all_rows = models.Manager()

    class Meta:
        ordering = ["rule", "at"]
        verbose_name = _("threshold extra")
        verbose_name_plural = _("threshold extras")
        constraints = [
            models.CheckConstraint(condition=Q(at__gte=1), name="scoring_threshold_at_positive"),
            models.UniqueConstraint(fields=["rule", "at"], condition=Q(voided_at__isnull=True),
                                    name="scoring_threshold_once_per_n"),
        ]


class DepartmentBracket(models.Model):
    """On the department's monthly count of violations: money into (+) or out of (−) the fund, a flag."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE,
                                 related_name="brackets")
    first = models.PositiveSmallIntegerField(_("from violations"))
    last = models.PositiveSmallIntegerField(_("to violations"), null=True, blank=True)
    money = models.DecimalField(_("to the department fund (CNY)"), **AMOUNT)
    flag = models.CharField(_("flag"), max_length=20, choices=ScoreFlag.choices, blank=True)
    voided_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = CurrentRows()
    all_rows = models.Manager()

    class Meta:
        ordering = ["rule_set", "first"]
        verbose_name = _("department bracket")
        verbose_name_plural = _("department brackets")
        constraints = [
            models.CheckConstraint(condition=Q(last__isnull=True) | Q(last__gte=models.F("first")),
                                   name="scoring_bracket_last_after_first"),
        ]


class ManualCategory(models.Model):
    class Kind(models.TextChoices):
        VIOLATION = "violation", _("Violation")
        PRAISE = "praise", _("Praise")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VIOLATION)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("violation or praise category")
        verbose_name_plural = _("violation and praise categories")

    def __str__(self):
        return self.name


class ManualEntry(models.Model):
    """A violation or a praise recorded by a supervisor; an event for the engine ("manual:<id>")."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="manual_entries")
    category = models.ForeignKey(ManualCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="entries")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    evidence = models.FileField(_("evidence"), upload_to="scoring/evidence/%Y/%m/", blank=True)
    # A photo is shown only as this re-encoded copy; the original is only ever downloaded.
    evidence_display = models.FileField(_("copy shown"), upload_to="scoring/evidence/display/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(Employee, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    created = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("manual entry")
        verbose_name_plural = _("manual entries")
        indexes = [models.Index(fields=["date"], name="scoring_manual_date_idx"),
                   models.Index(fields=["employee", "date"], name="scoring_manual_emp_idx")]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="scoring_manual_note_required")]

    @property
    def source(self) -> str:
        return f"manual:{self.pk}"


class ScoreMonth(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set used"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="months")
    materialised_at = models.DateTimeField(_("records computed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("score month")
        verbose_name_plural = _("score months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="scoring_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="scoring_month_valid"),
        ]

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ScoreMonthEvent(models.Model):
    """The month's trail: every computation, closing and reopening, with who, when and why. Closing and
    reopening are the month's moves (``staff.scoring.workflow.SCORE_MONTH``: from and to a status); a
    computation moves nothing (from "", to the month's status)."""

    class Action(models.TextChoices):
        MATERIALISE = "materialise", _("Records computed")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    score_month = models.ForeignKey(ScoreMonth, verbose_name=_("month"), on_delete=models.PROTECT,
                                    related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=ScoreMonth.Status.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ScoreMonth.Status.choices, blank=True)
    by = models.ForeignKey(Employee, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)  # counts of a computation, rule set name

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("month event")
        verbose_name_plural = _("month events")


class PenaltyRecord(models.Model):
    """One penalty or reward of one employee in one month, computed from one event by one rule."""

    class Kind(models.TextChoices):
        OCCURRENCE = "occurrence", _("Per occurrence")
        THRESHOLD = "threshold", _("Threshold extra")
        MONTH = "month", _("Month-level")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Counts")
        VOIDED = "voided", _("Voided")
        WITHDRAWN = "withdrawn", _("Withdrawn (its event is gone)")

    score_month = models.ForeignKey(ScoreMonth, verbose_name=_("month"), on_delete=models.PROTECT,
                                    related_name="records")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="penalty_records")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=120)
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=0)
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=120)
    date = models.DateField(_("date"))
    points = models.DecimalField(_("points"), **AMOUNT)
    money = models.DecimalField(_("money (CNY)"), **AMOUNT)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    recorded_by = models.ForeignKey(Employee, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("penalty or reward")
        verbose_name_plural = _("penalties and rewards")
        constraints = [
            models.UniqueConstraint(fields=["score_month", "employee", "rule", "key"], name="scoring_record_once"),
        ]
        indexes = [
            models.Index(fields=["employee", "score_month"], name="scoring_record_emp_idx"),
            models.Index(fields=["score_month", "department", "status"], name="scoring_record_dept_idx"),
            models.Index(fields=["source"], name="scoring_record_source_idx"),
        ]

    def __str__(self):
        return f"{self.employee} · {self.rule} · {self.date}"

    @property
    def counts(self) -> bool:
        return self.status == self.Status.ACTIVE


class PenaltyRecordEvent(WorkflowEvent):
    """The record's trail (``staff.scoring.workflow.PENALTY_RECORD``): computed, appealed, voided by an upheld
    appeal, withdrawn when its event is gone, counted again when it comes back."""

    record = models.ForeignKey(PenaltyRecord, verbose_name=_("record"), on_delete=models.PROTECT,
                               related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("penalty or reward event")
        verbose_name_plural = _("penalty and reward events")
        indexes = [models.Index(fields=["record", "at"], name="scoring_record_event_idx")]

    def __str__(self):
        return f"{self.record_id} {self.action}"


class ScoreCard(models.Model):
    """An employee's month, kept in step with the records (recomputed whenever they change)."""

    score_month = models.ForeignKey(ScoreMonth, verbose_name=_("month"), on_delete=models.PROTECT,
                                    related_name="cards")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="score_cards")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    base = models.DecimalField(_("base"), max_digits=8, decimal_places=2, default=Decimal("10"))
    deductions = models.DecimalField(_("deductions"), **AMOUNT)
    rewards = models.DecimalField(_("rewards"), **AMOUNT)
    score = models.DecimalField(_("score"), **AMOUNT)
    fines = models.DecimalField(_("fines (CNY)"), **AMOUNT)
    reward_money = models.DecimalField(_("rewards (CNY)"), **AMOUNT)
    violations = models.PositiveIntegerField(_("violations"), default=0)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        ordering = ["employee__employee_no"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["score_month", "employee"], name="scoring_card_once"),
        ]
        indexes = [models.Index(fields=["score_month", "department"], name="scoring_card_dept_idx")]


class Appeal(models.Model):
    """申诉: once per record (the one-to-one), decided by a manager with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Upheld (record voided)")
        REJECTED = "rejected", _("Rejected")

    record = models.OneToOneField(PenaltyRecord, verbose_name=_("record"), on_delete=models.PROTECT,
                                  related_name="appeal")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT,
                                 related_name="appeals")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(_("filed at"), auto_now_add=True)
    decided_by = models.ForeignKey(Employee, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["status", "created"], name="scoring_appeal_status_idx")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="scoring_appeal_reason_required")]


class AppealEvent(WorkflowEvent):
    """The appeal's trail (``staff.scoring.workflow.APPEAL``): filed, then upheld or rejected."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        indexes = [models.Index(fields=["appeal", "at"], name="scoring_appeal_event_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.action}"


class FundEntry(models.Model):
    """The department fund's ledger (部门基金). Amounts are seen from the fund: fines come in (+),
    rewards go out (−), the department bracket adds or takes. The month's automatic lines are kept in
    step with the records; managers add adjustments (spending, corrections) with a note."""

    class Kind(models.TextChoices):
        FINES = "fines", _("Fines collected")
        REWARDS = "rewards", _("Rewards paid")
        BRACKET = "bracket", _("Department bracket")
        ADJUSTMENT = "adjustment", _("Adjustment")

    AUTOMATIC = (Kind.FINES, Kind.REWARDS, Kind.BRACKET)

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="fund_entries")
    score_month = models.ForeignKey(ScoreMonth, verbose_name=_("month"), on_delete=models.PROTECT,
                                    related_name="fund_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), **AMOUNT)
    violations = models.PositiveIntegerField(_("violations"), null=True, blank=True)
    bracket = models.CharField(_("bracket"), max_length=20, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(Employee, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["score_month", "kind", "id"]
        verbose_name = _("fund ledger entry")
        verbose_name_plural = _("fund ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["score_month", "department", "kind"],
                                    condition=Q(kind__in=["fines", "rewards", "bracket"]),
                                    name="scoring_fund_auto_once"),
        ]
        indexes = [models.Index(fields=["department", "score_month"], name="scoring_fund_dept_idx")]

