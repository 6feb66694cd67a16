"""Input shapes only; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.onetime import OneTimeForm
from staff.models import ManualCategory


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("inspection", "Decision"), choices=[
        ("uphold", _("Uphold (void the inspection)")), ("reject", pgettext_lazy("inspection", "Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One points field and one comment field per checklist item (``points_<id>``, ``comment_<id>``)."""

    comment = forms.CharField(label=_("Overall comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"points_{item.pk}"] = forms.IntegerField(label=item.name, min_value=0, max_value=item.points)
            self.fields[f"comment_{item.pk}"] = forms.CharField(label=pgettext_lazy("inspection", "Comment"),
                                                                required=False, max_length=1000)

    def rows(self):
        return [(item, self[f"points_{item.pk}"], self[f"comment_{item.pk}"]) for item in self.items]

    def scores(self) -> dict:
        return {item.pk: (self.cleaned_data[f"points_{item.pk}"], self.cleaned_data.get(f"comment_{item.pk}", ""))
                for item in self.items}


class SettingsForm(forms.Form):
    sample_size = forms.IntegerField(label=_("Calls sampled per agent each month"), min_value=1, max_value=50)
    swaps_per_agent = forms.IntegerField(label=_("Swaps allowed per agent per month"), min_value=0, max_value=50)


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    points = forms.IntegerField(label=pgettext_lazy("inspection", "Points"), min_value=1, max_value=100, required=False,
                                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    violation_category = forms.ModelChoiceField(
        label=_("Becomes the violation"), required=False,
        queryset=ManualCategory.objects.filter(kind=ManualCategory.Kind.VIOLATION, active=True),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("points"):
            self.add_error("points", _("Give the item its points."))
        return data


ItemFormSet = forms.formset_factory(ItemForm, extra=2, max_num=30, validate_max=True)


class ChecklistNoteForm(OneTimeForm, forms.Form):
    """Carries the one-time token: saving the checklist makes a new version."""

    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
