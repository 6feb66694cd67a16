"""Sending one request as one role, in a savepoint that is rolled back, and classifying the answer."""

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")


def outcome(response) -> str:
    """Y allowed (2xx; 3xx anywhere but a login page; 400 = let in, input refused), - refused (401/403/404, or
    sent to a login page), . method not allowed (405). Anything else (a 500) is reported as ``?code``."""
    code = response.status_code
    if code in (401, 403, 404):  # 401: the API's answer without its token
        return "-"
    if code == 405:
        return "."
    if 300 <= code < 400:
        return "-" if response["Location"].startswith(LOGIN_PREFIXES) else "Y"
    if 200 <= code < 300 or code == 400:
        return "Y"
    return f"?{code}"


def row_counts() -> dict:
    """Rows in every table of every model, in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy}
                    - {"django_session"})
    q = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {q(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def writes() -> dict:
    """Rows written so far in this transaction, per table: PostgreSQL's own count of inserts, updates and
    deletes (savepoints included). A request that writes anything — a new row, a changed value, a deleted row —
    moves it; one cheap query. The session table is left out (a message is kept in the session)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
                       "WHERE relname <> 'django_session'")
        return dict(cursor.fetchall())


def client_as(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def send(client, user, method: str, url: str, data=None, check_unchanged=False):
    """The response, with the database rolled back afterwards. ``check_unchanged`` returns the tables the
    request wrote to (rows inserted, updated or deleted)."""
    changed = None
    with transaction.atomic():
        before = writes() if check_unchanged else None
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        if check_unchanged:
            after = writes()
            changed = {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}
        transaction.set_rollback(True)
    if "sessionid" not in client.cookies or not client.cookies["sessionid"].value:
        if user is not None:
            client.force_login(user)  # a logout (rolled back) cleared the cookie
    return response, changed


def url_for(name: str, kwargs_fn, world) -> str:
    return reverse(name, kwargs=kwargs_fn(world) if kwargs_fn else None)
