import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from lostfound.models import Claim, FoundItem, FoundItemEvent, FoundItemPhoto, HandoverBatch, LostReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from lostfound import demo
    from staff import demo as staff_demo

    staff_demo.load()
    demo.load()
    return demo


def _counts():
    return (FoundItem.objects.count(), LostReport.objects.count(), Claim.objects.count(),
            HandoverBatch.objects.count(), FoundItemPhoto.objects.count(), FoundItemEvent.objects.count())


def test_demo_loads_twice_without_duplicates(demo):
    counts = _counts()
    demo.load()
    assert _counts() == counts
    assert counts[:5] == (12, 3, 2, 2, 1)
    assert set(FoundItem.objects.values_list("status", flat=True)) == {"registered", "stored", "claimed", "finance",
                                                                       "disposed"}


def _item(description):
    return FoundItem.objects.get(description=description)


def _image(name):
    with default_storage.open(name) as fh, Image.open(fh) as img:
        return img.format, img.size


def test_demo_item_has_a_photo_with_its_copies(demo):
    photo = _item("黑色苹果手机").photos.get()
    assert _image(photo.original) == ("JPEG", (240, 180))
    assert _image(photo.display)[0] == _image(photo.thumbnail)[0] == "JPEG"


def test_demo_claim_has_a_drawn_signature(demo):
    claim = _item("米色帆布手提袋").claim
    assert (claim.claimant_name, claim.signed_on_paper, claim.item.status) == ("何先生", False, "claimed")
    assert claim.signature.startswith("lostfound/signatures/") and claim.signature.endswith(".png")
    assert _image(claim.signature) == ("PNG", (300, 100))
    paper = _item("丰田汽车钥匙").claim  # the on-site item: released with its witness
    assert (paper.signed_on_paper, paper.witness) == (True, "刘洋")


def test_demo_item_was_handed_to_finance_in_last_months_confirmed_handover(demo):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).strftime("%Y%m")
    past = HandoverBatch.objects.get(period=last_month)
    assert (past.status, past.number, past.finance_receiver) == ("confirmed", f"YJ-{last_month}-0001", "罗红（财务部）")
    assert list(past.items.values_list("description", "status")) == [("灰色羊毛围巾", "finance")]
    current = HandoverBatch.objects.get(period=today.strftime("%Y%m"))
    assert current.status == "prepared"
    assert set(current.items.values_list("description", flat=True)) == {"红色折叠雨伞", "身份证一张"}


def test_demo_has_a_disposed_item_with_its_reason(demo):
    cake = _item("未开封的生日蛋糕")
    assert cake.status == "disposed"
    assert cake.events.get(action="dispose").comment == "食品无法保存，经负责人同意按规定处理"


def test_demo_lost_report_is_marked_owner_contacted(demo):
    report = LostReport.objects.get(description="苹果手机 黑色")
    assert (report.status, report.matched_item, report.contacted_by.employee_no) == (
        "open", _item("黑色苹果手机"), "CS101")
    assert report.contacted_at is not None


def test_demo_has_a_late_on_site_record(demo):
    card = _item("学生证一张")
    assert (card.source, card.late_record, card.status) == ("on_site", True, "registered")
    assert (card.team_lead, card.witness, card.finder_name) == ("李秀梅", "刘洋", "黄同学")
    assert card.events.get(action="register").comment == "Late record: registered after the end of the day found."


def test_demo_records_never_lie_in_the_future(demo):
    now = timezone.now()
    assert not FoundItem.objects.filter(found_at__gt=now).exists()
    assert not LostReport.objects.filter(lost_at__gt=now).exists()
    assert not Claim.objects.filter(claimed_at__gt=now).exists()
    assert not HandoverBatch.objects.filter(confirmed_at__gt=now).exists()
