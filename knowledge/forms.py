"""Input shapes of the knowledge base's pages (the rules are in ``knowledge.services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csmgmt.core.onetime import OneTimeForm
from tickets.models import Call

from .models import Article


class ArticleForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("Category"), choices=Call.Category.choices)
    tags = forms.CharField(label=_("Tags"), max_length=200, required=False,
                           help_text=_("Words separated by spaces, e.g. 退款 订单"))


class ArticleCreateForm(OneTimeForm, ArticleForm):
    """A new article: the same rendered form posted twice makes one article."""


class ArticleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories"))] + list(Call.Category.choices))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states"))] + list(Article.State.choices))


class MarkUsedForm(forms.Form):
    call = forms.CharField(label=_("Call number"), max_length=30, help_text=_("e.g. LD-202611-0042"))


class SettingsForm(forms.Form):
    review_after_months = forms.IntegerField(label=_("Published articles are due for review after, months"),
                                             min_value=1, max_value=120)
