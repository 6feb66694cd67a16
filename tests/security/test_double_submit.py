"""The same rendered form posted twice makes one record (issue 16, point 3): a retry, a double click without
JavaScript or the back button sends the form's one-time token again (``csmgmt/core/onetime.py``), and the second
POST is sent to the record the first one made, with a message saying so. Through the web layer, for every form
that creates a record; the token is read from the rendered page, as a browser would send it."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.models import FormSubmission
from tests.security.probe import client_as
from tests.security.world import png_bytes

TOKEN = re.compile(r'<input[^>]*name="form_token"[^>]*>')


def _token(html: str) -> str:
    tags = TOKEN.findall(html)
    assert len(tags) >= 1, "the page renders no one-time token"
    return re.search(r'value="([^"]+)"', tags[0]).group(1)


def _now():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _past_weekday(days=3):
    day = timezone.localdate() - dt.timedelta(days=days)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _complaint(w):
    return {"received_at": _now(), "channel": "phone", "complainant_name": "林女士",
            "complainant_phone": "138 1234 5678", "demand": "exchange", "content": "收到的杯子碎了两个。"}


def _found_item(w):
    return {"source": "visitor", "category": "phone", "description": "黑色苹果手机", "features": "壳上有猫",
            "found_place": "东门", "found_at": _now(), "finder_name": "李先生", "finder_phone": "13912345678",
            "valuable": ""}


def _lost_report(w):
    return {"owner_name": "王先生", "owner_phone": "13900000000", "category": "bag", "description": "黑色双肩包",
            "lost_place": "候车厅", "lost_at": _now()}


def _leave(w):
    start = timezone.localdate() + dt.timedelta(days=20)
    return {"kind": "annual", "start_date": start, "end_date": start, "part": "full", "reason": "回老家"}


def _correction(w):
    return {"date": _past_weekday(), "kind": "status", "requested_code": "P", "reason": "考勤机故障"}


def _duty(w):
    from staff.models import Shift
    return {"date": timezone.localdate(), "shift": Shift.objects.filter(active=True).order_by("pk").first().pk,
            "events": "客户王先生来电投诉", "duty_manager": "李秀梅"}


def _manual_punch(w):
    return {"employee": w.users["agent"].employee.pk, "at": f"{_past_weekday()}T07:58", "direction": "in",
            "reason": "考勤机坏了"}


def _manual_entry(w):
    from staff.models import ManualCategory
    return {"employee": w.users["agent"].employee.pk, "category": ManualCategory.objects.filter(
        active=True).order_by("pk").first().pk, "date": _past_weekday(1), "note": "主动帮助顾客"}


def _notice(w):
    return {"year": "2031", "holidays": "清明节 2031-04-05", "makeup_days": "", "greeting": "清明节期间客服热线照常服务。"}


def _shift(w):
    return {"code": "N9", "name": "大夜班", "start": "22:00", "end": "06:30", "crosses_midnight": "on",
            "grace_minutes": 0, "late_threshold_minutes": 30, "early_threshold_minutes": 30,
            "window_before_minutes": 120, "window_after_minutes": 240, "active": "on"}


def _category(w):
    return {"code": "thanks", "name": "客户致谢", "kind": "praise", "active": "on"}


def _rule(w):
    return {"code": "late-twice", "name": "迟到两次", "event_kind": "late", "counts_as_violation": "on", "active": "on",
            "order": 90, "tiers-TOTAL_FORMS": 1, "tiers-INITIAL_FORMS": 0, "tiers-MIN_NUM_FORMS": 0,
            "tiers-MAX_NUM_FORMS": 1000, "tiers-0-first": 1, "tiers-0-last": "", "tiers-0-points": -1,
            "tiers-0-money": 0, "thresholds-TOTAL_FORMS": 0, "thresholds-INITIAL_FORMS": 0,
            "thresholds-MIN_NUM_FORMS": 0, "thresholds-MAX_NUM_FORMS": 1000}


def _integration(w):
    return {"name": "工单系统", "abilities": ["calls.read"], "rate_per_minute": "60"}
def _checklist(w):
    return {"items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 30,
            "items-0-name": "开场问候", "items-0-points": 60, "items-1-name": "问题解决", "items-1-points": 40,
            "note": "合并为两项"}


def _call(w):
    return {"caller_phone": "138 0013 8000", "caller_name": "陈建华", "address_form": "mr", "organisation": "",
            "channel": "phone", "direction": "in", "category": "enquiry", "importance": "normal",
            "urgency": "normal", "summary": "咨询积分规则", "details": "", "outcome": "resolved", "department": "",
            "reply_due_at": "", "valid": "1"}


def _target(w):
    return {"figure": "first_contact", "month": "2031-01", "value": "82.5"}


def _file(field, name="photo.png"):
    return lambda w: {field: SimpleUploadedFile(name, png_bytes(), content_type="image/png")}


# url name, world object for the URL (or None), role, data, (app_label.Model counted), page with the form
def _article(world):
    return {"question": "退款多久到账？", "answer": "原路退回，3个工作日内到账。", "category": "enquiry", "tags": "退款"}


CREATING = [
    ("complaints:create", None, "agent", _complaint, "complaints.Complaint", None),
    ("lostfound:item_new", None, "agent", _found_item, "lostfound.FoundItem", None),
    ("lostfound:report_new", None, "agent", _lost_report, "lostfound.LostReport", None),
    ("complaints:evidence_upload", "complaint", "agent", _file("file"), "complaints.Evidence", "complaints:detail"),
    ("lostfound:item_photo_add", "item", "agent", _file("photo"), "lostfound.FoundItemPhoto", "lostfound:item"),
    ("staff:attendance_leave_new", None, "agent", _leave, "staff.LeaveRequest", None),
    ("staff:attendance_correction_new", None, "agent", _correction, "staff.Correction", None),
    ("staff:attendance_duty_new", None, "agent", _duty, "staff.DutyLogEntry", None),
    ("staff:attendance_manual_punch", None, "supervisor", _manual_punch, "staff.Punch", None),
    ("staff:scoring_manual_new", None, "supervisor", _manual_entry, "staff.ManualEntry", None),
    ("staff:calendars", None, "manager", _notice, "staff.PublicDay", None),
    ("staff:attendance_shift_new", None, "manager", _shift, "staff.Shift", None),
    ("staff:scoring_categories", None, "manager", _category, "staff.ManualCategory", None),
    ("staff:scoring_rule_new", "rule_set", "manager", _rule, "staff.Rule", None),
    ("tickets:intake", None, "agent", _call, "tickets.Call", None),
    ("knowledge:create", None, "supervisor", _article, "knowledge.Article", None),
    ("targets:settings", None, "manager", _target, "targets.Target", None),
    ("integrations:new", None, "manager", _integration, "api.Integration", None),
    ("quality:checklist", None, "manager", _checklist, "quality.ChecklistVersion", "quality:settings"),
]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize(("name", "obj", "role", "data", "model", "page"), CREATING, ids=[c[0] for c in CREATING])
def test_the_same_form_posted_twice_makes_one_record_and_sends_to_it(name, obj, role, data, model, page, world, db):
    from django.apps import apps

    Model = apps.get_model(model)
    client = client_as(world.users[role])
    kwargs = {"pk": world.objects[obj].pk} if obj else None
    url = reverse(name, kwargs=kwargs)
    html = client.get(reverse(page, kwargs=kwargs) if page else url).content.decode()
    token = _token(html)
    before = Model.objects.count()

    first = client.post(url, {"form_token": token, **data(world)}, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 302, first.content.decode()[:3000]
    assert Model.objects.count() == before + 1
    made = Model.objects.order_by("-pk").first()

    again = client.post(url, {"form_token": token, **data(world)}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302
    # to the record the first POST made: the page the first went to, or the record's own page
    assert again["Location"] == FormSubmission.objects.get(token=token).url
    assert again["Location"] == first["Location"] or f"/{made.pk}/" in again["Location"]
    assert Model.objects.count() == before + 1
    assert Model.objects.order_by("-pk").first() == made
    shown = client.get(again["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This form was already saved as" in shown


@pytest.mark.parametrize(("name", "obj", "role", "data", "model", "page"), CREATING, ids=[c[0] for c in CREATING])
def test_a_form_posted_without_its_token_makes_nothing_and_says_why(name, obj, role, data, model, page, world, db):
    from django.apps import apps

    Model = apps.get_model(model)
    client = client_as(world.users[role])
    url = reverse(name, kwargs={"pk": world.objects[obj].pk} if obj else None)
    before = Model.objects.count()
    response = client.post(url, data(world), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    assert Model.objects.count() == before
    body = response.content.decode()
    assert "This form has expired: please check it and save again." in body or "Choose a file" in body, body[:3000]
