from django import forms
from django.utils.translation import gettext_lazy as _

from csmgmt.core.onetime import OneTimeForm

from .models import Ability


class IntegrationForm(OneTimeForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("The program that will use the token, e.g. 话务交换机 (PBX)."))
    abilities = forms.MultipleChoiceField(label=_("May"), choices=Ability.choices,
                                          widget=forms.CheckboxSelectMultiple)
    rate_per_minute = forms.IntegerField(label=_("Requests a minute"), min_value=1, max_value=6000, initial=60)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
