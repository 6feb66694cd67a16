"""Working calendars as data (REGULATIONS §9): each department's weekly hours and dated exceptions, and the shared
public holidays and make-up working days (补班) of the State Council's yearly notices. Writes live in
``staff/calendars/services.py``; ``staff/calendars/selectors.py`` turns these rows into the pure
``csmgmt.core.calendar.WorkCalendar`` the clocks are computed on."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .people import Department


class PublicDay(models.Model):
    """One date of a yearly notice: a public holiday (closed, and the intake's holiday greeting) or a make-up
    working day (open, on the department's Monday hours). Replaced rows are voided, never deleted."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP = "makeup", _("Make-up working day (补班)")

    class Source(models.TextChoices):
        PACKAGE = "package", _("State Council notice (shipped)")
        MANAGER = "manager", _("Entered by a manager")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    greeting = models.TextField(_("holiday answering script"), blank=True,
                                help_text=_("Shown instead of the usual answer on this day (e.g. 春节)."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANAGER)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason voided"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public holiday or make-up day")
        verbose_name_plural = _("public holidays and make-up days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(voided_at__isnull=True), name="public_day_once"),
        ]
        indexes = [models.Index(fields=["date"], name="public_day_date_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class DepartmentCalendar(models.Model):
    """A department's weekly working hours: ``weekly`` is seven lists (Monday first) of ["HH:MM", "HH:MM"] spans;
    an end at or before its start is on the next morning. Without a row the defaults of §9 apply."""

    department = models.OneToOneField(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                      related_name="work_calendar")
    weekly = models.JSONField(_("weekly hours"))
    observes_holidays = models.BooleanField(
        _("closed on public holidays, open on make-up days"), default=True,
        help_text=_("Off for the customer-service department, which works every day, holidays included."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department calendar")
        verbose_name_plural = _("department calendars")

    def __str__(self):
        return str(self.department)


class CalendarException(models.Model):
    """A dated exception of one department: its own closed day (no spans) or other hours that day."""

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="calendar_exceptions")
    date = models.DateField(_("date"))
    spans = models.JSONField(_("hours"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason voided"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["department", "date"], condition=Q(voided_at__isnull=True),
                                    name="calendar_exception_once"),
        ]

    def __str__(self):
        return f"{self.department} {self.date:%Y-%m-%d}"
