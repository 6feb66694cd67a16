"""Shared fixtures. Tests use the real database (SQLite when nothing is set, PostgreSQL with
DATABASE_URL), the real Redis when REDIS_URL is set, and the system Chromium for browser tests.

A test that needs a missing service is skipped with its reason, unless CSMGMT_REQUIRE_SERVICES=1
(as .ci/run sets): then the missing service is a failure."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def require_service(available: bool, reason: str) -> None:
    """Skip (or, with CSMGMT_REQUIRE_SERVICES=1, fail) when a service the test needs is missing."""
    if available:
        return
    if os.environ.get("CSMGMT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def postgres():
    require_service(is_postgres(), "needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    from csmgmt.celery import app

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def make_employee(db):
    """make_employee("agent", "supervisor", department=..., **fields) -> Employee with those roles."""
    from tests.factories import EmployeeFactory

    def make(*roles, **kwargs):
        return EmployeeFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def client_for(client, make_employee):
    """client_for(employee_or_role) -> a Django test client logged in as that employee."""
    from django.test import Client

    def make(who, **kwargs):
        employee = make_employee(who, **kwargs) if isinstance(who, str) else who
        c = Client()
        c.force_login(employee.user)
        c.employee = employee
        return c

    return make


# --- browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_instance():
    available = os.path.exists(CHROMIUM) or shutil.which("chromium")
    require_service(bool(available), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        require_service(False, "the playwright package is not installed")
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def page(browser_instance, live_server):
    context = browser_instance.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def login(page):
    def do(username, password="demo"):
        page.goto(page.base_url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#login-button")
        page.wait_for_selector("#nav-user")

    return do
