from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER_SERVICE = "cs", _("Customer service")
        RESPONSIBLE = "responsible", _("Responsible department")
        FINANCE = "finance", _("Finance")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RESPONSIBLE)
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("department head"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads",
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Employee(models.Model):
    class Language(models.TextChoices):
        BROWSER = "", _("As the browser says")
        ZH_HANS = "zh-hans", "简体中文"
        EN = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.PROTECT, related_name="employee"
    )
    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="employees"
    )
    team = models.CharField(_("team"), max_length=50, blank=True, db_index=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # the telephone exchange's extension at this employee's desk (issue 21): where their calls ring
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.BROWSER, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    # REGULATIONS §4 (pro-rating): a month the employee joined or left in is a partial month
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["department", "team"])]
        constraints = [
            models.CheckConstraint(condition=~Q(employee_no=""), name="employee_no_not_empty"),
            models.UniqueConstraint(fields=["extension"], condition=~Q(extension=""), name="employee_extension_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="employee_name_not_empty"),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="employee_left_after_joined"),
        ]

    def __str__(self):
        return f"{self.name} ({self.employee_no})"
