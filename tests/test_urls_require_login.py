"""Every URL pattern of the project, walked from the resolver: an anonymous request is sent to
login. New pages are covered automatically; the few public ones are listed here on purpose."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PUBLIC = {"login", "healthz", "set_language", "admin:login", "admin:logout", "admin:password_reset",
          "admin:view_on_site", "admin:javascript-catalog"}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "00000000-0000-0000-0000-000000000000"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + _route(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = _route(p.pattern)
            if route is None:
                continue
            yield f"{namespace}{p.name or ''}", "/" + prefix + route, p.callback


def _route(pattern):
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), str(pattern))
    raw = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    if "(" in raw:  # a regex with groups (only the Django admin's model URLs): sample its first branch
        raw = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", raw)
        if "(" in raw:
            return None
    return raw.replace("\\", "")


ALL = sorted(set((name, url) for name, url, _cb in _walk(get_resolver().url_patterns)))
# The integration API (issue 21) answers by its bearer token, not the login page; its documentation is for staff.
API_DOCS = {"api:openapi-json", "api:openapi-view"}
BY_TOKEN = [a for a in ALL if a[0].startswith("api:") and a[0] not in API_DOCS | {"api:api-root"}]
ALL = [a for a in ALL if a not in BY_TOKEN and a[0] != "api:api-root"]  # django-ninja's bare prefix: 404


def test_the_walk_finds_the_pages():
    names = {n for n, _u in ALL}
    assert {"home", "staff:notifications", "staff:import_employees", "admin:index"} <= names


@pytest.mark.parametrize(("name", "url"), [a for a in ALL if a[0] not in PUBLIC], ids=[a[0] or a[1] for a in ALL if a[0] not in PUBLIC])
def test_anonymous_request_is_sent_to_login(client, db, name, url):
    response = client.get(url)
    assert response.status_code == 302, f"{name} {url} answered {response.status_code}"
    location = response["Location"]
    assert location.startswith(settings.LOGIN_URL if settings.LOGIN_URL.startswith("/") else "/accounts/login/") \
        or location.startswith("/admin/login/"), location


def test_public_pages_are_public(client, db):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


def test_the_api_walk_finds_its_endpoints():
    assert len(BY_TOKEN) >= 4


@pytest.mark.parametrize(("name", "url"), BY_TOKEN, ids=[a[0] for a in BY_TOKEN])
def test_an_api_request_without_a_token_is_refused_saying_why(client, db, name, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (401, 405), f"{name} {url} answered {response.status_code}"
        if response.status_code == 401:
            assert response.json()["error"] == "token_missing"
