"""No page links what its reader may not open (issue 17: the custodian was shown a duty-log entry link that
answered 403). For each demo role, every link on its navigation pages is followed: none answers 403."""

import html
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin")
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
SKIP = ("/admin/", "/accounts/logout/", "/static/")
PER_PAGE_KIND = 1  # links of one URL pattern followed per role (a list links each of its rows)


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in HREF.findall(page) if not h.startswith(SKIP)]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_no_link_on_a_navigation_page_answers_403_to_its_reader(demo):
    forbidden, followed = [], 0
    for role in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(get_user_model().objects.get(username=role))
        home = client.get("/")
        nav = home.content.decode().split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
        pages = ["/"] + list(dict.fromkeys(links(nav)))
        seen: dict = {}
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (role, page, response.status_code)
            for url in dict.fromkeys(links(response.content.decode())):
                try:
                    kind = resolve(urlsplit(url).path).view_name
                except Resolver404:
                    continue
                if seen.setdefault(kind, set()) and (url in seen[kind] or len(seen[kind]) >= PER_PAGE_KIND):
                    continue
                seen[kind].add(url)
                followed += 1
                if client.get(url).status_code == 403:
                    forbidden.append(f"{role}: {page} links {url}")
    assert forbidden == []
    assert followed > 60, followed
