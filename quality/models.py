"""Quality inspection (质检, REGULATIONS §10): each month a stored, replayable random sample of each agent's
calls, scored by a supervisor on a versioned checklist; a failed item may become a manual violation of scoring
(§5); the agent may appeal an inspection once. Nothing is deleted: states move on the workflow engine
(``quality/workflow.py``), every edit is trailed (``HistoricalRecords`` or the event table)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from csmgmt.core.models import WorkflowEvent


class QualitySettings(models.Model):
    """One row (pk=1), edited by a manager: how many calls per agent a draw takes, how many swaps a
    supervisor may make per agent per month."""

    sample_size = models.PositiveSmallIntegerField(_("calls sampled per agent"), default=5)
    swaps_per_agent = models.PositiveSmallIntegerField(_("swaps allowed per agent per month"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality inspection settings")
        verbose_name_plural = _("quality inspection settings")
        constraints = [
            models.CheckConstraint(condition=Q(sample_size__gte=1, sample_size__lte=50),
                                   name="quality_sample_size_range"),
            models.CheckConstraint(condition=Q(swaps_per_agent__lte=50), name="quality_swaps_range"),
        ]


class ChecklistVersion(models.Model):
    """A manager's edit of the checklist makes a new version; an inspection keeps the version it was drawn
    with, so old inspections keep their items and points."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    created_by = models.ForeignKey("staff.Employee", verbose_name=pgettext_lazy("inspection", "created by"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")

    def __str__(self):
        return f"v{self.number}"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, verbose_name=_("checklist version"), on_delete=models.PROTECT,
                                related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(pgettext_lazy("inspection", "item"), max_length=100)
    points = models.PositiveSmallIntegerField(pgettext_lazy("inspection", "points"))
    # the manual violation of scoring a failed item becomes (REGULATIONS §10: the phone-handling rule)
    violation_category = models.ForeignKey("staff.ManualCategory", verbose_name=_("violation category"),
                                           on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.CheckConstraint(condition=Q(points__gte=1), name="quality_item_points_positive")]

    def __str__(self):
        return self.name

    def fails_below(self) -> float:
        """An item scored below half its points has failed (REGULATIONS §10)."""
        return self.points / 2


class SampleDraw(models.Model):
    """One month's draw: the seed and the candidate calls (by agent) are stored, so the same draw can be
    replayed; a month is drawn once (the unique constraint)."""

    month = models.DateField(_("month"), unique=True)  # its first day
    seed = models.CharField(_("seed"), max_length=64)
    sample_size = models.PositiveSmallIntegerField(_("calls sampled per agent"))
    candidates = models.JSONField(_("candidate calls"), default=dict)  # {"<agent id>": [call ids, ascending]}
    checklist = models.ForeignKey(ChecklistVersion, verbose_name=_("checklist version"), on_delete=models.PROTECT,
                                  related_name="+")
    drawn_by = models.ForeignKey("staff.Employee", verbose_name=_("drawn by"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("sample draw")
        verbose_name_plural = _("sample draws")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class Inspection(models.Model):
    class State(models.TextChoices):
        DRAWN = "drawn", pgettext_lazy("inspection", "Drawn, to score")
        SCORED = "scored", pgettext_lazy("inspection", "Scored")
        APPEALED = "appealed", pgettext_lazy("inspection", "Appealed")
        VOIDED = "voided", pgettext_lazy("inspection", "Voided (appeal upheld)")

    draw = models.ForeignKey(SampleDraw, verbose_name=_("draw"), on_delete=models.PROTECT,
                             related_name="inspections")
    month = models.DateField(_("month"))  # the draw's month (first day), for the month's lists and figures
    agent = models.ForeignKey("staff.Employee", verbose_name=pgettext_lazy("inspection", "agent"),
                              on_delete=models.PROTECT, related_name="inspections")
    call = models.ForeignKey("tickets.Call", verbose_name=pgettext_lazy("inspection", "call"), on_delete=models.PROTECT,
                             related_name="inspections")
    checklist = models.ForeignKey(ChecklistVersion, verbose_name=_("checklist version"), on_delete=models.PROTECT,
                                  related_name="+")
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAWN)
    total = models.PositiveSmallIntegerField(_("total"), null=True, blank=True)
    failed_items = models.PositiveSmallIntegerField(_("failed items"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey("staff.Employee", verbose_name=_("scored by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    appeal_reason = models.TextField(pgettext_lazy("inspection", "appeal"), blank=True)
    decision_reason = models.TextField(pgettext_lazy("inspection", "reason for the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "agent_id", "id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [models.UniqueConstraint(fields=["draw", "call"], name="quality_call_once_per_draw")]
        indexes = [models.Index(fields=["month", "agent"], name="quality_inspection_month_idx")]

    def __str__(self):
        return _("Inspection of %(call)s") % {"call": self.call.number}


class InspectionEvent(WorkflowEvent):
    """The inspection's trail (``quality.workflow.INSPECTION``): drawn, scored, appealed, decided, and the notes
    that move nothing (a call swapped, a violation recorded)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        indexes = [models.Index(fields=["inspection", "at"], name="quality_event_idx")]


class ItemScore(models.Model):
    """The points one checklist item got in one inspection; a failed item has a comment and may carry the
    manual violation it became."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="scores")
    item = models.ForeignKey(ChecklistItem, verbose_name=pgettext_lazy("inspection", "item"), on_delete=models.PROTECT,
                             related_name="+")
    points = models.PositiveSmallIntegerField(pgettext_lazy("inspection", "points"))
    failed = models.BooleanField(_("failed"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    violation = models.OneToOneField("staff.ManualEntry", verbose_name=_("violation recorded"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="inspection_item")
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "item__order", "item_id"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="quality_item_once"),
            models.CheckConstraint(condition=Q(failed=False) | ~Q(comment=""), name="quality_failed_has_comment"),
        ]


class Swap(models.Model):
    """A drawn call a supervisor replaced (with a reason the manager sees); the replacement is drawn from the
    agent's other candidates by the draw's seed, so it too can be replayed."""

    draw = models.ForeignKey(SampleDraw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="swaps")
    agent = models.ForeignKey("staff.Employee", verbose_name=pgettext_lazy("inspection", "agent"),
                              on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="swaps")
    number = models.PositiveSmallIntegerField(_("swap number"))  # 1, 2, … for this agent in this draw
    old_call = models.ForeignKey("tickets.Call", verbose_name=_("call taken out"), on_delete=models.PROTECT,
                                 related_name="+")
    new_call = models.ForeignKey("tickets.Call", verbose_name=_("call put in"), on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["draw", "agent", "number"]
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")
        constraints = [
            models.UniqueConstraint(fields=["draw", "agent", "number"], name="quality_swap_number_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="quality_swap_reason_required"),
        ]
