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


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_run(tmp_path_factory):
    """Uploaded and generated files go to a folder of this test process (parallel workers never share
    one, and var/media keeps only what ``make run`` stored)."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


# --- the rows data migrations write (shifts, presets, role groups, scripts) ----------------------------

_data_steps: list = []


def _empties_the_database(item) -> bool:
    """A transactional test (threads, a live server) ends by flushing every table."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _data_migrations():
    """Every RunPython forward step of the project's migrations, in migration order, with the models as
    they are now (the tables have every column by then). Computed once per test process."""
    if not _data_steps:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor
        from django.db.migrations.operations import RunPython

        executor = MigrationExecutor(connection)
        apps = executor.loader.project_state().apps
        for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True):
            _data_steps.extend((op.code, apps) for op in migration.operations if isinstance(op, RunPython))
    return _data_steps


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has flushed the database, the next tests of this process (pytest-xdist
    runs them in any order) still find what ``migrate`` leaves: the data migrations run again."""
    yield
    if nextitem is None or not _empties_the_database(item):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        steps = _data_migrations()
        with connection.schema_editor() as editor:
            for code, apps in steps:
                code(apps, editor)


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
