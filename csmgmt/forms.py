from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .core.sheets import Period


class ReportRequestForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean_month(self):
        value = self.cleaned_data["month"]
        try:
            self.cleaned_data["period"] = Period.parse(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-10.")) from None
        return value

    def clean(self):
        data = super().clean()
        if "month" in data:
            data["period"] = Period.parse(data["month"])
        return data
