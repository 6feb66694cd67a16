"""One rule for phone numbers (issue 17): every phone field — intake, the customer profile, the complaint form, the
lost report, the found item's finder, the claimant — cleans with intake's normaliser and refuses what is not a
number someone can be called back on, with a message naming what was typed; nothing is saved. The services refuse
it too (a caller that skips the form)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from complaints.services import ComplaintError, complaint_create
from lostfound import services as lf_services
from lostfound.models import Claim, FoundItem, LostReport
from tests.factories import CustomerFactory, CustomerPhoneFactory, FoundItemFactory
from tickets.models import Call, CustomerPhone
from tickets.phones import checked_phone

pytestmark = pytest.mark.django_db

# What the issue saw saved, and other things that are not a number to call back on.
BAD = ["xyz", "12345", "1380013800", "95588", "电话号码"]
MESSAGE = "is not a phone number"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _now():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _intake(w):
    return {"caller_phone": w["phone"], "caller_name": "陈建华", "address_form": "mr", "channel": "phone",
            "direction": "in", "category": "enquiry", "importance": "normal", "urgency": "normal",
            "summary": "咨询积分规则", "outcome": "resolved", "valid": "1", "form_token": str(uuid.uuid4())}


def _complaint(w):
    return {"form_token": str(uuid.uuid4()), "received_at": _now(), "channel": "phone", "complainant_name": "林女士",
            "complainant_phone": w["phone"], "demand": "exchange", "content": "收到的杯子碎了两个。"}


def _lost_report(w):
    return {"form_token": str(uuid.uuid4()), "owner_name": "王先生", "owner_phone": w["phone"], "category": "bag",
            "description": "黑色双肩包", "lost_place": "候车厅", "lost_at": _now()}


def _found_item(w):
    return {"form_token": str(uuid.uuid4()), "source": "visitor", "category": "keys", "description": "汽车钥匙",
            "found_place": "东门", "found_at": _now(), "finder_name": "李先生", "finder_phone": w["phone"],
            "valuable": ""}


def _claim(w):
    return {"claimant_name": "王女士", "id_type": "passport", "id_number": "E1234567", "phone": w["phone"],
            "description_given": "钥匙", "verified_by": w["employee"].pk, "signed_on_paper": "on"}


def _customer(w):
    return {"name": "陈建华", "address_form": "mr", "organisation": "", "address": "", "notes": "",
            "tags_text": "", "add_phone": w["phone"]}


# form, field, role, url(world), data(world), what must stay unsaved: a callable giving a count
FIELDS = [
    ("intake", "caller_phone", "agent", lambda w: reverse("tickets:intake"), _intake, Call.objects.count),
    ("customer", "add_phone", "agent", lambda w: reverse("tickets:customer_edit", args=[w["customer"].pk]),
     _customer, CustomerPhone.objects.count),
    ("complaint", "complainant_phone", "agent", lambda w: reverse("complaints:create"), _complaint,
     Complaint.objects.count),
    ("lost report", "owner_phone", "agent", lambda w: reverse("lostfound:report_new"), _lost_report,
     LostReport.objects.count),
    ("found item", "finder_phone", "agent", lambda w: reverse("lostfound:item_new"), _found_item,
     FoundItem.objects.count),
    ("claim", "phone", "custodian", lambda w: reverse("lostfound:claim_new", args=[w["item"].pk]), _claim,
     Claim.objects.count),
]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(("form", "field", "role", "url", "data", "count"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_phone_field_refuses_what_is_not_a_number_and_saves_nothing(client_for, form, field, role, url, data,
                                                                          count, bad):
    customer = CustomerFactory(name="陈建华")
    CustomerPhoneFactory(customer=customer, number="13800138000")
    c = client_for(role)
    world = {"phone": bad, "customer": customer, "item": FoundItemFactory(category="keys"), "employee": c.employee}
    before = count()
    response = c.post(url(world), data(world))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [f"“{bad}” is not a phone number: give a mobile (11 digits), a landline with its area code "
                      "(010-8888 6666), a 400/800 number or a foreign number with its country code (+…)."]
    assert count() == before
    html = response.content.decode()
    assert MESSAGE in html


@pytest.mark.parametrize(("form", "field", "role", "url", "data", "count"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_phone_field_stores_the_normal_form(client_for, form, field, role, url, data, count):
    customer = CustomerFactory(name="陈建华")
    CustomerPhoneFactory(customer=customer, number="13800138000")
    c = client_for(role)
    world = {"phone": "+86 139-1234-5678", "customer": customer, "item": FoundItemFactory(category="keys"),
             "employee": c.employee}
    before = count()
    response = c.post(url(world), data(world))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert count() == before + 1
    stored = {
        "intake": lambda: Call.objects.get().caller_phone,
        "customer": lambda: customer.phones.exclude(number="13800138000").get().number,
        "complaint": lambda: Complaint.objects.get().complainant_phone,
        "lost report": lambda: LostReport.objects.get().owner_phone,
        "found item": lambda: FoundItem.objects.exclude(pk=world["item"].pk).get().finder_phone,
        "claim": lambda: Claim.objects.get().phone,
    }[form]()
    assert stored == "13912345678"


@pytest.mark.parametrize(("raw", "expected"), [
    ("138 0013 8000", "13800138000"), ("010-8888 6666", "01088886666"), ("400-800-8888", "4008008888"),
    ("+1 415 555 2671", "0014155552671"), ("", ""), ("  ", "")])
def test_the_rule_keeps_numbers_one_can_call_back(raw, expected):
    assert checked_phone(raw) == expected


def test_the_complaint_service_refuses_a_bad_number_too(make_employee):
    agent = make_employee("agent")
    with pytest.raises(ComplaintError):
        complaint_create(by=agent, data={"complainant_name": "林女士", "complainant_phone": "xyz", "content": "杯子碎了",
                                         "channel": "phone", "demand": "exchange"})
    assert Complaint.objects.count() == 0


def test_the_lost_report_service_refuses_a_bad_number_too(make_employee):
    agent = make_employee("agent")
    with pytest.raises(lf_services.LostfoundError):
        lf_services.lost_report_register(by=agent, owner_name="王先生", owner_phone="12345", category="bag",
                                         description="黑色双肩包", lost_at=timezone.now() - dt.timedelta(hours=1))
    assert LostReport.objects.count() == 0


def test_editing_an_imported_call_keeps_its_old_number_unless_it_is_changed(client_for, intake_data):
    from tests.factories import CallFactory

    c = client_for("supervisor")
    call = CallFactory(caller_phone="95588", agent=c.employee, owner=c.employee, status="open",
                       outcome="reply_promised", reply_due_at=timezone.now() + dt.timedelta(hours=2))
    data = {k: v for k, v in intake_data(caller_phone="95588", summary="改了摘要", outcome="reply_promised",
                                         reply_due_at="").items() if k != "valid"}
    response = c.post(reverse("tickets:edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.caller_phone, call.summary) == ("95588", "改了摘要")
    response = c.post(reverse("tickets:edit", args=[call.pk]), {**data, "caller_phone": "12345"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["caller_phone"]
    call.refresh_from_db()
    assert call.caller_phone == "95588"
