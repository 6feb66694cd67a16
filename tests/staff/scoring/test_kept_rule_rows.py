"""Issue 16 point 8: a rule's tiers and threshold extras replaced on the edit page are voided and kept with
their history, never deleted; the arithmetic reads only the rows in force."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from staff.models import RuleSet, Threshold, Tier
from staff.scoring.services.rule_sets import rule_set_spec

from .test_views import login, team, tier_post  # noqa: F401  (team is a fixture)

pytestmark = pytest.mark.django_db


def test_edited_tiers_and_extras_are_voided_and_kept_never_deleted(client_for, team):  # noqa: F811
    fines = RuleSet.objects.get(code="fines")
    rule = fines.rules.get(code="conduct")
    # The preset (REGULATIONS §5.2 fines): 1–2 ¥-20, 3–4 ¥-50, 5–7 ¥-100, dismissal at 8.
    before_ids = set(Tier.all_rows.filter(rule=rule).values_list("pk", flat=True))
    assert len(before_ids) == 3
    c = login(client_for, team["manager"])

    response = c.post(reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk]),
                      tier_post(rule, [(1, 2, 0, -20), (3, "", 0, -80)]))

    assert response.status_code == 302
    # In force: exactly the two rows the manager left.
    assert list(rule.tiers.order_by("first").values_list("first", "last", "money")) == [
        (1, 2, D("-20")), (3, None, D("-80"))]
    # Nothing deleted: the 5–7 tier and the extra at 8 are still there, voided, each with its trail.
    kept = Tier.all_rows.get(rule=rule, first=5)
    assert kept.voided_at is not None and (kept.last, kept.money) == (7, D("-100"))
    assert set(Tier.all_rows.filter(rule=rule).values_list("pk", flat=True)) == before_ids
    assert kept.history.latest().history_type == "~"
    assert kept.history.latest().history_user == team["manager"].user
    assert not Tier.history.filter(rule_id=rule.pk, history_type="-").exists()
    extra = Threshold.all_rows.get(rule=rule, at=8)
    assert extra.voided_at is not None
    assert not rule.thresholds.exists()
    # The arithmetic sees the rows in force only.
    spec = next(r for r in rule_set_spec(fines).rules if r.code == "conduct")
    assert [(t.first, t.last, t.money) for t in spec.tiers] == [(1, 2, D("-20")), (3, None, D("-80"))]
    assert spec.thresholds == ()

    # The extra at 8 may come back: a new row in force beside the voided one.
    response = c.post(reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk]),
                      tier_post(rule, [(1, 2, 0, -20), (3, "", 0, -80)], [(8, 0, 0, "dismissal")]))
    assert response.status_code == 302
    assert list(Threshold.all_rows.filter(rule=rule, at=8).order_by("pk").values_list("voided_at", flat=True))[1] \
        is None
    assert rule.thresholds.count() == 1
