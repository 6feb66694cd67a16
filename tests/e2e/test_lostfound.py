"""Lost and found in the browser: a found phone, the owner's lost report and its match, the claim
with an ID and a drawn signature, the printed receipt; then the custodian's monthly handover."""

import datetime as dt

import pytest
from django.utils import timezone

from lostfound.models import Claim, FoundItem, HandoverBatch, LostReport
from tests.factories import FoundItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _now_local():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_found_phone_lost_report_match_claim_and_receipt(page, login, make_employee):
    make_employee("agent", user__username="agent", name="张伟")
    page.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    login("agent")

    # a visitor hands in a phone
    page.goto(page.base_url + "/lostfound/items/")
    page.click("#new-item")
    page.select_option("#id_source", "visitor")
    page.select_option("#id_category", "phone")
    page.fill("#id_description", "黑色苹果手机")
    page.fill("#id_features", "手机壳上有白色小猫贴纸")
    page.fill("#id_found_place", "东门游客中心")
    page.fill("#id_found_at", _now_local())
    page.fill("#id_finder_name", "李先生")
    page.fill("#id_finder_phone", "139 1234 5678")
    page.click("#save-item")
    page.wait_for_selector("#match-panel")
    item = FoundItem.objects.get()
    assert item.valuable is True
    assert item.number in page.inner_text("h1")

    # the owner reports the loss and sees the match
    page.goto(page.base_url + "/lostfound/reports/new/")
    page.fill("#id_owner_name", "王女士")
    page.fill("#id_owner_phone", "13988887777")
    page.select_option("#id_category", "phone")
    page.fill("#id_description", "苹果手机 黑色")
    page.fill("#id_features", "手机壳有猫咪贴纸")
    page.fill("#id_lost_place", "东门")
    page.fill("#id_lost_at", (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#save-report")
    panel = page.locator("#match-panel")
    panel.wait_for()
    assert item.number in panel.inner_text()
    words = panel.locator(".match-words").first.inner_text()  # the words that matched, and the level's cut-offs
    assert words.startswith("Words in common:") and "苹果手机" in words
    assert panel.locator("[data-match-level]").first.get_attribute("data-match-level") in ("high", "medium", "low")
    assert "High match: score 1.5 or more" in panel.inner_text()
    page.screenshot(path="/tmp/lostfound-match.png", full_page=True)
    panel.get_by_role("button", name="Mark owner contacted").first.click()
    page.wait_for_selector("#match-panel .badge.text-bg-success")
    report = LostReport.objects.get()
    assert report.matched_item_id == item.pk and report.contacted_at is not None

    # the owner claims it with an ID and a drawn signature
    page.goto(page.base_url + f"/lostfound/items/{item.pk}/")
    page.click("#claim-button")
    assert page.input_value("#id_claimant_name") == "王女士"
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "110101199001011234")
    page.fill("#id_description_given", "黑色苹果手机，壳上有白色小猫")
    page.fill("#id_witness", "刘洋")
    box = page.locator("#signature-canvas").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 30, box["y"] + 120 - (step % 3) * 30, steps=4)
    page.mouse.up()
    assert page.input_value("input[name=signature_data]").startswith("data:image/png;base64,")
    page.screenshot(path="/tmp/lostfound-claim-form.png", full_page=True)
    page.click("#save-claim")
    page.wait_for_selector("#claim-signature")
    assert page.inner_text("#claim-id-number") == "1101**********1234"  # printed masked, as on screen (issue 17)
    assert page.evaluate("document.getElementById('claim-signature').naturalWidth") > 0
    page.screenshot(path="/tmp/lostfound-claim.png", full_page=True)
    claim = Claim.objects.get()
    assert (claim.item_id, claim.lost_report_id, claim.signed_on_paper) == (item.pk, report.pk, False)
    assert claim.signature.endswith(".png")
    item.refresh_from_db()
    report.refresh_from_db()
    assert (item.status, report.status) == ("claimed", "claimed")

    # the list shows the ID masked
    page.goto(page.base_url + "/lostfound/items/")
    assert "1101**********1234" in page.inner_text("#item-table")
    page.screenshot(path="/tmp/lostfound-list.png", full_page=True)

    # the finder's receipt prints
    page.goto(page.base_url + f"/lostfound/items/{item.pk}/")
    page.screenshot(path="/tmp/lostfound-item.png", full_page=True)
    page.click("#print-receipt")
    page.wait_for_selector("text=员工拾到物品回执")
    page.click("#print-button")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    page.screenshot(path="/tmp/lostfound-receipt-print.png", full_page=True)
    assert not page.locator("#print-button").is_visible()
    page.emulate_media(media="screen")
    page.goto(page.base_url + f"/lostfound/items/{item.pk}/card/")
    assert page.evaluate("document.getElementById('card-qr').naturalWidth") > 0
    page.screenshot(path="/tmp/lostfound-card.png", full_page=True)


def test_custodian_confirms_the_monthly_handover_to_finance(page, login, make_employee):
    custodian = make_employee("custodian", "agent", user__username="custodian", name="马芳")
    old = FoundItemFactory(category="bag", description="黑色双肩包", found_at=timezone.now() - dt.timedelta(days=40),
                           received_by=custodian)
    kept = FoundItemFactory(category="bag", description="红色手提包", found_at=timezone.now() - dt.timedelta(days=3),
                            received_by=custodian)
    page.on("dialog", lambda dialog: dialog.accept())
    login("custodian")
    assert page.locator("#home-lostfound").is_visible()
    page.goto(page.base_url + "/lostfound/handovers/")
    page.click("#prepare-handover")
    page.wait_for_selector("#handover-confirm")
    assert old.number in page.inner_text("#handover-items")
    assert kept.number not in page.inner_text("#handover-items")
    page.fill("#id_finance_receiver", "罗红")
    page.click("#confirm-handover")
    page.wait_for_selector("#handover-status:has-text('Handed over')")
    page.screenshot(path="/tmp/lostfound-handover.png", full_page=True)
    batch = HandoverBatch.objects.get()
    assert (batch.status, batch.finance_receiver, batch.confirmed_by_id) == ("confirmed", "罗红", custodian.pk)
    assert FoundItem.objects.get(pk=old.pk).status == "finance"
    assert FoundItem.objects.get(pk=kept.pk).status == "registered"
