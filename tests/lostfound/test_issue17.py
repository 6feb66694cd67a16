"""Lost and found, issue 17: the printed claim form masks the ID number as the screen does; a lost report whose
phone matches an open one is saved only after a warning naming it (the agent may still save, with the same one-time
token); match suggestions read high / medium / low at the cut-offs written in docs/lostfound.md (high: 1.5 or more,
medium: 1.0 up to 1.5, low: below 1.0) and show the words that matched."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from lostfound import services
from lostfound.models import LostReport
from lostfound.selectors import found_item_candidates, match_level, matched_words
from tests.factories import FoundItemFactory, LostReportFactory

pytestmark = pytest.mark.django_db


# --- the printed claim form --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "custodian", "supervisor", "manager"])
def test_the_printed_claim_form_masks_the_id_number_for_every_reader(client_for, make_employee, role):
    item = FoundItemFactory()
    clerk = make_employee("custodian")
    services.claim_release(item_id=item.pk, by=clerk, claimant_name="王女士", id_type="resident_id",
                           id_number="110101199001011234", phone="13912345678", description_given="黑色苹果手机",
                           verified_by=clerk, signed_on_paper=True)
    html = client_for(role).get(reverse("lostfound:claim", args=[item.pk])).content.decode()
    cell = re.search(r'id="claim-id-number">([^<]*)<', html).group(1)
    assert cell == "1101**********1234"
    assert "110101199001011234" not in html


# --- a second lost report from the same phone ---------------------------------------------------------------


def _report(token, **extra):
    data = {"form_token": token, "owner_name": "王先生", "owner_phone": "139 1234 5678", "category": "bag",
            "description": "黑色双肩包", "lost_place": "候车厅",
            "lost_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    data.update(extra)
    return data


def test_a_report_with_the_phone_of_an_open_one_is_warned_about_then_may_be_saved_once(client_for):
    earlier = LostReportFactory(owner_phone="13912345678", description="红色雨伞")
    LostReportFactory(owner_phone="13912345678", description="已认领的钥匙", status="claimed")  # not open: not named
    c = client_for("agent")
    token = str(uuid.uuid4())

    response = c.post(reverse("lostfound:report_new"), _report(token))
    assert response.status_code == 200
    assert LostReport.objects.count() == 2  # nothing saved yet
    warning = re.search(r'id="duplicate-warning".*?</div>\s*</div>', response.content.decode(), re.S).group(0)
    assert earlier.number in warning and "红色雨伞" in warning
    assert "已认领的钥匙" not in warning
    assert [r.pk for r in response.context["duplicates"]] == [earlier.pk]
    form = response.context["form"]
    assert form["form_token"].value() == token  # the one-time token is kept
    assert form["duplicate_ok"].value() == "13912345678"

    response = c.post(reverse("lostfound:report_new"), _report(token, duplicate_ok="13912345678"))  # save anyway
    assert response.status_code == 302
    new = LostReport.objects.get(description="黑色双肩包")
    assert response["Location"] == reverse("lostfound:report", args=[new.pk])
    assert new.owner_phone == "13912345678"

    response = c.post(reverse("lostfound:report_new"), _report(token, duplicate_ok="13912345678"))  # resubmitted
    assert response.status_code == 302
    assert response["Location"] == reverse("lostfound:report", args=[new.pk])
    assert LostReport.objects.count() == 3


def test_a_confirmation_for_another_number_does_not_skip_the_warning(client_for):
    earlier = LostReportFactory(owner_phone="13912345678")
    c = client_for("agent")
    response = c.post(reverse("lostfound:report_new"), _report(str(uuid.uuid4()), duplicate_ok="13800138000"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["duplicates"]] == [earlier.pk]
    assert LostReport.objects.count() == 1


def test_a_new_phone_is_saved_without_a_warning(client_for):
    LostReportFactory(owner_phone="13700001111")
    c = client_for("agent")
    response = c.post(reverse("lostfound:report_new"), _report(str(uuid.uuid4())))
    assert response.status_code == 302
    assert LostReport.objects.count() == 2


def test_a_role_without_lost_and_found_registers_no_report(client_for):
    LostReportFactory(owner_phone="13912345678")
    response = client_for("handler").post(reverse("lostfound:report_new"),
                                          _report(str(uuid.uuid4()), duplicate_ok="13912345678"))
    assert response.status_code == 403
    assert LostReport.objects.count() == 1


# --- match levels --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "level"), [
    (3.0, "high"), (1.5, "high"), (1.4999, "medium"), (1.0, "medium"), (0.9999, "low"), (0.0, "low")])
def test_match_levels_at_their_cut_offs(score, level):
    assert match_level(score) == level


def test_matched_words_are_the_runs_both_descriptions_share():
    assert matched_words("黑色苹果手机 手机壳上有一只白色小猫贴纸", "黑色iPhone苹果手机 背面贴有白色小猫") == \
        ["黑色", "苹果手机", "白色小猫"]
    assert matched_words("丰田车钥匙", "白色雨伞") == []


@pytest.mark.parametrize("trigram", [True, False], ids=["trigram", "fallback"])
def test_the_report_page_shows_each_suggestion_with_its_level_and_words(client_for, trigram, settings):
    now = timezone.now()
    owner = FoundItemFactory(category="phone", description="黑色苹果手机", features="壳上有白色小猫贴纸",
                             found_place="东门游客中心", found_at=now - dt.timedelta(hours=1))
    other = FoundItemFactory(category="bag", description="蓝色雨伞", features="", found_place="西门",
                             found_at=now - dt.timedelta(hours=1))
    report = LostReportFactory(category="phone", description="黑色苹果手机", features="手机壳上有一只白色小猫贴纸",
                               lost_place="东门游客中心", lost_at=now - dt.timedelta(hours=2))
    ranked = found_item_candidates(report, trigram=trigram)
    assert ranked[0] == owner and ranked[0].level == "high"
    assert ranked[0].words == ["黑色苹果手机", "壳上有", "白色小猫贴纸"]
    assert other not in ranked  # another category and no shared words: not suggested
    if trigram:
        html = client_for("agent").get(reverse("lostfound:report", args=[report.pk])).content.decode()
        assert 'data-match-level="high"' in html and "high match" in html
        assert "<mark class=\"px-1\">黑色苹果手机</mark>" in html
        assert "High match: score 1.5 or more; medium: 1.0 to below 1.5; low: below 1.0." in html


@pytest.mark.parametrize("trigram", [True, False], ids=["trigram", "fallback"])
def test_on_the_matching_set_the_owners_report_reads_high_and_the_others_low(trigram):
    from tests.lostfound.test_matching import CASES, REPORTS

    now = timezone.now()
    reports = [LostReportFactory(category=c, description=d, features=f, lost_place=p, lost_at=now - dt.timedelta(hours=i))
               for i, (c, d, f, p) in enumerate(REPORTS)]
    from lostfound.selectors import lost_report_candidates

    for (category, description, features, place), owner in CASES:
        item = FoundItemFactory(category=category, description=description, features=features, found_place=place)
        ranked = lost_report_candidates(item, trigram=trigram)
        levels = {r.pk: r.level for r in ranked}
        assert levels.pop(reports[owner].pk) == "high", description
        assert set(levels.values()) <= {"low"}, (description, [(r.number, r.score) for r in ranked])
        item.delete()


def test_a_resubmitted_report_goes_to_the_report_it_made_not_to_the_warning(client_for):
    c = client_for("agent")
    token = str(uuid.uuid4())
    first = c.post(reverse("lostfound:report_new"), _report(token))
    assert first.status_code == 302
    again = c.post(reverse("lostfound:report_new"), _report(token))  # the back button: same token, same phone
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert LostReport.objects.count() == 1
