from django import forms
from django.utils.translation import gettext_lazy as _


class EmployeeImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"),
                           help_text=_("Columns: employee_no, name, department, team, roles, supervisor_no, phone; "
                                       "optional: email, joined_on and left_on (YYYY-MM-DD)."))
    create_departments = forms.BooleanField(label=_("Create unknown departments"), required=False)
    initial_password = forms.CharField(
        label=_("Initial password for new logins"), required=False, widget=forms.PasswordInput,
        help_text=_("Leave empty to create logins without a password; set one later in the admin."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f
