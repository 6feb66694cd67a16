"""Targets (考核指标, REGULATIONS §10): what a manager expects of each monthly figure, and the department's figures of
months that ended, kept for the 12-month trend."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Figure(models.TextChoices):
    """The six figures of REGULATIONS §10, in the order of the issue's table (``csmgmt.core.registry.FIGURES``)."""

    FIRST_CONTACT = "first_contact", _("First-contact resolution (问题解决率)")
    REPLY_ON_TIME = "reply_on_time", _("Replies on time")
    CLOCKS_MET = "clocks_met", _("Complaint clocks met")
    REVISIT_RATE = "revisit_rate", _("Complaints revisited within 7 days")
    SATISFACTION = "satisfaction", _("Customer satisfaction (1–5)")
    QA_SCORE = "qa_score", _("QA score (质检)")


class Target(models.Model):
    """A manager's target for one figure, from a month on (until a later month's target): a rate in per cent,
    satisfaction on the 1–5 scale, the QA score out of 100. Setting the same month again edits the row (trailed)."""

    figure = models.CharField(_("figure"), max_length=20, choices=Figure.choices)
    applies_from = models.DateField(_("from the month"), help_text=_("The first day of the month it applies from."))
    value = models.DecimalField(_("target"), max_digits=6, decimal_places=2)
    set_by = models.ForeignKey("staff.Employee", verbose_name=pgettext_lazy("target", "set by"), on_delete=models.PROTECT,
                               related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["figure", "-applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "applies_from"], name="target_once_per_month"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.figure} {self.applies_from:%Y-%m}: {self.value}"


class MonthFigure(models.Model):
    """The department's figure of a month that ended (numerator, denominator), as computed at ``computed_at`` by
    the nightly job: the trend reads these instead of 12 months of records. Bookkeeping, recomputed in place."""

    month = models.DateField(_("month"))
    figure = models.CharField(_("figure"), max_length=20, choices=Figure.choices)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("month's figure")
        verbose_name_plural = _("months' figures")
        ordering = ["month", "figure"]
        constraints = [models.UniqueConstraint(fields=["month", "figure"], name="month_figure_once")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.figure}"
