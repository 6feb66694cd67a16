"""The one-time token of a form that creates a record: one record per rendered form, the second POST is sent to
it; a refused save leaves the token usable."""

import uuid

import pytest
from django import forms

from csmgmt.core.models import FormSubmission
from csmgmt.core.onetime import AlreadySubmitted, OneTimeForm, once
from staff.models import Department


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


class DepartmentForm(OneTimeForm):
    name = forms.CharField()


def _bound(token, name="售后服务部"):
    form = DepartmentForm({"form_token": str(token), "name": name})
    assert form.is_valid(), form.errors
    return form


def _create(name):
    return lambda: Department.objects.create(name=name, code=name)


def test_the_same_form_saved_twice_makes_one_record_and_points_at_it(make_employee):
    by = make_employee("agent")
    token = uuid.uuid4()
    first = once(_bound(token), by=by, create=_create("售后服务部"), url=lambda d: f"/departments/{d.pk}/",
                 label=lambda d: d.name)
    with pytest.raises(AlreadySubmitted) as again:
        once(_bound(token), by=by, create=_create("售后服务部2"), url=lambda d: "/x/")
    assert again.value.url == f"/departments/{first.pk}/"
    assert again.value.message == "This form was already saved as 售后服务部."
    assert Department.objects.filter(name__startswith="售后服务部").count() == 1


def test_a_refused_save_claims_nothing(make_employee):
    by = make_employee("agent")
    token = uuid.uuid4()

    def refuse():
        raise ValueError("refused")

    with pytest.raises(ValueError):
        once(_bound(token), by=by, create=refuse, url=lambda d: "/")
    assert not FormSubmission.objects.filter(token=token).exists()
    made = once(_bound(token), by=by, create=_create("售后服务部"), url=lambda d: "/")
    assert made.pk is not None


def test_a_form_without_its_token_is_refused_with_a_message():
    form = DepartmentForm({"name": "售后服务部"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["This form has expired: please check it and save again."]  # shown on top
    assert DepartmentForm().fields["form_token"].initial != DepartmentForm().fields["form_token"].initial
