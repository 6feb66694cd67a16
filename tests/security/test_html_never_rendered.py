"""HTML a user typed is shown as text everywhere: every free-text column of every record in the demo world is
overwritten with markup, and every page any role may open (the permission matrix's allowed GETs: lists,
detail pages, printables, the history panels, notifications, the home widgets) must show it escaped.
No template or module switches escaping off (a grep with an allowlist that is empty today)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.security.permission_matrix import MATRIX, ROLES
from tests.security.probe import client_as, send, url_for
from tests.security.world import KWARGS, VARIANTS

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
OUR_APPS = {"staff", "tickets", "complaints", "lostfound", "csmgmt"}
# Columns that are not free text a user types: identifiers, numbers, keys, stored file names, codes.
NOT_FREE_TEXT = re.compile(r"(^|_)(no|number|key|code|phone|phones|link|file|signature|original|display|"
                           r"thumbnail|language|username|password|email|token|kind|status|stage|ip|month|"
                           r"period|prefix|source|action|history_change_reason|history_type|mime|content_type|size|field)$")
ROOT = Path(__file__).resolve().parents[2]


def _free_text_fields(model):
    for f in model._meta.concrete_fields:
        if not isinstance(f, (models.CharField, models.TextField)) or isinstance(f, (models.EmailField,
                                                                                    models.URLField)):
            continue
        if f.choices or f.unique or f.primary_key or NOT_FREE_TEXT.search(f.name):
            continue
        if f.max_length is not None and f.max_length < max(map(len, PAYLOADS)):
            continue
        yield f


def _poison_every_free_text_column() -> list[str]:
    poisoned = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or not model._meta.managed:
            continue
        fields = list(_free_text_fields(model))
        for i, f in enumerate(fields):
            model._base_manager.exclude(**{f.name: ""}).update(**{f.name: PAYLOADS[i % 2]})
            poisoned.append(f"{model._meta.label}.{f.name}")
    # names people and records are known by (employees, customers) are typed by people too
    from staff.models import Employee
    from tickets.models import Customer

    Employee.objects.filter(pk__in=Employee.objects.order_by("pk").values("pk")[:4]).update(name=PAYLOADS[0])
    Customer.objects.update(name=PAYLOADS[1])
    return poisoned


def test_the_poisoning_reaches_the_fields_users_type(world, db):
    poisoned = set(_poison_every_free_text_column())
    assert {"tickets.Call.summary", "tickets.Call.details", "tickets.CallEvent.text", "tickets.Customer.notes",
            "complaints.Complaint.content", "complaints.ComplaintEvent.comment", "lostfound.FoundItem.description",
            "lostfound.LostReport.description", "lostfound.Claim.description_given", "staff.DutyLogEntry.events",
            "csmgmt.Notification.text", "staff.LeaveRequest.reason", "staff.ManualEntry.note",
            "tickets.HistoricalCall.summary", "complaints.HistoricalComplaint.content"} <= poisoned


@pytest.mark.parametrize("role", ROLES)
def test_typed_html_is_shown_escaped_on_every_page(role, world, db):
    _poison_every_free_text_column()
    user = world.users[role]
    client = client_as(user)
    i = ROLES.index(role)
    raw, escaped_pages = [], 0
    for name, variant, get_cells, _post in MATRIX:
        if get_cells[i] != "Y":
            continue
        url = url_for(name, VARIANTS[(name, variant)] if variant else KWARGS.get(name), world)
        response, _ = send(client, user, "GET", url)
        if not response.get("Content-Type", "").startswith(("text/", "application/json")) or response.streaming:
            continue
        text = response.content.decode()
        for payload in PAYLOADS:
            if payload in text:
                raw.append(f"{name} {url}: {payload}")
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;img src=x onerror=alert(1)&gt;" in text:
            escaped_pages += 1
    assert raw == []
    if role != "none":
        assert escaped_pages >= 3  # the payload really was on the pages, shown as text


ALLOWED_UNSAFE = {
    # "path:line-fragment": why it is safe. Empty: nothing in the project turns escaping off.
}
UNSAFE = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|mark_safe\(|SafeString\(|autoescape\s+off|\{%\s*filter\s+safe")


def test_no_template_or_module_turns_escaping_off():
    found = []
    for path in list(ROOT.glob("templates/**/*.html")) + [p for app in OUR_APPS for p in (ROOT / app).rglob("*.py")]:
        if "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSAFE.search(line):
                key = f"{path.relative_to(ROOT)}:{line.strip()[:60]}"
                if key not in ALLOWED_UNSAFE:
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
