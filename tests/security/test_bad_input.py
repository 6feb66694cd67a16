"""Random and hostile values posted to every create and edit form, as a user who may use it: never a 500,
never a half-saved record (row counts unchanged when the form is refused), and the page says what is wrong.

The forms are found, not listed: every row of the permission matrix that a role may both open and post to is
opened, and the forms and formsets in the page's context are what gets filled. Each request runs in a
savepoint that is rolled back, so the examples do not pile up."""

import datetime
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.security.permission_matrix import MATRIX, ROLES
from tests.security.probe import client_as, row_counts, url_for
from tests.security.world import KWARGS, VARIANTS

# Pages a role may open and post to that show no form posting back to themselves (lists and detail pages
# whose buttons post to other URLs, downloads): their POST is covered by the permission matrix. Every other
# such page is a form page and gets the hostile examples; the test fails if a page changes sides.
NOT_FORMS = {
    # the clock answers a GET by sending to the attendance page; integrations, the telephone lists and the API's
    # documentation show no form posting to their own address
    "staff:attendance_clock", "integrations:list", "integrations:detail", "telephony:to_log", "telephony:missed",
    "telephony:ringing", "api:openapi-json", "api:openapi-view",
    "complaints:all", "complaints:approvals", "complaints:department", "complaints:detail",
    "complaints:evidence", "complaints:evidence_image", "complaints:mine", "complaints:overdue", "complaints:print", "complaints:revisits", "complaints:revisit_week", "imports:detail", "imports:status",
    "complaints:statistics", "complaints:statistics_xlsx", "healthz", "home", "login", "lostfound:claim",
    "lostfound:claim_signature", "lostfound:custody", "lostfound:handovers", "lostfound:item",
    "lostfound:item_card", "lostfound:item_receipt", "lostfound:items", "lostfound:photo", "lostfound:report",
    "lostfound:reports", "lostfound:summary", "reports:dashboard", "reports:download", "reports:jobs",
    "reports:list", "reports:row", "reports:team", "staff:attendance_approvals", "staff:attendance_duty",
    "staff:attendance_duty_detail", "staff:attendance_leave", "staff:attendance_leave_certificate",
    "staff:attendance_leave_detail", "staff:attendance_my", "staff:attendance_roster",
    "staff:attendance_shifts", "staff:attendance_team", "staff:notifications", "staff:scoring_appeals",
    "staff:scoring_card", "staff:scoring_employee_card", "staff:scoring_evidence", "staff:scoring_fund",
    "staff:scoring_manual_list", "staff:scoring_month", "staff:scoring_rule_sets", "tickets:customer_detail",
    "tickets:customers", "tickets:department_queue", "tickets:detail", "tickets:export",
    "tickets:history_panel", "tickets:list", "knowledge:list", "knowledge:detail", "quality:detail", "quality:mine",
    "quality:month", "tickets:revisits", "tickets:revisits_team", "tickets:revisits_unsatisfied",
}
HOSTILE = [
    "x" * 20000, "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "😀" * 60, "𠜎𠜱𠝹" * 30, "'; DROP TABLE tickets_call; --",
    "1 OR 1=1", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "%s%s%n",
    "-1", "-999999999999999999999", "1e309", "NaN", "Infinity", "0x1F", "3.5", "2026-02-30", "31/31/2026",
    "9999-99-99", "0000-00-00", "2026-13-01T25:61", "", " ", "\t\n", "０１２３", "1" * 60, "true", "[]",
    '{"a": 1}', "../../etc/passwd", "null", "None",
]
SAMPLE_FILES = [
    ("x.png", b"<html><script>alert(1)</script></html>", "image/png"),
    ("x.csv", b"\xff\xfe\x00garbage,\n\x00", "text/csv"),
    ("x.xlsx", b"PK\x03\x04not a zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("empty.pdf", b"", "application/pdf"),
]


def _permitted(row):
    _name, _variant, get_cells, post_cells = row
    for i, role in enumerate(ROLES):
        if get_cells[i] == "Y" and post_cells[i] == "Y":
            return role
    return None


ROWS = [(row[0], row[1], _permitted(row)) for row in MATRIX if _permitted(row) and not row[1]]


SELF_POST = re.compile(r'<form(?=[^>]*method="post")(?:[^>]*?action="([^"]*)")?[^>]*>', re.I)


def _forms_in(context):
    found = []
    if context is None:
        return found
    for layer in context:
        for value in layer.flatten().values() if hasattr(layer, "flatten") else []:
            if isinstance(value, (forms.BaseForm, BaseFormSet)) and all(value is not f for f in found):
                found.append(value)
    return found


def _valid_choice(field):
    choices = [c for c, _label in getattr(field, "choices", []) if c not in ("", None)]
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.order_by("pk").first()
        return str(first.pk) if first is not None else ""
    return str(choices[0]) if choices else ""


def _value_strategy(field):
    hostile = st.sampled_from(HOSTILE) | st.text(max_size=200)
    if isinstance(field, forms.FileField):
        return st.sampled_from(SAMPLE_FILES).map(lambda f: SimpleUploadedFile(*f)) | st.none()
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return st.just(_valid_choice(field)) | hostile
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "2"]) | hostile
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return st.dates(min_value=datetime.date(1, 1, 1)).map(str) | hostile
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return st.integers(min_value=-10**20, max_value=10**20).map(str) | hostile
    return hostile


HIDDEN = re.compile(r'<input(?=[^>]*type="hidden")(?=[^>]*name="([^"]+)")(?=[^>]*value="([^"]*)")[^>]*>', re.I)


def _data_strategy(page_forms, html):
    """Each field: a hostile or random value, a plausible one, or missing altogether. The page's own hidden
    inputs (e.g. which of two forms is sent) are kept as the page has them."""
    parts = {}
    fixed = {name: value for name, value in HIDDEN.findall(html) if name != "csrfmiddlewaretoken"}
    for form in page_forms:
        if isinstance(form, BaseFormSet):
            mgmt = form.management_form
            for name in mgmt.fields:
                fixed[mgmt.add_prefix(name)] = str(mgmt.initial.get(name, mgmt[name].value() or 0))
            members = list(form.forms)
        else:
            members = [form]
        for member in members:
            for name, field in member.fields.items():
                parts[member.add_prefix(name)] = st.one_of(st.none(), _value_strategy(field))
    # a browser always sends the CSRF token, so a POST is never empty (``Form(request.POST or None)``)
    fixed["csrfmiddlewaretoken"] = "x"
    return st.fixed_dictionaries(parts).map(
        lambda d: {**fixed, **{k: v for k, v in d.items() if v is not None}})


def _shows_what_is_wrong(html: str) -> bool:
    return any(marker in html for marker in ("is-invalid", "invalid-feedback", "errorlist", "alert-danger",
                                             "alert-warning", "alert alert-"))


@pytest.mark.parametrize(("name", "variant", "role"), ROWS, ids=[r[0] for r in ROWS])
def test_hostile_input_never_breaks_a_form(name, variant, role, world, db):
    from django.db import transaction

    user = world.users[role]
    client = client_as(user)
    url = url_for(name, VARIANTS[(name, variant)] if variant else KWARGS.get(name), world)
    page = client.get(url)
    if page.streaming:  # a download, not a form
        assert name in NOT_FORMS, f"{name} serves a download: list it in NOT_FORMS"
        return
    page_forms = [f for f in _forms_in(page.context) if getattr(f, "fields", None) or isinstance(f, BaseFormSet)]
    posts_here = any(m.group(1) in (None, "", url) for m in SELF_POST.finditer(page.content.decode()))
    if page.status_code != 200 or not page_forms or not posts_here:
        # Not a form page (a button, a download, a list): the matrix's empty POST covers it.
        assert page.status_code in (200, 302, 405), page.status_code
        assert name in NOT_FORMS, f"{name} no longer shows a form posting to itself: list it in NOT_FORMS"
        return
    assert name not in NOT_FORMS, f"{name} now shows a form: take it out of NOT_FORMS so it is tested"

    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=_data_strategy(page_forms, page.content.decode()))
    def post_it(data):
        with transaction.atomic():
            before = row_counts()
            response = client.post(url, data)
            after = row_counts()
            transaction.set_rollback(True)
        assert response.status_code < 500, (response.status_code, data)
        if response.status_code == 200:  # the form came back: refused, nothing written
            assert after == before, ({t: (before[t], after[t]) for t in before if before[t] != after[t]}, data)
            assert _shows_what_is_wrong(response.content.decode()), data

    post_it()
