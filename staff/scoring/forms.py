"""Input shapes of the scoring pages. Business rules (who may, open months, tier order) live in services;
the tier formsets also check order here so the error shows on the form."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csmgmt.core.onetime import OneTimeForm
from staff import rules
from staff.models import Department, ManualCategory, Rule, RuleSet, ScoreFlag

from .selectors import event_kind_choices

AMOUNT = {"max_digits": 10, "decimal_places": 2, "initial": Decimal("0")}


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}), required=False)


class ManualEntryForm(OneTimeForm):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    category = forms.ModelChoiceField(label=_("Category"),
                                      queryset=ManualCategory.objects.filter(active=True).order_by("kind", "name"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           help_text=_("What happened, where, who saw it."))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False,
                               help_text=_("A photo (JPEG, PNG, GIF, WebP) or a PDF."))

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.employee_no} {e.name}"
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return date


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AppealForm(OneTimeForm, ReasonForm):
    """Filing an appeal: a reason, once per rendered form."""


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("uphold", _("Uphold (void the record)")),
                                                               ("reject", _("Reject"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class FundAdjustForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(active=True))
    amount = forms.DecimalField(label=_("Amount (CNY, + in, − out)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300)


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["name", "description", "base_points", "warning_at", "punishment_at", "severe_months"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RuleForm(forms.ModelForm):
    event_kind = forms.ChoiceField(label=_("Event counted"))

    class Meta:
        model = Rule
        fields = ["code", "name", "event_kind", "counts_as_violation", "spoils_clean_month", "active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = event_kind_choices()
        current = self.instance.event_kind if self.instance.pk else None
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["event_kind"].choices = choices


class RuleNewForm(OneTimeForm, RuleForm):
    """A new rule: once per rendered form."""


class RowForm(forms.Form):
    """A formset row: compact Bootstrap inputs (rendered as table cells, not through crispy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"


class RangeRowForm(RowForm):
    first = forms.IntegerField(label=_("From"), min_value=1)
    last = forms.IntegerField(label=_("To"), min_value=1, required=False,
                              help_text=_("Empty: and every later one."))


class TierForm(RangeRowForm):
    points = forms.DecimalField(label=_("Points"), **AMOUNT)
    money = forms.DecimalField(label=_("Money (CNY)"), **AMOUNT)
    exempt = forms.BooleanField(label=_("Exempt"), required=False,
                                help_text=_("Allowed occurrences: no record and not a violation."))


class ThresholdForm(RowForm):
    at = forms.IntegerField(label=_("At occurrence"), min_value=1)
    points = forms.DecimalField(label=_("Extra points"), **AMOUNT)
    money = forms.DecimalField(label=_("Extra money (CNY)"), **AMOUNT)
    flag = forms.ChoiceField(label=_("Flag"), choices=[("", "—"), *ScoreFlag.choices], required=False)


class BracketForm(RangeRowForm):
    first = forms.IntegerField(label=_("From violations"), min_value=0)
    last = forms.IntegerField(label=_("To violations"), min_value=0, required=False,
                              help_text=_("Empty: and more."))
    money = forms.DecimalField(label=_("To the fund (CNY)"), **AMOUNT)
    flag = forms.ChoiceField(label=_("Flag"), choices=[("", "—"), *ScoreFlag.choices], required=False)


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


class RangeFormSet(RowFormSet):
    """Rows (without the ones marked for deletion) must ascend and not overlap."""

    minimum = 1

    def rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        if any(self.errors):
            return
        rows = sorted(self.rows(), key=lambda r: r["first"]) if self.sort else self.rows()
        errors = rules.tier_errors([(r["first"], r["last"]) for r in rows], minimum=self.minimum)
        if errors:
            raise forms.ValidationError(errors)

    sort = False


class BracketFormSetBase(RangeFormSet):
    minimum = 0


class ThresholdFormSetBase(RowFormSet):
    def rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        if any(self.errors):
            return
        ats = [r["at"] for r in self.rows()]
        if len(ats) != len(set(ats)):
            raise forms.ValidationError(_("Two threshold extras have the same number."))


# A rule has a handful of tiers; the cap also stops a forged TOTAL_FORMS from building a thousand forms.
ROWS_MAX = 20
_caps = {"max_num": ROWS_MAX, "absolute_max": ROWS_MAX, "validate_max": True, "can_delete": True}
TierFormSet = forms.formset_factory(TierForm, formset=RangeFormSet, extra=2, **_caps)
ThresholdFormSet = forms.formset_factory(ThresholdForm, formset=ThresholdFormSetBase, extra=1, **_caps)
BracketFormSet = forms.formset_factory(BracketForm, formset=BracketFormSetBase, extra=1, **_caps)


class RuleSetCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=100)
    code = forms.SlugField(label=_("Code of the copy"), max_length=40)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ManualCategory
        fields = ["code", "name", "kind", "active"]


class CategoryNewForm(OneTimeForm, CategoryForm):
    """A new category: once per rendered form."""
