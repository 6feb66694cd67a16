"""Every cell of ``permission_matrix.MATRIX`` asserted against the demo world; every POST of the matrix is empty
(no field but what a browser always sends) and changes nothing — refused or let in (issue 16: an empty POST
acts on nothing; a state-changing POST names its fields, ``csmgmt/core/posted.py``);
every URL pattern of the project has a row; every page a role may open carries the content-security policy
and no inline script or event-handler attribute."""

import re

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.security.permission_matrix import ADMIN_SITE, MATRIX, ROLES
from tests.security.probe import client_as, outcome, send, url_for
from tests.security.world import KWARGS, VARIANTS
from tests.test_urls_require_login import _walk

SESSION_ONLY = {"login", "set_language", "logout"}
PATTERNS = list(_walk(get_resolver().url_patterns))
ADMIN_NAMES = sorted({n for n, _u, _c in PATTERNS if n.startswith("admin:")})


def _url(world, name, variant):
    return url_for(name, VARIANTS[(name, variant)] if variant else KWARGS.get(name), world)


def test_every_url_pattern_of_the_project_has_a_row():
    names = {n for n, _u, _c in PATTERNS if not n.startswith("admin:")}
    in_table = {name for name, _v, _g, _p in MATRIX}
    assert names - in_table == set(), "add these URL names to tests/security/permission_matrix.py"
    assert in_table - names == set(), "these rows name no URL pattern any more"
    assert all(len(g) == len(p) == len(ROLES) for _n, _v, g, p in MATRIX)
    assert len({(n, v) for n, v, _g, _p in MATRIX}) == len(MATRIX), "a row is listed twice"


def test_every_url_with_parameters_has_real_ids():
    needs_ids = []
    for name in {n for n, _u, _c in PATTERNS if not n.startswith("admin:")}:
        try:
            reverse(name)
        except NoReverseMatch:
            needs_ids.append(name)
    assert needs_ids, "the walk found no URL with parameters"
    assert sorted(set(needs_ids) - set(KWARGS)) == [], "give these real ids in tests/security/world.py KWARGS"


@pytest.mark.parametrize("role", ROLES)
def test_every_row_of_the_matrix_holds_for(role, world, db):
    user = world.users[role]
    client = client_as(user)
    i = ROLES.index(role)
    wrong, changed_on_refusal, acted_on_empty = [], [], []
    for name, variant, get_cells, post_cells in MATRIX:
        url = _url(world, name, variant)
        for method, cells in (("GET", get_cells), ("POST", post_cells)):
            expected = cells[i]
            # login and the language switch act on the session only
            check = method == "POST" and name not in SESSION_ONLY
            response, changed = send(client, user, method, url, check_unchanged=check)
            got = outcome(response)
            if got != expected:
                wrong.append(f"{method} {name} [{variant}] {url}: expected {expected!r}, got {got!r} "
                             f"({response.status_code})")
            if changed and expected == "-":
                changed_on_refusal.append(f"POST {name} {url} changed {changed}")
            elif changed:
                acted_on_empty.append(f"POST {name} [{variant}] {url} changed {changed}")
    assert wrong == []
    assert changed_on_refusal == []
    assert acted_on_empty == [], "an empty POST acted: name its fields with @requires(...) (csmgmt/core/posted.py)"


@pytest.mark.parametrize("role", ["agent", "admin", "none"])
def test_the_admin_site_is_for_the_admin_role_only(role, world, db):
    user = world.users[role]
    client = client_as(user)
    expected = ADMIN_SITE[ROLES.index(role)]
    wrong = []
    for name in ADMIN_NAMES:
        try:
            url = reverse(name)
        except Exception:  # the pattern needs parameters (an object's change page): covered by the login walk
            continue
        if name in ("admin:logout", "admin:login", "admin:password_change_done", "admin:javascript-catalog",
                    "admin:autocomplete"):  # autocomplete needs its query parameters (403 without)
            continue
        if role == "admin" and name.endswith("_add"):
            continue  # registers that are written only through the app refuse "add" even to the admin (403)
        response, changed = send(client, user, "GET", url)
        if outcome(response) != expected:
            wrong.append(f"{name} {url}: {response.status_code}")
    assert wrong == []


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_has_the_csp_and_no_inline_script(role, world, db):
    user = world.users[role]
    client = client_as(user)
    i = ROLES.index(role)
    problems = []
    for name, variant, get_cells, _post in MATRIX:
        if get_cells[i] != "Y":
            continue
        url = _url(world, name, variant)
        response, _ = send(client, user, "GET", url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        policy = response.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src([^;]*)", policy)
        if not script_src or "unsafe-inline" in script_src.group(1) or "unsafe-eval" in script_src.group(1):
            problems.append(f"{name}: policy {policy!r}")
        html = response.content.decode()
        for found in INLINE_SCRIPT.findall(html):
            if 'type="application/json"' not in found and "type='application/json'" not in found:
                problems.append(f"{name}: inline script {found}")
        for found in EVENT_ATTRIBUTE.findall(html):
            problems.append(f"{name}: event attribute {found[:120]}")
    assert problems == []
