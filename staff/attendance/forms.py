from django import forms
from django.utils.translation import gettext_lazy as _

from csmgmt.core.onetime import OneTimeForm
from staff.models import Correction, DayStatus, DutyLogEntry, LeaveRequest, Punch, Shift

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["code", "name", "is_rest", "start", "end", "crosses_midnight", "grace_minutes",
                  "late_threshold_minutes", "early_threshold_minutes", "window_before_minutes",
                  "window_after_minutes", "active"]
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean(self):
        data = super().clean()
        if not data.get("is_rest") and (not data.get("start") or not data.get("end")):
            raise forms.ValidationError(_("A working shift needs a start and an end."))
        if data.get("start") and data.get("end") and data["end"] <= data["start"] and not data.get("crosses_midnight"):
            self.add_error("crosses_midnight", _("The end is before the start: tick “ends the next day”."))
        return data


class ShiftNewForm(OneTimeForm, ShiftForm):
    """A new shift: once per rendered form (its unique code refused a second copy with an error; now it is sent to
    the first)."""


class LeaveForm(OneTimeForm):
    kind = forms.ChoiceField(label=_("Type"), choices=LeaveRequest.Kind.choices)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    part = forms.ChoiceField(label=_("Part of the day"), choices=LeaveRequest.Part.choices,
                             initial=LeaveRequest.Part.FULL,
                             help_text=_("A half day covers one day: first and last day the same."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    emergency = forms.BooleanField(label=_("Emergency (personal leave asked today)"), required=False)
    certificate = forms.FileField(label=_("Certificate (photo or PDF, at most 10 MB)"), required=False,
                                  help_text=_("Required for sick leave of a day or more."))

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The last day is before the first day."))
        return data


class CorrectionForm(OneTimeForm):
    date = forms.DateField(label=_("Day"), widget=DATE)
    kind = forms.ChoiceField(label=_("What to fix"), choices=Correction.Kind.choices)
    punch_at = forms.DateTimeField(label=_("Time of the missed punch"), required=False, widget=DATETIME,
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", "—"), ("in", _("In")), ("out", _("Out"))])
    requested_code = forms.ChoiceField(label=_("Correct status"), required=False,
                                       choices=[("", "—")] + [c for c in DayStatus.Code.choices if c[0]])
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ManualPunchForm(OneTimeForm):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    at = forms.DateTimeField(label=_("Time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    direction = forms.ChoiceField(label=_("Direction"), choices=Punch.Direction.choices, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class DutyEntryForm(forms.ModelForm):
    class Meta:
        model = DutyLogEntry
        fields = ["date", "shift", "duty_manager", "events", "unfinished_work", "complaints_in_progress",
                  "handed_over", "instructions"]
        widgets = {"date": DATE, **{f: forms.Textarea(attrs={"rows": 2}) for f in
                   ("events", "unfinished_work", "complaints_in_progress", "handed_over", "instructions")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(active=True, is_rest=False)


class DutySignForm(forms.Form):
    problems_found = forms.CharField(label=_("Problems found at handover"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class DutyNewForm(OneTimeForm, DutyEntryForm):
    """A new duty log entry (or addendum): once per rendered form."""


class PhoneInForm(OneTimeForm, forms.Form):
    """A same-day sick call recorded by the supervisor (REGULATIONS §4): who called in, when, for which days."""

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    called_at = forms.DateTimeField(label=_("Time of the call"), widget=DATETIME,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    kind = forms.ChoiceField(label=_("Type"), choices=[(LeaveRequest.Kind.SICK, LeaveRequest.Kind.SICK.label),
                                                       (LeaveRequest.Kind.PERSONAL, _("Personal leave (emergency)"))])
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    part = forms.ChoiceField(label=_("Part of the day"), choices=LeaveRequest.Part.choices,
                             initial=LeaveRequest.Part.FULL)
    reason = forms.CharField(label=_("What the caller said"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    certificate = forms.FileField(label=_("Certificate (photo or PDF, at most 10 MB)"), required=False,
                                  help_text=_("It may follow: until the end of the employee's first rostered "
                                              "working day after the leave."))

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class CertificateForm(forms.Form):
    certificate = forms.FileField(label=_("Certificate (photo or PDF, at most 10 MB)"))


class LateCertificateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("keep", _("Keep the leave")),
                                                               ("absent", _("Record the days as absent (旷工)"))])
    reason = forms.CharField(label=_("Reason"), max_length=500)


class LeaveSettingsForm(forms.Form):
    long_leave_days = forms.IntegerField(label=_("Long-leave threshold (days)"), min_value=1, max_value=366,
                                         help_text=_("Leave longer than this needs a manager after the supervisor."))


class DeputyForm(OneTimeForm, forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None)
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=None)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["deputy"].queryset = supervisors
