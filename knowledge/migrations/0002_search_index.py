"""The articles' bigram GIN index (csmgmt.core.search): the list's search and the intake panel's matches."""

from django.db import migrations

import csmgmt.core.search

TABLE, NAME = "knowledge_article", "kb_article_bigrams_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(csmgmt.core.search.gin_index_sql(TABLE, NAME)[0])


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(csmgmt.core.search.gin_index_sql(TABLE, NAME)[1])


class Migration(migrations.Migration):

    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
