import uuid
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lostfound import services
from lostfound.models import (
    CategoryRetention,
    Claim,
    FoundItem,
    FoundItemEvent,
    FoundItemPhoto,
    HandoverBatch,
    LostfoundSettings,
    LostReport,
)
from tests.factories import FoundItemFactory, LostReportFactory

from .conftest import png_bytes, signature_data_url

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the lost-and-found pages can change."""
    return (
        list(FoundItem.objects.order_by("pk").values_list("pk", "status", "storage_place", "handover_batch")),
        list(LostReport.objects.order_by("pk").values_list("pk", "status", "contacted_at")),
        Claim.objects.count(), FoundItemEvent.objects.count(), FoundItemPhoto.objects.count(),
        list(HandoverBatch.objects.values_list("pk", "status")),
        list(LostfoundSettings.objects.values_list("custody_time", "default_retention_days")),
        CategoryRetention.objects.count(),
    )


@pytest.fixture
def world(make_employee):
    now = timezone.now()
    item = FoundItemFactory(found_at=now - dt.timedelta(days=40))
    report = LostReportFactory(lost_at=now - dt.timedelta(days=40))
    batch = HandoverBatch.objects.create(number="YJ-202611-0001", period="202611")
    photo = FoundItemPhoto.objects.create(item=item, original="x.png", display="x.png", thumbnail="x.png",
                                          uploaded_by=item.received_by)
    return {"item": item, "report": report, "batch": batch, "photo": photo}


def _pages(w):
    i, r, b, p = w["item"].pk, w["report"].pk, w["batch"].pk, w["photo"].pk
    return [
        ("get", reverse("lostfound:items"), {}),
        ("get", reverse("lostfound:item_new"), {}),
        ("post", reverse("lostfound:item_new"), {"form_token": str(uuid.uuid4()), "source": "visitor", "category": "phone", "description": "手机",
                                                 "found_place": "门口", "found_at": "2026-11-01T10:00",
                                                 "finder_name": "x"}),
        ("get", reverse("lostfound:item", args=[i]), {}),
        ("post", reverse("lostfound:item_photo_add", args=[i]), {"form_token": str(uuid.uuid4())}),
        ("get", reverse("lostfound:item_receipt", args=[i]), {}),
        ("get", reverse("lostfound:item_card", args=[i]), {}),
        ("get", reverse("lostfound:claim_new", args=[i]), {}),
        ("post", reverse("lostfound:claim_new", args=[i]), {"claimant_name": "x", "id_type": "passport",
                                                           "id_number": "E1234567", "phone": "13900000001",
                                                           "description_given": "x", "signed_on_paper": "on"}),
        ("get", reverse("lostfound:claim", args=[i]), {}),
        ("get", reverse("lostfound:claim_signature", args=[i]), {}),
        ("post", reverse("lostfound:item_store", args=[i]), {"storage_place": "柜", "handover_person": "张"}),
        ("post", reverse("lostfound:item_dispose", args=[i]), {"reason": "坏了"}),
        ("get", reverse("lostfound:photo", args=[p, "thumb"]), {}),
        ("get", reverse("lostfound:reports"), {}),
        ("get", reverse("lostfound:report_new"), {}),
        ("post", reverse("lostfound:report_new"), {"form_token": str(uuid.uuid4()), "owner_name": "x", "owner_phone": "13900000000",
                                                   "category": "bag", "description": "包", "lost_at": "2026-11-01T10:00"}),
        ("get", reverse("lostfound:report", args=[r]), {}),
        ("post", reverse("lostfound:report_contacted", args=[r]), {"item": i}),
        ("post", reverse("lostfound:report_withdraw", args=[r]), {"reason": "x"}),
        ("get", reverse("lostfound:custody"), {}),
        ("get", reverse("lostfound:handovers"), {}),
        ("post", reverse("lostfound:handover_prepare"), {"confirm": "1"}),
        ("get", reverse("lostfound:handover", args=[b]), {}),
        ("post", reverse("lostfound:handover", args=[b]), {"finance_receiver": "罗红"}),
        ("get", reverse("lostfound:summary"), {}),
        ("get", reverse("lostfound:settings"), {}),
        ("post", reverse("lostfound:settings"), {"custody_time": "18:00", "default_retention_days": "10",
                                                 "match_window_days": "3"}),
    ]


def test_a_department_handler_sees_nothing_here(client_for, make_employee, world):
    make_employee("custodian")
    client = client_for("handler")
    before = snapshot()
    for method, url, data in _pages(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, f"{method} {url}"
    assert snapshot() == before


CUSTODIAN_ONLY = {"lostfound:item_store", "lostfound:item_dispose", "lostfound:custody", "lostfound:handovers",
                  "lostfound:handover_prepare", "lostfound:handover"}


def test_an_agent_cannot_do_custody_handover_or_settings(client_for, make_employee, world):
    make_employee("custodian")
    client = client_for("agent")
    before = snapshot()
    refused = [p for p in _pages(world) if any(reverse(n, args=a) == p[1] for n, a in [
        ("lostfound:item_store", [world["item"].pk]), ("lostfound:item_dispose", [world["item"].pk]),
        ("lostfound:custody", []), ("lostfound:handovers", []), ("lostfound:handover_prepare", []),
        ("lostfound:handover", [world["batch"].pk]), ("lostfound:settings", [])])]
    assert len(refused) == 9
    for method, url, data in refused:
        assert getattr(client, method)(url, data).status_code == 403, f"{method} {url}"
    assert snapshot() == before


def test_a_supervisor_cannot_change_settings_but_a_custodian_can(client_for):
    before = snapshot()
    data = {"custody_time": "20:30", "default_retention_days": "45", "match_window_days": "10", "retention_cash": "60"}
    assert client_for("supervisor").post(reverse("lostfound:settings"), data).status_code == 403
    assert snapshot() == before
    response = client_for("custodian").post(reverse("lostfound:settings"), data)
    assert response.status_code == 302
    conf = LostfoundSettings.objects.get()
    assert (conf.custody_time, conf.default_retention_days, conf.match_window_days) == (dt.time(20, 30), 45, 10)
    assert list(CategoryRetention.objects.values_list("category", "retention_days")) == [("cash", 60)]


def _item_post(**extra):
    data = {"form_token": str(uuid.uuid4()), "source": "visitor", "category": "phone", "description": "黑色苹果手机", "features": "壳上有猫",
            "found_place": "东门", "found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "finder_name": "李先生", "finder_phone": "13912345678", "valuable": ""}
    data.update(extra)
    return data


def test_registering_a_found_item_shows_the_likely_lost_report(client_for):
    report = LostReportFactory(description="黑色苹果手机", lost_place="东门", lost_at=timezone.now() - dt.timedelta(hours=2))
    LostReportFactory(category="bag", description="红色背包", lost_place="西门")
    client = client_for("agent")
    response = client.post(reverse("lostfound:item_new"), _item_post(photo=SimpleUploadedFile("p.png", png_bytes())))
    item = FoundItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lostfound:item", args=[item.pk])
    assert item.photos.count() == 1
    page = client.get(response["Location"])
    assert page.context["candidates"] == [report]
    assert report.number in page.content.decode()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client_for):
    client = client_for("agent")
    upload = SimpleUploadedFile("invoice.jpg", b"%PDF-1.4 not really an image", content_type="image/jpeg")
    response = client.post(reverse("lostfound:item_new"), _item_post(photo=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [
        "This file is not an image. Upload a photo (JPEG, PNG, GIF or WebP)."]
    assert FoundItem.objects.count() == 0
    assert FoundItemPhoto.objects.count() == 0


def test_adding_a_non_image_photo_to_an_item_is_refused(client_for):
    item = FoundItemFactory()
    client = client_for("agent")
    response = client.post(reverse("lostfound:item_photo_add", args=[item.pk]),
                           {"form_token": str(uuid.uuid4()), "photo": SimpleUploadedFile("a.gif", b"GIF89a-but-not-really")}, follow=True)
    assert "This file is not an image" in response.content.decode()
    assert FoundItemPhoto.objects.count() == 0


def test_photos_are_served_only_to_lost_and_found_staff(client_for):
    item = FoundItemFactory()
    photo = services.found_item_add_photo(item=item, photo=SimpleUploadedFile("p.png", png_bytes()),
                                          by=item.received_by)
    url = reverse("lostfound:photo", args=[photo.pk, "thumb"])
    assert client_for("handler").get(url).status_code == 403
    response = client_for("agent").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_on_site_registration_without_witness_is_a_form_error(client_for):
    response = client_for("agent").post(reverse("lostfound:item_new"),
                                        _item_post(source="on_site", team_lead="赵领班", witness=""))
    assert response.status_code == 200
    assert response.context["form"].errors["witness"] == ["Required for an item returned on the spot."]
    assert FoundItem.objects.count() == 0


def test_on_site_registration_without_the_finder_is_a_form_error(client_for):
    response = client_for("agent").post(reverse("lostfound:item_new"), _item_post(
        source="on_site", team_lead="赵领班", witness="钱师傅", finder_name="", finder_employee=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "finder_name": ["Name the finder (or choose the employee) for an item returned on the spot."]}
    assert FoundItem.objects.count() == 0


def test_on_site_registration_with_an_employee_as_finder(client_for, make_employee):
    finder = make_employee("agent", name="孙保安")
    response = client_for("agent").post(reverse("lostfound:item_new"), _item_post(
        source="on_site", team_lead="赵领班", witness="钱师傅", finder_name="", finder_employee=finder.pk))
    assert response.status_code == 302
    item = FoundItem.objects.get()
    assert (item.source, item.finder_employee, item.team_lead, item.witness) == ("on_site", finder, "赵领班", "钱师傅")


def test_claiming_an_on_site_item_without_a_witness_is_a_form_error(client_for):
    item = FoundItemFactory(source="on_site", team_lead="赵领班", witness="钱师傅")
    client = client_for("agent")
    response = client.post(reverse("lostfound:claim_new", args=[item.pk]),
                           _claim_post(verified_by=client.employee.pk, witness=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"witness": ["Required: the item was registered on site."]}
    assert Claim.objects.count() == 0
    item.refresh_from_db()
    assert item.status == "registered"
    response = client.post(reverse("lostfound:claim_new", args=[item.pk]),
                           _claim_post(verified_by=client.employee.pk, witness="钱师傅"))
    assert response.status_code == 302
    assert Claim.objects.get().witness == "钱师傅"


def _claim_post(**extra):
    data = {"claimant_name": "王女士", "id_type": "resident_id", "id_number": "110101199001011234",
            "phone": "13912345678", "description_given": "黑色苹果手机，壳上有猫", "witness": "",
            "signature_data": signature_data_url()}
    data.update(extra)
    return data


def test_claim_with_a_drawn_signature_and_the_masked_id_in_lists(client_for):
    item = FoundItemFactory()
    client = client_for("agent")
    response = client.post(reverse("lostfound:claim_new", args=[item.pk]),
                           _claim_post(verified_by=client.employee.pk))
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.signature.endswith(".png")
    listing = client.get(reverse("lostfound:items")).content.decode()
    assert "1101**********1234" in listing
    assert "110101199001011234" not in listing
    page = client.get(reverse("lostfound:claim", args=[item.pk])).content.decode()
    assert "1101**********1234" in page  # the printed form masks it as the screen does (issue 17)
    assert "110101199001011234" not in page
    signature = client.get(reverse("lostfound:claim_signature", args=[item.pk]))
    assert signature["Content-Type"] == "image/png"


def test_claiming_a_claimed_item_is_a_form_message(client_for, agent):
    item = FoundItemFactory()
    services.claim_release(item_id=item.pk, by=agent, claimant_name="先到者", id_type="passport", id_number="E1234567",
                           phone="13900000000", description_given="x", verified_by=agent, signed_on_paper=True)
    client = client_for("agent")
    response = client.post(reverse("lostfound:claim_new", args=[item.pk]),
                           _claim_post(verified_by=client.employee.pk))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [f"Item {item.number} is already claimed."]
    assert Claim.objects.get().claimant_name == "先到者"


def test_claim_without_any_signature_is_refused(client_for):
    item = FoundItemFactory()
    client = client_for("agent")
    response = client.post(reverse("lostfound:claim_new", args=[item.pk]),
                           _claim_post(verified_by=client.employee.pk, signature_data=""))
    assert response.status_code == 200
    assert Claim.objects.count() == 0
    assert FoundItem.objects.get().status == "registered"


def test_custodian_takes_an_item_into_custody_from_the_queue(client_for):
    item = FoundItemFactory()
    client = client_for("custodian")
    response = client.post(reverse("lostfound:item_store", args=[item.pk]),
                           {"storage_place": "保险柜A", "handover_person": "张伟", "back": "custody"})
    assert response["Location"] == reverse("lostfound:custody")
    item.refresh_from_db()
    assert (item.status, item.storage_place, item.custody_handover_person) == ("stored", "保险柜A", "张伟")


def test_custodian_confirms_the_monthly_handover(client_for):
    item = FoundItemFactory(category="bag", found_at=timezone.now() - dt.timedelta(days=31))
    client = client_for("custodian")
    response = client.post(reverse("lostfound:handover_prepare"), {"confirm": "1"})
    batch = HandoverBatch.objects.get()
    assert response["Location"] == reverse("lostfound:handover", args=[batch.pk])
    response = client.post(response["Location"], {"finance_receiver": "罗红"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "finance"
    assert HandoverBatch.objects.get().status == "confirmed"


def test_marking_the_owner_contacted(client_for):
    item = FoundItemFactory()
    report = LostReportFactory()
    client = client_for("agent")
    client.post(reverse("lostfound:report_contacted", args=[report.pk]), {"item": item.pk})
    report.refresh_from_db()
    assert (report.matched_item, report.contacted_by) == (item, client.employee)


def test_search_by_number_words_and_phone(client_for):
    a = FoundItemFactory(description="黑色苹果手机", finder_phone="13912345678")
    b = FoundItemFactory(description="红色雨伞", category="other", status="stored")
    client = client_for("agent")

    def rows(**params):
        return [r.pk for r in client.get(reverse("lostfound:items"), params).context["page"]]

    assert rows(q=a.number) == [a.pk]
    assert rows(q="雨伞") == [b.pk]
    assert rows(q="139 1234 5678") == [a.pk]
    assert rows(category="other") == [b.pk]
    assert rows(status="stored") == [b.pk]
    assert rows(date_from=(timezone.localdate() + dt.timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize("n", [1, 20])
def test_item_list_query_count_does_not_grow(client_for, django_assert_num_queries, agent, n):
    for _ in range(n):
        item = FoundItemFactory()
        services.claim_release(item_id=item.pk, by=agent, claimant_name="x", id_type="passport", id_number="E1234567",
                               phone="13900000001", description_given="x", verified_by=agent, signed_on_paper=True)
    client = client_for("agent")
    client.get(reverse("lostfound:items"))  # warm the session
    with django_assert_num_queries(9):  # session, user, employee, roles, unread notices, the rows, 3 nav badges
        response = client.get(reverse("lostfound:items"))
    assert len(response.context["page"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_report_list_query_count_does_not_grow(client_for, django_assert_num_queries, n):
    for _ in range(n):
        LostReportFactory(matched_item=FoundItemFactory())
    client = client_for("agent")
    client.get(reverse("lostfound:reports"))
    with django_assert_num_queries(9):
        response = client.get(reverse("lostfound:reports"))
    assert len(response.context["page"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_item_detail_query_count_does_not_grow(client_for, django_assert_num_queries, n):
    item = FoundItemFactory()
    for _ in range(n):
        LostReportFactory(matched_item=item, contacted_at=timezone.now())
        FoundItemPhoto.objects.create(item=item, original="a.png", display="a.png", thumbnail="a.png",
                                      uploaded_by=item.received_by)
        FoundItemEvent.objects.create(item=item, by=item.received_by, action="note")
    client = client_for("agent")
    client.get(reverse("lostfound:item", args=[item.pk]))
    with django_assert_num_queries(15):
        response = client.get(reverse("lostfound:item", args=[item.pk]))
    assert len(response.context["candidates"]) == min(n, 5)


@pytest.mark.parametrize("n", [1, 20])
def test_summary_query_count_does_not_grow(client_for, django_assert_num_queries, agent, n):
    for i in range(n):
        item = FoundItemFactory(category=["phone", "bag", "cash"][i % 3])
        if i % 2:
            services.claim_release(item_id=item.pk, by=agent, claimant_name="x", id_type="passport",
                                   id_number="E1234567", phone="13900000001", description_given="x", verified_by=agent,
                                   signed_on_paper=True)
    client = client_for("agent")
    client.get(reverse("lostfound:summary"))
    with django_assert_num_queries(15):  # the figures by category: five aggregate queries (month_figures)
        response = client.get(reverse("lostfound:summary"))
    assert response.context["totals"]["registered"] == n
    assert response.context["totals"]["claimed"] == n // 2


def test_lists_do_not_count_the_whole_table(client_for, django_assert_max_num_queries):
    for _ in range(30):
        FoundItemFactory()
    client = client_for("agent")
    response = client.get(reverse("lostfound:items"))
    assert response.context["page"].has_next is True
    response = client.get(reverse("lostfound:items"), {"page": 2})
    assert len(response.context["page"]) == 5
    assert response.context["page"].has_next is False
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("lostfound:items"))
    assert not any("COUNT(" in q["sql"].upper() and "lostfound_founditem" in q["sql"] for q in ctx.captured_queries)


def test_the_item_cards_qr_code_opens_the_items_full_url(client_for, settings):
    import base64
    import io

    import qrcode
    from PIL import Image, ImageChops

    settings.ALLOWED_HOSTS = ["lf.example.com"]
    item = FoundItemFactory()
    response = client_for("agent").get(reverse("lostfound:item_card", args=[item.pk]), HTTP_HOST="lf.example.com",
                                       secure=True)

    url = f"https://lf.example.com/lostfound/items/{item.pk}/"
    assert response.context["url"] == url  # what the QR generator was given: the item page's full URL
    assert reverse("lostfound:item", args=[item.pk]) == f"/lostfound/items/{item.pk}/"
    prefix = "data:image/png;base64,"
    assert response.context["qr"].startswith(prefix)
    raw = base64.b64decode(response.context["qr"][len(prefix):])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    body = response.content.decode()
    assert f'<img src="{response.context["qr"]}"' in body and url in body
    # the picture is that URL's QR code: the same as the QR library draws for it
    with Image.open(io.BytesIO(raw)) as shown:
        assert shown.format == "PNG"
        expected = qrcode.make(url, box_size=6, border=2).get_image().convert("L")
        assert shown.size == expected.size
        assert ImageChops.difference(shown.convert("L"), expected).getbbox() is None
        other = qrcode.make(url + "x", box_size=6, border=2).get_image().convert("L")
        assert other.size != shown.size or ImageChops.difference(shown.convert("L"), other).getbbox() is not None


def test_printables_render(client_for, agent):
    item = FoundItemFactory()
    client = client_for("agent")
    receipt = client.get(reverse("lostfound:item_receipt", args=[item.pk])).content.decode()
    assert "员工拾到物品回执" in receipt and item.number in receipt and "js-print" in receipt
    card = client.get(reverse("lostfound:item_card", args=[item.pk])).content.decode()
    assert "物品信息卡" in card and 'src="data:image/png;base64,' in card
    assert client.get(reverse("lostfound:claim", args=[item.pk])).status_code == 404


def test_the_custodian_home_panel_and_badge(client_for):
    FoundItemFactory(category="phone")
    FoundItemFactory(category="clothing")
    response = client_for("custodian").get(reverse("home"))
    content = response.content.decode()
    assert 'id="home-lostfound"' in content
    panel = next(w for w in response.context["widgets"] if w["template"].startswith("lostfound/"))
    assert panel["context"] == {"awaiting": 1, "due": 0}
    assert 'id="home-lostfound"' not in client_for("agent").get(reverse("home")).content.decode()


def test_the_refusal_of_a_non_image_reads_in_chinese_for_chinese_staff(client_for):
    client = client_for("agent")
    upload = SimpleUploadedFile("invoice.jpg", b"%PDF-1.4", content_type="image/jpeg")
    response = client.post(reverse("lostfound:item_new"), _item_post(photo=upload), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["form"].errors["photo"] == ["该文件不是图片。请上传照片（JPEG、PNG、GIF 或 WebP）。"]


@pytest.mark.parametrize("n", [1, 20])
def test_custody_and_handover_pages_query_count_does_not_grow(client_for, django_assert_num_queries, n):
    for _ in range(n):
        FoundItemFactory(category="bag", found_at=timezone.now() - dt.timedelta(days=40))
    batch = services.handover_prepare(period="202612")
    client = client_for("custodian")
    client.get(reverse("lostfound:custody"))
    with django_assert_num_queries(7):  # the page's 6 and the nav badge (valuables awaiting custody)
        response = client.get(reverse("lostfound:custody"))
    assert len(response.context["page"]) == n
    with django_assert_num_queries(8):
        response = client.get(reverse("lostfound:handover", args=[batch.pk]))
    assert len(response.context["items"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_report_detail_query_count_does_not_grow(client_for, django_assert_num_queries, n):
    report = LostReportFactory()
    for _ in range(n):
        FoundItemFactory()
    client = client_for("agent")
    client.get(reverse("lostfound:report", args=[report.pk]))
    with django_assert_num_queries(11):
        response = client.get(reverse("lostfound:report", args=[report.pk]))
    assert len(response.context["candidates"]) == min(n, 5)


def test_the_trail_reads_as_words(client_for, custodian):
    item = FoundItemFactory()
    services.found_item_store(item=item, by=custodian, storage_place="柜1", handover_person="张伟")
    content = client_for("agent").get(reverse("lostfound:item", args=[item.pk])).content.decode()
    assert "Taken into custody</strong> (Registered → Stored)" in content
