"""One-time tokens: every form that creates a record carries one, so the same rendered form posted twice (a retry,
a double click without JavaScript, the back button) makes one record, and the second POST is sent to it.

    class ComplaintCreateForm(OneTimeForm, forms.Form): ...        # adds the hidden ``form_token`` field

    try:
        complaint = once(form, by=employee, create=lambda: complaint_create(...),
                         url=lambda c: reverse("complaints:detail", args=[c.pk]), label=lambda c: c.number)
    except AlreadySubmitted as done:
        messages.info(request, done.message)
        return redirect(done.url)

The token is claimed in the same transaction as the record is written: when the service refuses, nothing is
claimed and the corrected form can be sent again; when two copies race, the database's unique constraint lets one
through and the other waits for it and is sent to its record."""

import uuid

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import FormSubmission

FIELD = "form_token"


class AlreadySubmitted(Exception):
    def __init__(self, submission: FormSubmission):
        self.submission = submission
        self.url = submission.url or "/"
        self.message = _("This form was already saved as %(record)s.") % {"record": submission.label or "—"}
        super().__init__(self.message)


class OneTimeForm(forms.Form):
    """A mixin for forms that create a record: a hidden token, new for each rendering. A form posted without one
    (or with a malformed one) is refused with a message; the page renders a fresh token with the errors."""

    EXPIRED = gettext_lazy("This form has expired: please check it and save again.")
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=True,
                                 error_messages={"required": EXPIRED, "invalid": EXPIRED})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD].initial = uuid.uuid4()

    def _post_clean(self):
        """A missing or spoiled token is said at the top of the form (the field itself is hidden)."""
        super()._post_clean()
        if FIELD in self._errors:
            self.add_error(None, list(self._errors.pop(FIELD)))
            self.renew_token()

    def validate_unique(self):
        """(Model forms.) A form whose token is already claimed is sent by :func:`once` to the record it made: the
        clash of its unique fields (a shift's or a category's code) with that very record is not an error. (The
        token is looked up only when there is a clash.)"""
        errors = type(self._errors)({field: listed.copy() for field, listed in self._errors.items()})
        cleaned = dict(self.cleaned_data)
        super().validate_unique()
        token = cleaned.get(FIELD)
        if self._errors != errors and token is not None and FormSubmission.objects.filter(token=token).exists():
            self._errors, self.cleaned_data = errors, cleaned

    def renew_token(self):
        """After a refused save the same token stays usable; after a *successful* one a page that shows the form
        again must give it a new token."""
        if self.is_bound:
            data = self.data.copy()
            data[FIELD] = str(uuid.uuid4())
            self.data = data


def already_saved(request, done: AlreadySubmitted) -> HttpResponseRedirect:
    """The answer to a second POST of the same form: to the record the first one made, saying so."""
    messages.info(request, done.message)
    return HttpResponseRedirect(done.url)


def once(form, *, by, create, url, label=lambda record: str(record)):
    """Run ``create()`` once for the form's token, as ``by``; returns what it made. A token already used raises
    :class:`AlreadySubmitted` carrying the first record's address.

    Two queries of its own: a look-up of the token, then — after ``create()``, in the same transaction — its row
    with the record's address. When two copies race past the look-up, the second insert of the token waits for
    the first transaction and fails on the unique token: the second transaction, its record with it, is rolled
    back and it is sent to the first one's record."""
    token = form.cleaned_data.pop(FIELD)  # the services are given the form's own fields only
    try:
        with transaction.atomic():
            done = FormSubmission.objects.filter(token=token).first()
            if done is not None:
                raise AlreadySubmitted(done)
            record = create()
            FormSubmission.objects.create(token=token, by=by, url=url(record)[:300], label=str(label(record))[:100])
    except IntegrityError:
        done = FormSubmission.objects.filter(token=token).first()
        if done is None:  # not the token's: the record's own
            raise
        raise AlreadySubmitted(done) from None
    return record
