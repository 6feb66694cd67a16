"""The search column of complaints (csmgmt.core.search), its bigram GIN index, the surname and phone-prefix indexes."""

import csmgmt.core.search
from django.db import migrations, models


GIN = [('complaints_complaint', 'complaint_search_bigram_gin')]


def gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in GIN:
        schema_editor.execute(csmgmt.core.search.gin_index_sql(table, name)[0])


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in GIN:
        schema_editor.execute(csmgmt.core.search.gin_index_sql(table, name)[1])



class Migration(migrations.Migration):

    dependencies = [
        ('csmgmt', '0009_search_functions'),
        ('complaints', '0001_initial'),
        ('staff', '0013_merge_attendance_and_scoring_workflows'),
        ('tickets', '0009_callevent_workflow_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='search_text',
            field=models.GeneratedField(db_persist=True, expression=csmgmt.core.search.SearchFold(csmgmt.core.search.Joined(models.F('number'), models.F('complainant_name'), models.F('content'))), output_field=models.TextField(), verbose_name='search text'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['complainant_phone'], name='complaint_phone_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['complainant_name'], name='complaint_name_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.RunPython(gin_indexes, drop_gin_indexes),
    ]
