"""Trigram (pg_trgm) indexes for the call list's word search, PostgreSQL only (SQLite: nothing to do).

The search is ``icontains``, which Django writes as ``UPPER("col"::text) LIKE UPPER('%word%')`` on
PostgreSQL, so each index is on that expression. It covers every column the search ORs together — name,
organisation, summary, details (the number has its unique index) — because one column without an index
would make the planner scan the whole table for the whole condition. The extension is created if missing
(lostfound's 0002 does the same; either may run first) and never dropped on the way back: other apps use it."""

from django.db import migrations

INDEXES = [
    ("call_caller_name_trgm", "caller_name"),
    ("call_organisation_trgm", "organisation"),
    ("call_summary_trgm", "summary"),
    ("call_details_trgm", "details"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_call USING gin ((UPPER({column}::text)) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_callevent_outcome_moves")]

    operations = [migrations.RunPython(create, drop)]
