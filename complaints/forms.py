"""Input shapes only; the rules live in ``complaints.services``."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.onetime import OneTimeForm
from staff.models import Department, Employee
from tickets.phones import PhoneField

from .models import (ClockUnit, ClockKind, Complaint, FaultLevel, ResponseMethod, Satisfaction, Severity)

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NULL_BOOL = [("", _("Not known")), ("true", _("Yes")), ("false", _("No"))]


def _yes_no(value):
    return {"true": True, "false": False}.get(value)


class ComplaintCreateForm(OneTimeForm, forms.ModelForm):
    evidence = forms.FileField(label=_("evidence file"), required=False,
                               help_text=_("Images, PDF or office documents, up to 10 MB."))
    received_at = forms.DateTimeField(label=pgettext_lazy("complaint", "received at"), widget=DT_WIDGET,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    complainant_phone = PhoneField(label=_("complainant phone"), required=False)

    class Meta:
        model = Complaint
        fields = ["received_at", "channel", "complainant_name", "complainant_phone", "complainant_contact",
                  "against_department", "against_person", "against_employee", "demand", "demand_detail", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against_department"].queryset = Department.objects.filter(active=True)
        self.fields["against_employee"].queryset = Employee.objects.filter(active=True).order_by("employee_no")
        self.fields["content"].required = True
        self.fields["complainant_name"].widget.attrs["autofocus"] = True
        for field in self.fields.values():
            field.label = capfirst(field.label)
        if not self.is_bound and not self.initial.get("received_at"):
            self.initial["received_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_evidence(self):
        from .services import ComplaintError, evidence_check

        upload = self.cleaned_data.get("evidence")
        if upload:
            try:
                evidence_check(upload)
            except ComplaintError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return value


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([f for f in self.fields if f != "comment"] + ["comment"])
        for field in self.fields.values():
            field.label = capfirst(field.label)

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "comment"}


class ReasonForm(CommentForm):
    comment = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=300)


class AnalyseForm(CommentForm):
    verified = forms.TypedChoiceField(label=_("verified true and reasonable"), choices=NULL_BOOL, coerce=_yes_no,
                                      required=False, empty_value=None)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices,
                                 help_text=_("Major: involves compensation, or the agent cannot resolve it."))
    cause = forms.CharField(label=_("cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_repeat = forms.BooleanField(label=_("repeat complaint (第二次投诉)"), required=False)
    repeat_number = forms.CharField(label=_("number of the earlier complaint"), required=False, max_length=30)

    def clean_repeat_number(self):
        number = self.cleaned_data["repeat_number"].strip()
        if not number:
            return None
        try:
            return Complaint.objects.get(number=number)
        except Complaint.DoesNotExist:
            raise forms.ValidationError(_("No complaint has the number %(n)s.") % {"n": number}) from None

    def data_for_service(self) -> dict:
        data = super().data_for_service()
        data["repeat_of"] = data.pop("repeat_number")
        return data


class AssignForm(CommentForm):
    responsible_department = forms.ModelChoiceField(label=_("responsible department"),
                                                    queryset=Department.objects.filter(active=True))
    responsible_person = forms.ModelChoiceField(label=_("responsible person (if known)"), required=False,
                                                queryset=Employee.objects.filter(active=True)
                                                .select_related("department"))


class AssignWriterForm(CommentForm):
    """A complaint against 客服部: the manager names who in 客服部 writes its plan (REGULATIONS §3)."""

    plan_writer = forms.ModelChoiceField(
        label=_("plan writer (in 客服部)"),
        queryset=Employee.objects.filter(active=True, department__kind=Department.Kind.CUSTOMER_SERVICE)
        .order_by("employee_no"),
        help_text=_("Neither you nor the person complained about: a manager who did not write the plan approves it."))


class PlanForm(CommentForm):
    findings = forms.CharField(label=_("investigation findings"), widget=forms.Textarea(attrs={"rows": 3}))
    root_cause = forms.CharField(label=_("cause found"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action_immediate = forms.CharField(label=_("immediate action"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    action_corrective = forms.CharField(label=_("corrective action"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    action_preventive = forms.CharField(label=_("preventive action"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    compensation = forms.DecimalField(label=_("compensation (元)"), required=False, min_value=0, max_digits=12,
                                      decimal_places=2)
    promised_by = forms.DateTimeField(label=_("deadline promised to the customer"), widget=DT_WIDGET,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class RespondForm(CommentForm):
    response_method = forms.ChoiceField(label=_("answered by"), choices=ResponseMethod.choices)
    response_text = forms.CharField(label=_("how the customer was answered and what was done"),
                                    widget=forms.Textarea(attrs={"rows": 3}))
    customer_agreed = forms.TypedChoiceField(label=_("customer agreed"), choices=NULL_BOOL, coerce=_yes_no,
                                             required=False, empty_value=None)


class RevisitForm(CommentForm):
    satisfaction_attitude = forms.TypedChoiceField(label=_("satisfaction with attitude"),
                                                   choices=Satisfaction.choices, coerce=int)
    satisfaction_result = forms.TypedChoiceField(label=_("satisfaction with result"),
                                                 choices=Satisfaction.choices, coerce=int)
    revisit_comment = forms.CharField(label=_("revisit comments"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class NextReplyForm(CommentForm):
    """The complaint cannot be settled on this call: when the customer will hear from us next."""

    next_reply_at = forms.DateTimeField(label=_("next reply time agreed with the customer"), widget=DT_WIDGET,
                                        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    comment = forms.CharField(label=_("what the customer was told"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(CommentForm):
    closing_note = forms.CharField(label=_("closing note"), widget=forms.Textarea(attrs={"rows": 2}))
    fault_level = forms.ChoiceField(label=_("fault level"), choices=FaultLevel.choices)
    responsible_employee = forms.ModelChoiceField(label=_("responsible employee"), required=False,
                                                  queryset=Employee.objects.filter(active=True))


class EvidenceForm(OneTimeForm):
    file = forms.FileField(label=_("evidence file"),
                           help_text=_("Images, PDF or office documents, up to 10 MB."))


class ClockLengthsForm(forms.Form):
    """One whole-hours field per (clock, severity)."""

    def __init__(self, *args, lengths: dict, units: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units or {}
        for kind in ClockKind:
            for severity in Severity:
                if (kind.value, severity.value) not in lengths:  # a clock that severity does not run
                    continue
                self.fields[f"{kind.value}__{severity.value}"] = forms.IntegerField(
                    label=f"{kind.label} · {severity.label}", min_value=1, max_value=24 * 365,
                    initial=lengths[(kind.value, severity.value)])
                # REGULATIONS §9: calendar time (the default) or the working time of whoever must act
                self.fields[f"unit__{kind.value}__{severity.value}"] = forms.ChoiceField(
                    label=_("counts"), choices=ClockUnit.choices, required=False,
                    initial=units.get((kind.value, severity.value), ClockUnit.CALENDAR))

    def hours(self) -> dict:
        return {tuple(name.split("__")): value for name, value in self.cleaned_data.items()
                if not name.startswith("unit__")}

    def pairs(self) -> list:
        """[(length field, unit field)] in the table's order."""
        return [(self[name], self[f"unit__{name}"]) for name in self.fields if not name.startswith("unit__")]

    def units(self) -> dict:
        return {tuple(name.split("__")[1:]): value for name, value in self.cleaned_data.items()
                if name.startswith("unit__") and value}


# Which form each action posts; the page shows one card per form with its available actions.
FORM_FOR_ACTION = {
    "uphold": ("analyse", AnalyseForm), "reject": ("analyse", AnalyseForm),
    "assign": ("assign", AssignForm),
    "assign_writer": ("assign_writer", AssignWriterForm),
    "submit_plan": ("plan", PlanForm), "submit_plan_to_manager": ("plan", PlanForm),
    "progress": ("progress", CommentForm),
    "approve": ("decision", CommentForm), "approve_first": ("decision", CommentForm),
    "approve_final": ("decision", CommentForm), "send_back": ("decision", CommentForm),
    "manager_send_back": ("decision", CommentForm),
    "respond": ("respond", RespondForm),
    "revisit": ("revisit", RevisitForm), "reopen": ("revisit", RevisitForm),
    "reopen_analysis": ("revisit", RevisitForm),
    "close": ("close", CloseForm),
    "agree_next_reply": ("next_reply", NextReplyForm),
    "withdraw": ("withdraw", ReasonForm),
    "pause": ("pause", ReasonForm), "resume": ("resume", ReasonForm),
}
