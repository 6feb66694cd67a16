import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.onetime import OneTimeForm
from csmgmt.core.widgets import FastSelect
from staff.models import Department, Employee

from .models import Call, Customer, IntakeSettings, RevisitSettings, Satisfaction, Script
from .phones import PhoneField

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


class TimeBoxField(forms.DateTimeField):
    """A date and time in one text box (one Tab stop, where the browser's date-time picker takes seven):
    ``2026-12-04 15:30``, or ``15:30`` for today. Intake's received-at and promised reply time."""

    widget = forms.DateTimeInput(format="%Y-%m-%d %H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d %H:%M", DATETIME_INPUT, "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"])
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": _("YYYY-MM-DD HH:MM"), "autocomplete": "off"})

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if isinstance(text, str) and re.fullmatch(r"[0-2]?[0-9][:：][0-5][0-9]", text):
            try:
                at = dt.datetime.strptime(text.replace("：", ":"), "%H:%M").time()
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            return timezone.make_aware(dt.datetime.combine(timezone.localdate(), at))
        return super().to_python(value)


# The intake form's fields in the order the page shows them: after a refused save the first one with an error
# gets the focus.
INTAKE_ORDER = ("caller_phone", "caller_name", "address_form", "organisation", "channel", "direction", "importance",
                "urgency", "valid", "received_at", "category", "summary", "details", "outcome", "department",
                "reply_due_at", "hand_to", "hand_reason")
# folded under one Tab stop on the intake page
MORE_FIELDS = ("channel", "direction", "importance", "urgency", "needs_revisit")


class CallForm(forms.ModelForm):
    """Intake and edit. The phone number comes first; Enter in the last field saves."""

    caller_phone = PhoneField(label=_("Caller phone"), required=False)
    received_at = TimeBoxField(label=pgettext_lazy("call", "Received at"), required=False)
    reply_due_at = TimeBoxField(label=_("Reply due"), required=False,
                            help_text=_("YYYY-MM-DD HH:MM, or HH:MM for today. Empty: 2 hours for phone, 24 hours "
                                        "for email; 20 minutes for a repair request sent to a department."))

    class Meta:
        model = Call
        fields = ["caller_phone", "caller_name", "address_form", "organisation", "channel", "direction",
                  "category", "importance", "urgency", "summary", "details", "outcome", "department",
                  "reply_due_at"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, may_set_received_at=False, allow_complaint_outcome=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_set_received_at = may_set_received_at
        if not may_set_received_at:
            self.fields["received_at"].disabled = True
            self.fields["received_at"].help_text = _("Set automatically; only a supervisor changes it.")
        if not allow_complaint_outcome:
            self.fields["outcome"].choices = [c for c in Call.Outcome.choices if c[0] != Call.Outcome.COMPLAINT]
        else:  # a call opened as a complaint keeps that outcome (the service refuses a change too)
            self.fields["outcome"].disabled = True
            self.fields["outcome"].help_text = _("The call was opened as a complaint; its outcome stays.")
        self.fields["department"].queryset = Department.objects.filter(active=True).exclude(
            kind=Department.Kind.CUSTOMER_SERVICE)
        self.fields["department"].required = False
        self.fields["department"].empty_label = _("— not transferred —")
        self.fields["caller_phone"].required = False
        self.fields["caller_phone"].widget.attrs["autofocus"] = True
        self.fields["caller_phone"].stored = self.instance.caller_phone if self.instance.pk else ""
        self.fields["caller_phone"].help_text = _("Any format: 138 0013 8000, +86 138…, 010-8888 6666.")
        self.fields["summary"].required = True
        self.fields["details"].widget.attrs["data-ctrl-enter"] = "save"
        self.fields["reply_due_at"].widget.attrs["data-last-field"] = "1"

    def _get_validation_exclusions(self):
        # The service fills the default due time and drops the department by outcome: the model's
        # constraints on them are checked after that, not on the raw form input.
        exclude = super()._get_validation_exclusions()
        exclude.update({"reply_due_at", "department", "status"})
        return exclude

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Call.Outcome.TRANSFERRED and not data.get("department"):
            self.add_error("department", _("Choose the department the call is transferred to."))
        due = data.get("reply_due_at")
        if due and outcome in (Call.Outcome.REPLY_PROMISED, Call.Outcome.TRANSFERRED) and self.instance.pk is None \
                and due < timezone.now():
            self.add_error("reply_due_at", _("The promised reply time is in the past."))
        return data

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}

    def first_error(self) -> str:
        """The field the cursor goes to after a refused save: the first with an error, in the page's order."""
        return next((name for name in INTAKE_ORDER if name in self.errors), "")

    def more_has_errors(self) -> bool:
        return any(name in self.errors for name in MORE_FIELDS)

    def focus_first_error(self) -> None:
        name = self.first_error()
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        if name:
            self.fields[name].widget.attrs["autofocus"] = True


def colleagues():
    return Employee.objects.filter(active=True, user__groups__name__in=["agent", "supervisor", "manager"]) \
        .distinct().order_by("name")


VALID_CHOICES = [("", _("— choose —")), ("1", _("Valid (有效)")), ("0", _("Not valid (无效)"))]
VALID_HELP = _("Valid: a new customer's enquiry, or an existing customer's order. Not valid: an existing "
               "customer's after-sales matter, a cooperation offer and the like.")


def valid_value(code: str) -> bool | None:
    return {"1": True, "0": False}.get(code)


class IntakeForm(OneTimeForm, CallForm):
    """The intake form: a call may also be handed straight to a named colleague (首问负责, with a reason). Every
    inbound call is marked valid or not (有效电话, REGULATIONS §2). It carries the one-time token of every form that
    creates a record: the same rendered form saved twice logs one call."""

    valid = forms.ChoiceField(label=_("Valid call (有效电话)"), required=False, choices=VALID_CHOICES,
                              help_text=VALID_HELP)

    hand_to = forms.ModelChoiceField(label=_("Hand to a colleague"), required=False, queryset=Employee.objects.none(),
                                     empty_label=_("— keep it myself —"), widget=FastSelect)
    hand_reason = forms.CharField(label=_("Reason for handing over"), required=False, max_length=500)
    again = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    # the telephone exchange's id of the call (the pop-up's intake, issue 21): the saved call carries it
    exchange_call_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # REGULATIONS §10: the category's default (a manager's setting) unless the agent says otherwise
    needs_revisit = forms.ChoiceField(label=_("Revisit the customer"), required=False,
                                      choices=[("", _("As the category says")), ("1", _("Needs a revisit")),
                                               ("0", _("No revisit needed"))],
                                      help_text=_("Due 2 working days after the call by default; a repair sent to a "
                                                  "department is revisited once finished."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hand_to"].queryset = colleagues()

    def clean(self):
        data = super().clean()
        if data.get("hand_to") and not (data.get("hand_reason") or "").strip():
            self.add_error("hand_reason", _("Give the reason for handing the call over."))
        if data.get("hand_to") and data.get("outcome") == Call.Outcome.RESOLVED:
            self.add_error("hand_to", _("A call resolved on the spot is not handed over."))
        if data.get("direction") == Call.Direction.INBOUND and valid_value(data.get("valid", "")) is None:
            self.add_error("valid", _("Mark whether the inbound call is valid."))
        return data

    def service_data(self) -> dict:
        return {**super().service_data(), "valid": valid_value(self.cleaned_data.get("valid", "")),
                "needs_revisit": valid_value(self.cleaned_data.get("needs_revisit", ""))}


class ValidCheckForm(forms.Form):
    """A supervisor confirms or corrects the agent's marking."""

    valid = forms.TypedChoiceField(label=_("The call is"), choices=VALID_CHOICES[1:], coerce=valid_value,
                                   help_text=VALID_HELP)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class MarkingViolationForm(OneTimeForm):
    """One click: the §5 violation "wrong valid/invalid marking" for the call's agent (a creating form)."""


class RepairTimeForm(forms.Form):
    at = forms.DateTimeField(label=_("At"), required=False, widget=DateTimeLocalInput(),
                             input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
                             help_text=_("Empty: now."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class RevisitForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("Customer's satisfaction"), coerce=int,
                                          choices=[("", _("— choose —"))] + list(Satisfaction.choices))
    note = forms.CharField(label=_("What the customer said"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your department's reply"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=300)


class HandOverForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Hand over to"), queryset=Employee.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = colleagues()


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Phone, name or words of the summary")}))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("Any category"))] + list(Call.Category.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel"))] + list(Call.Channel.choices))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Any outcome"))] + list(Call.Outcome.choices))
    agent = forms.ModelChoiceField(label=_("Agent"), required=False, queryset=Employee.objects.none(),
                                   empty_label=_("Any agent"), widget=FastSelect)
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.none(),
                                        empty_label=_("Any department"), widget=FastSelect)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("Any state")), ("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed")),
        ("voided", _("Voided"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = Employee.objects.filter(
            user__groups__name__in=["agent", "supervisor", "manager"]).distinct().order_by("employee_no")
        self.fields["department"].queryset = Department.objects.exclude(kind=Department.Kind.CUSTOMER_SERVICE)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class CustomerForm(forms.ModelForm):
    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas, e.g. VIP, 媒体"))
    add_phone = PhoneField(label=_("Add a number"), required=False)

    class Meta:
        model = Customer
        fields = ["name", "address_form", "organisation", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["tags_text"].initial = ", ".join(self.instance.tags or [])

    def service_data(self) -> dict:
        tags = [t.strip() for t in self.cleaned_data["tags_text"].replace("，", ",").split(",") if t.strip()]
        return {"name": self.cleaned_data["name"], "address_form": self.cleaned_data["address_form"],
                "organisation": self.cleaned_data["organisation"], "address": self.cleaned_data["address"],
                "notes": self.cleaned_data["notes"],
                "tags": list(dict.fromkeys(tags))}


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Merge this other profile into this one"),
                                   queryset=Customer.objects.filter(merged_into__isnull=True),
                                   widget=forms.NumberInput, help_text=_("The other profile's number (ID)."))


class ScriptForm(forms.ModelForm):
    class Meta:
        model = Script
        fields = ["text", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class IntakeSettingsForm(forms.ModelForm):
    class Meta:
        model = IntakeSettings
        fields = ["phone_reply_hours", "phone_reply_unit", "email_reply_hours", "email_reply_unit",
                  "remind_before_minutes", "repair_callback_minutes", "repair_callback_unit"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))


class RevisitSettleForm(forms.Form):
    comment = forms.CharField(label=_("How it was settled"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RevisitNeedForm(forms.Form):
    needs = forms.TypedChoiceField(choices=[("1", _("Needs a revisit")), ("0", _("No revisit needed"))],
                                   coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class RevisitSettingsForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(label=_("Call categories revisited by default"), required=False,
                                           choices=Call.Category.choices, widget=forms.CheckboxSelectMultiple,
                                           help_text=_("The agent may still tick or untick “needs a revisit” on a "
                                                       "call. A repair request sent to a department is always "
                                                       "revisited once finished."))
    due_days = forms.IntegerField(label=_("Revisit due after, days"), min_value=1, max_value=30)

    class Meta:
        model = RevisitSettings
        fields = ["categories", "due_days", "due_unit"]
