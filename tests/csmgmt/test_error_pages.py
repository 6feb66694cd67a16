"""The friendly 500 page: a view that raises, with DEBUG off, shows our page (no traceback, no half-save)."""

import pytest
from django.urls import path

from csmgmt.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("kaputt: secret detail")


urlpatterns = [path("boom/", boom), *project_urls]


@pytest.mark.parametrize(("language", "text"), [("en", "Something went wrong on our side"),
                                                ("zh-hans", "系统出现了问题")])
def test_a_view_that_raises_shows_the_friendly_500_page(client_for, settings, language, text):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    c = client_for("agent")
    c.raise_request_exception = False
    response = c.get("/boom/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 500
    assert text in body
    assert "kaputt" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert 'href="/"' in body
