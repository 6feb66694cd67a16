"""Input shapes only; the rules live in ``lostfound.services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from csmgmt.core.onetime import OneTimeForm
from staff.models import Employee
from tickets.phones import PhoneField

from .images import image_check
from .models import Category, Claim, FoundItem, LostReport

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class PhotoField(forms.FileField):
    """Any file may be chosen; only real images (checked by content) pass."""

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data:
            image_check(data)
        return data


class FoundItemForm(OneTimeForm):
    source = forms.ChoiceField(label=_("Source"), choices=FoundItem.Source.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=300,
                                  help_text=_("What it is, colour, brand: e.g. 黑色苹果手机"))
    features = forms.CharField(label=_("Distinguishing features"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    found_place = forms.CharField(label=_("Where found"), max_length=200)
    found_at = forms.DateTimeField(label=_("When found"), widget=DATETIME, initial=_now_local)
    finder_name = forms.CharField(label=_("Finder"), max_length=100, required=False)
    finder_phone = PhoneField(label=_("Finder's phone"), required=False)
    finder_employee = forms.ModelChoiceField(label=_("Finder (employee)"), required=False,
                                             queryset=Employee.objects.filter(active=True).order_by("name"))
    valuable = forms.ChoiceField(
        label=_("Valuable"), required=False,
        choices=[("", _("By category (cash, phone, camera)")), ("yes", _("Yes")), ("no", _("No"))],
    )
    team_lead = forms.CharField(label=_("Team lead (on site)"), max_length=100, required=False)
    witness = forms.CharField(label=_("Witness (on site)"), max_length=100, required=False)
    photo = PhotoField(label=_("Photo"), required=False,
                       widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                       help_text=_("JPEG, PNG, GIF or WebP, at most 10 MB."))

    def clean(self):
        data = super().clean()
        if data.get("source") == FoundItem.Source.ON_SITE:
            for field in ("team_lead", "witness"):
                if not data.get(field):
                    self.add_error(field, _("Required for an item returned on the spot."))
            if not (data.get("finder_name") or data.get("finder_employee")):
                self.add_error("finder_name", _("Name the finder (or choose the employee) for an item returned on "
                                                "the spot."))
        if data.get("source") == FoundItem.Source.VISITOR and not data.get("finder_name"):
            self.add_error("finder_name", _("Name the visitor who found the item."))
        if data.get("source") == FoundItem.Source.EMPLOYEE and not (data.get("finder_employee")
                                                                    or data.get("finder_name")):
            self.add_error("finder_employee", _("Name the employee who found the item."))
        return data

    def valuable_value(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("valuable") or "")


class PhotoForm(OneTimeForm):
    photo = PhotoField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                       help_text=_("JPEG, PNG, GIF or WebP, at most 10 MB."))


class LostReportForm(OneTimeForm):
    owner_name = forms.CharField(label=pgettext_lazy("lost property", "Owner"), max_length=100)
    owner_phone = PhoneField(label=_("Owner's phone"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    features = forms.CharField(label=_("Distinguishing features"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    lost_place = forms.CharField(label=_("Where lost"), max_length=200, required=False)
    lost_at = forms.DateTimeField(label=_("When lost"), widget=DATETIME, initial=_now_local)
    # "save anyway" after the warning that an open report has the same phone (the agent decides): the number warned
    # about, so that another number typed after the warning is checked again
    duplicate_ok = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "duplicate_ok"}


class ClaimForm(forms.Form):
    claimant_name = forms.CharField(label=_("Claimant"), max_length=100)
    id_type = forms.ChoiceField(label=_("ID type"), choices=Claim.IdType.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=40,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = PhoneField(label=_("Contact phone"))
    description_given = forms.CharField(label=_("Description given by the claimant"),
                                        widget=forms.Textarea(attrs={"rows": 2}))
    verified_by = forms.ModelChoiceField(label=_("Verified by"), queryset=Employee.objects.none())
    witness = forms.CharField(label=_("Witness on site"), max_length=100, required=False)
    lost_report = forms.ModelChoiceField(label=_("Lost report"), required=False, queryset=LostReport.objects.none())
    signed_on_paper = forms.BooleanField(label=_("Signed on paper"), required=False)
    signature_data = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, verifiers=None, reports=None, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_by"].queryset = verifiers if verifiers is not None else Employee.objects.none()
        self.fields["lost_report"].queryset = reports if reports is not None else LostReport.objects.none()
        self.on_site = item is not None and item.source == FoundItem.Source.ON_SITE
        if self.on_site:  # REGULATIONS §6: a witness when the register was done on site
            self.fields["witness"].required = True
            self.fields["witness"].error_messages["required"] = _("Required: the item was registered on site.")

    def clean(self):
        data = super().clean()
        if not data.get("signed_on_paper") and not data.get("signature_data"):
            self.add_error(None, _("The claimant must sign: draw the signature or tick “signed on paper”."))
        return data


class StoreForm(forms.Form):
    storage_place = forms.CharField(label=_("Storage place"), max_length=200)
    handover_person = forms.CharField(label=_("Handed over by (交接人)"), max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class HandoverConfirmForm(forms.Form):
    finance_receiver = forms.CharField(label=_("Received by (finance)"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, words or phone")}))
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All"))] + Category.choices)
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(statuses)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


class SettingsForm(forms.Form):
    custody_time = forms.TimeField(label=_("End of day for custody"), widget=forms.TimeInput(attrs={"type": "time"},
                                                                                            format="%H:%M"))
    default_retention_days = forms.IntegerField(label=_("Default retention (days)"), min_value=1, max_value=3650)
    match_window_days = forms.IntegerField(label=_("Matching window (days)"), min_value=1, max_value=365)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[f"retention_{value}"] = forms.IntegerField(
                label=label, required=False, min_value=1, max_value=3650,
                help_text=_("Empty: the default retention."),
            )

    def retentions(self) -> dict:
        return {value: self.cleaned_data.get(f"retention_{value}") for value in Category.values}
