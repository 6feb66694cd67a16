from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.onetime import OneTimeForm
from csmgmt.core.sheets import Period

from .models import Figure


class TargetForm(OneTimeForm, forms.Form):
    figure = forms.ChoiceField(label=pgettext_lazy("target", "Figure"), choices=Figure.choices)
    month = forms.CharField(label=_("From the month"), widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=_("It applies from this month until a later month's target."))
    value = forms.DecimalField(label=_("Target"), max_digits=6, decimal_places=2, min_value=0,
                               help_text=_("Rates in per cent (e.g. 85), satisfaction 1–5, the QA score out of "
                                           "100."))

    def clean_month(self):
        raw = (self.cleaned_data.get("month") or "").strip()
        try:
            period = Period.parse(raw[:7])
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None
        if not 2000 <= period.year <= 2099:
            raise forms.ValidationError(_("Give a month between 2000-01 and 2099-12."))
        return period
