"""Random and hostile values (hypothesis) over every page and parameter registered with the shared parser, and
over every form that creates a record, as each role that may use it (issue 16): 0 responses ≥ 500, 0 half-saved
records. The pages are found, not listed: every URL of the permission matrix whose view declares its parameters
with ``@reads`` (``view.page_params``). The creating forms are ``test_double_submit.CREATING``; their tokens come
from the rendered page, their values are a valid record with some fields replaced by hostile ones, so both the
saving and the refusing paths are walked. Small, derandomized example counts keep it under two minutes."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from csmgmt.core.models import FormSubmission
from csmgmt.core.params import Param
from tests.security.permission_matrix import MATRIX, ROLES
from tests.security.probe import client_as, row_counts, url_for
from tests.security.test_bad_input import HOSTILE
from tests.security.test_double_submit import CREATING, _token
from tests.security.world import KWARGS, VARIANTS

FAST = settings(max_examples=4, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
FORMS = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))

SUBMISSIONS = FormSubmission._meta.db_table
HOSTILE_QUERY = HOSTILE[1:] + ["99999999999999999999", "9999-12", "0000-00", "2026-13", "2026-02-30", "-1", "0",
                               "%00", "1e9", "２０２６-１１", "2026-1", "+2026-11", " 2026-11 "]


def _strategy(p: Param):
    hostile = st.sampled_from(HOSTILE_QUERY) | st.text(max_size=40)
    if p.kind in ("int", "page"):
        return st.integers(min_value=-(10**20), max_value=10**20).map(str) | hostile
    if p.kind == "month":
        return st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 13)) | hostile
    if p.kind == "date":
        return st.dates(min_value=dt.date(1, 1, 1)).map(str) | hostile
    if p.kind == "choice":
        choices = p.choices() if callable(p.choices) else p.choices
        return (st.sampled_from([str(c) for c in choices]) if choices else hostile) | hostile
    if p.kind == "flag":
        return st.sampled_from(["1", "0", ""]) | hostile
    return hostile


def _pages():
    """(url name, variant, url kwargs, params, roles that may open it)."""
    out = []
    for name, variant, get_cells, _post in MATRIX:
        roles = [r for r, cell in zip(ROLES, get_cells) if cell == "Y"]
        if not roles or variant:
            continue
        out.append((name, roles))
    return out


def _declared(url):
    return getattr(resolve(url.split("?")[0]).func, "page_params", None)


def test_the_parser_knows_the_pages(world, db):
    """The fuzz finds the list and month pages (a page that stops declaring its parameters drops out of it)."""
    found = {name for name, _roles in _pages() if _declared(url_for(name, KWARGS.get(name), world))}
    for page in ("complaints:mine", "complaints:statistics", "complaints:statistics_xlsx", "lostfound:items",
                 "lostfound:summary", "staff:attendance_my", "staff:attendance_team", "staff:scoring_month",
                 "tickets:list", "tickets:customers", "staff:notifications"):
        assert page in found


@pytest.mark.parametrize(("name", "roles"), _pages(), ids=[n for n, _r in _pages()])
def test_hostile_query_strings_never_break_a_page(name, roles, world, db):
    url = url_for(name, VARIANTS.get((name, "")) or KWARGS.get(name), world)
    params = _declared(url)
    if not params:
        return  # no query parameters: nothing to fuzz (the architecture test keeps request.GET out of views)
    for role in roles:
        client = client_as(world.users[role])

        @FAST
        @given(query=st.fixed_dictionaries({p.name: st.none() | _strategy(p) for p in params}))
        def get_it(query):
            query = {k: v for k, v in query.items() if v is not None}
            with transaction.atomic():
                response = client.get(url, query)
                transaction.set_rollback(True)
            assert response.status_code < 500, (role, query, response.status_code)

        get_it()


def _creating_rows():
    post_cells = {name: post for name, variant, _g, post in MATRIX if not variant}
    get_cells = {name: get for name, variant, get, _p in MATRIX if not variant}
    rows = []
    for case in CREATING:
        name, _obj, _role, _data, _model, page = case
        page_cells = get_cells[page or name]
        roles = [r for i, r in enumerate(ROLES) if post_cells[name][i] == "Y" and page_cells[i] == "Y"]
        rows.extend((case, role) for role in roles)
    return rows


CREATING_ROWS = _creating_rows()


@pytest.mark.parametrize(("case", "role"), CREATING_ROWS, ids=[f"{c[0]}-{r}" for c, r in CREATING_ROWS])
def test_hostile_values_never_half_save_a_created_record(case, role, world, db):
    from django.apps import apps

    name, obj, _role, data, model, page = case
    table = apps.get_model(model)._meta.db_table
    client = client_as(world.users[role])
    kwargs = {"pk": world.objects[obj].pk} if obj else None
    url = reverse(name, kwargs=kwargs)
    html = client.get(reverse(page, kwargs=kwargs) if page else url).content.decode()
    token = _token(html)
    fields = sorted(data(world))

    @FORMS
    @given(spoiled=st.dictionaries(st.sampled_from(fields), st.none() | st.sampled_from(HOSTILE) | st.text(
        max_size=60), max_size=3))
    def post_it(spoiled):
        values = {**data(world), **spoiled}
        values = {k: v for k, v in values.items() if v is not None}
        with transaction.atomic():
            before = row_counts()
            response = client.post(url, {"form_token": token, **values})
            after = row_counts()
            transaction.set_rollback(True)
        assert response.status_code < 500, (role, spoiled, response.status_code)
        grew = {t for t in after if after[t] != before[t]}
        if response.status_code == 302 and grew:
            assert after[table] == before[table] + 1, (role, spoiled)  # exactly one record
            assert after[SUBMISSIONS] == before[SUBMISSIONS] + 1, (role, spoiled)  # its token claimed
        else:
            assert grew == set(), (role, spoiled, {t: (before[t], after[t]) for t in grew})  # nothing half-saved

    post_it()
