"""An empty POST acts on nothing (issue 16, point 7). The sweep over every URL and every permitted role is in
``test_permission_matrix.py`` (its POSTs are empty, and none may write a row); here, the probe's own finding
through the web layer: an empty POST no longer closes the scoring month — 400, a message naming the missing
field, nothing written."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.security.probe import client_as, writes


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _post(client, url, data):
    with transaction.atomic():
        before = writes()
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        after = writes()
        transaction.set_rollback(True)
    return response, sorted(t for t in after if before.get(t, 0) != after[t])


@pytest.mark.parametrize("name", ["staff:scoring_month_close", "staff:scoring_month_materialise",
                                  "staff:scoring_month_reopen", "staff:scoring_fund_adjust"])
@pytest.mark.parametrize("data", [{}, {"month": ""}, {"month": "9999-12"}, {"month": "\x00"}],
                         ids=["empty", "blank", "9999-12", "nul"])
def test_a_month_action_without_a_real_month_is_refused(name, data, world, db):
    client = client_as(world.users["manager"])
    response, changed = _post(client, reverse(name), data)
    assert response.status_code == 400
    assert "Nothing was changed: the form did not send month." in response.content.decode()
    assert changed == []


def test_the_notifications_are_not_all_marked_read_by_an_empty_post(world, db):
    client = client_as(world.users["agent"])
    response, changed = _post(client, reverse("staff:notifications_read_all"), {})
    assert response.status_code == 400
    assert changed == []
