import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lostfound import services
from lostfound.models import Claim, FoundItem, FoundItemEvent, FoundItemPhoto, LostReport, mask_id
from tests.factories import FoundItemFactory, LostReportFactory

from .conftest import png_bytes, signature_data_url

pytestmark = pytest.mark.django_db


def _register(agent, **kw):
    data = dict(by=agent, source="visitor", category="phone", description="黑色苹果手机", found_place="一号门",
                found_at=timezone.now() - dt.timedelta(hours=1), finder_name="李先生", finder_phone="139 1234 5678")
    data.update(kw)
    return services.found_item_register(**data)


def test_found_item_gets_a_monthly_number_and_a_register_event(agent):
    first = _register(agent)
    second = _register(agent)
    period = timezone.localdate().strftime("%Y%m")
    assert first.number == f"SW-{period}-0001"
    assert second.number == f"SW-{period}-0002"
    assert first.status == FoundItem.Status.REGISTERED
    assert first.finder_phone == "13912345678"
    assert first.valuable is True  # a phone is a valuable by default
    assert list(first.events.values_list("action", "to_status", "by")) == [("register", "registered", agent.pk)]
    assert first.history.count() == 1


def test_lost_report_gets_a_gs_number(agent):
    report = services.lost_report_register(by=agent, owner_name="王女士", owner_phone="+86 139-1234-5678",
                                           category="bag", description="红色双肩包", lost_at=timezone.now())
    assert report.number == f"GS-{timezone.localdate():%Y%m}-0001"
    assert report.owner_phone == "13912345678"
    assert report.status == LostReport.Status.OPEN


def test_category_decides_valuable_unless_told(agent):
    assert _register(agent, category="clothing").valuable is False
    assert _register(agent, category="clothing", valuable=True).valuable is True
    assert _register(agent, category="cash", valuable=False).valuable is False


def test_on_site_item_needs_team_lead_and_witness(agent):
    with pytest.raises(services.LostfoundError):
        _register(agent, source="on_site", team_lead="赵领班", witness="")
    assert FoundItem.objects.count() == 0


@pytest.mark.parametrize("missing", ["team_lead", "witness", "finder"])
def test_on_site_item_needs_team_lead_finder_and_witness(agent, missing):
    data = {"team_lead": "赵领班", "witness": "钱师傅", "finder_name": "李先生", "finder_employee": None}
    if missing == "finder":
        data["finder_name"] = "  "
    else:
        data[missing] = ""
    with pytest.raises(services.LostfoundError) as exc:
        _register(agent, source="on_site", **data)
    assert str(exc.value) == "An item returned on the spot needs the team lead, the finder and a witness."
    assert FoundItem.objects.count() == 0
    assert FoundItemEvent.objects.count() == 0


def test_on_site_item_may_name_the_finder_as_an_employee(agent, make_employee):
    finder = make_employee("agent", name="孙保安")
    item = _register(agent, source="on_site", team_lead="赵领班", witness="钱师傅", finder_name="",
                     finder_employee=finder)
    assert (item.finder_employee, item.finder_name, item.team_lead, item.witness) == (finder, "孙保安", "赵领班",
                                                                                    "钱师傅")


def test_claiming_an_on_site_item_needs_a_witness(agent, settings):
    import pathlib

    item = FoundItemFactory(source="on_site", team_lead="赵领班", witness="钱师傅", category="keys")
    report = LostReportFactory(category="keys", matched_item=item)
    with pytest.raises(services.LostfoundError) as exc:
        _claim(item, agent, witness="  ", lost_report=report)
    assert str(exc.value) == f"Item {item.number} was registered on site: the claim needs a witness."
    item.refresh_from_db()
    report.refresh_from_db()
    assert (item.status, report.status) == ("registered", "open")
    assert Claim.objects.count() == 0
    assert FoundItemEvent.objects.filter(item=item).count() == 0
    assert not (pathlib.Path(settings.MEDIA_ROOT) / "lostfound" / "signatures").exists()  # no file written

    claim = _claim(item, agent, witness="钱师傅")
    item.refresh_from_db()
    assert (item.status, claim.witness) == ("claimed", "钱师傅")


def test_claiming_an_item_not_registered_on_site_needs_no_witness(agent):
    item = FoundItemFactory(source="visitor")
    assert _claim(item, agent, witness="").witness == ""


def test_on_site_record_after_the_end_of_the_day_is_flagged_late(agent):
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    late = _register(agent, source="on_site", team_lead="赵领班", witness="钱师傅", found_at=yesterday)
    # found at today's (Shanghai) midnight, so the day found is today whatever the clock says
    today = timezone.localdate()
    on_time = _register(agent, source="on_site", team_lead="赵领班", witness="钱师傅",
                        found_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0))))
    assert late.late_record is True
    assert "Late record" in late.events.get().comment
    # found today: late only if today's end of day (21:00) has already passed
    end_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time(21, 0)))
    assert on_time.late_record is (timezone.now() > end_of_day)


def test_future_found_time_is_refused(agent):
    with pytest.raises(services.LostfoundError):
        _register(agent, found_at=timezone.now() + dt.timedelta(days=1))
    assert FoundItem.objects.count() == 0


def test_photo_is_stored_with_a_thumbnail(agent):
    item = _register(agent, photo=SimpleUploadedFile("p.jpg", png_bytes((2000, 1000), fmt="JPEG")))
    photo = item.photos.get()
    from django.core.files.storage import default_storage
    from PIL import Image

    with default_storage.open(photo.thumbnail) as fh:
        assert max(Image.open(fh).size) == 320
    with default_storage.open(photo.display) as fh:
        assert Image.open(fh).size == (1200, 600)


def test_a_text_file_named_jpg_is_not_a_photo(agent):
    with pytest.raises(services.ValidationError, match="not an image"):
        _register(agent, photo=SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"))
    assert FoundItem.objects.count() == 0  # nothing half-saved
    assert FoundItemPhoto.objects.count() == 0


def test_store_records_place_and_handover_person(custodian):
    item = FoundItemFactory()
    services.found_item_store(item=item, by=custodian, storage_place="保险柜A-3", handover_person="张伟")
    item.refresh_from_db()
    assert (item.status, item.storage_place, item.custody_handover_person, item.custody_by) == (
        "stored", "保险柜A-3", "张伟", custodian)
    assert item.events.get().action == "store"
    assert item.events.get().from_status == "registered"


def test_a_stored_item_cannot_be_stored_again(custodian):
    item = FoundItemFactory(status="stored", storage_place="柜1")
    with pytest.raises(services.LostfoundError):
        services.found_item_store(item=item, by=custodian, storage_place="柜2", handover_person="张伟")
    item.refresh_from_db()
    assert item.storage_place == "柜1"
    assert FoundItemEvent.objects.count() == 0


def _claim(item, by, **kw):
    data = dict(item_id=item.pk, by=by, claimant_name="王女士", id_type="resident_id",
                id_number="110101 19900101 1234", phone="13912345678", description_given="黑色手机，壳上有猫",
                verified_by=by, signature_data=signature_data_url())
    data.update(kw)
    return services.claim_release(**data)


def test_claim_releases_the_item_and_closes_the_contacted_report(agent):
    item = FoundItemFactory()
    report = LostReportFactory()
    services.lost_report_mark_contacted(report=report, item=item, by=agent)
    claim = _claim(item, agent)
    item.refresh_from_db()
    report.refresh_from_db()
    assert item.status == "claimed"
    assert claim.id_number == "110101199001011234"
    assert claim.id_number_masked == "1101**********1234"
    assert claim.signature.endswith(".png")
    assert report.status == LostReport.Status.CLAIMED
    assert [e.action for e in item.events.all()] == ["owner_contacted", "claim"]


def test_second_claim_is_told_already_claimed(agent):
    item = FoundItemFactory()
    _claim(item, agent)
    with pytest.raises(services.AlreadyClaimed, match="already claimed"):
        _claim(item, agent, claimant_name="冒领者")
    assert Claim.objects.get().claimant_name == "王女士"


def test_claim_needs_a_signature_or_paper(agent):
    item = FoundItemFactory()
    with pytest.raises(services.LostfoundError):
        _claim(item, agent, signature_data="")
    with pytest.raises(services.LostfoundError):
        _claim(item, agent, signature_data="data:image/png;base64,bm90IGEgcG5n")
    item.refresh_from_db()
    assert item.status == "registered"
    assert Claim.objects.count() == 0
    _claim(item, agent, signature_data="", signed_on_paper=True)
    assert Claim.objects.get().signed_on_paper is True


def test_items_handed_to_finance_cannot_be_claimed(agent):
    item = FoundItemFactory(status="finance")
    with pytest.raises(services.LostfoundError):
        _claim(item, agent)
    assert Claim.objects.count() == 0


def test_dispose_needs_a_reason_and_keeps_the_item(custodian):
    item = FoundItemFactory(category="clothing")
    with pytest.raises(services.LostfoundError):
        services.found_item_dispose(item=item, by=custodian, reason=" ")
    services.found_item_dispose(item=item, by=custodian, reason="食品已变质")
    item.refresh_from_db()
    assert item.status == "disposed"
    assert item.events.get().comment == "食品已变质"


def test_withdrawn_report_keeps_its_reason(agent):
    report = LostReportFactory()
    services.lost_report_withdraw(report=report, by=agent, reason="客户已自行找到")
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("withdrawn", "客户已自行找到")


@pytest.mark.parametrize(("raw", "masked"), [
    ("110101199001011234", "1101**********1234"),
    ("E12345678", "E123*5678"),
    ("12345678", "1******8"),
    ("", ""),
])
def test_id_numbers_are_masked(raw, masked):
    assert mask_id(raw) == masked
