"""pg_trgm for matching descriptions (PostgreSQL only; SQLite uses a Python fallback), trigram
indexes for the list's word search, and the settings row."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("lf_item_description_trgm", "lostfound_founditem", "description"),
    ("lf_report_description_trgm", "lostfound_lostreport", "description"),
]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def settings_row(apps, schema_editor):
    apps.get_model("lostfound", "LostfoundSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("lostfound", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(settings_row, migrations.RunPython.noop),
    ]
