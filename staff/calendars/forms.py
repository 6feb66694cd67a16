from django import forms
from django.utils.translation import gettext_lazy as _

from csmgmt.core.onetime import OneTimeForm

WEEKDAYS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))
HOURS_HELP = _("Spans as 08:30-17:30, several separated by commas; an end before the start is the next morning "
               "(08:00-01:00); empty: closed.")


class WeeklyHoursForm(forms.Form):
    observes_holidays = forms.BooleanField(label=_("Closed on public holidays, open on make-up days"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i, label in enumerate(WEEKDAYS):
            self.fields[f"day{i}"] = forms.CharField(label=label, required=False, max_length=100, help_text=HOURS_HELP
                                                     if i == 0 else "")
        self.order_fields([f"day{i}" for i in range(7)] + ["observes_holidays"])


class ExceptionForm(OneTimeForm, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(label=_("Hours that day"), required=False, max_length=100,
                            help_text=_("Empty: the department is closed that day."))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class NoticeForm(OneTimeForm, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Public holidays"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("One line each: a name and the first and last day off, e.g. 春节 2027-02-06 2027-02-12."))
    makeup_days = forms.CharField(
        label=_("Make-up working days (补班)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One line each: a name and the day, e.g. 春节 2027-02-14."))
    greeting = forms.CharField(label=_("Holiday answering script"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False, help_text=_("Optional: answered on these holidays instead of the "
                                                           "usual script."))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
