"""The search column of calls and customer profiles (csmgmt.core.search), its bigram GIN indexes, the surname
and phone-prefix indexes, and the customer's address. The call list's trigram indexes (0008) go: the search
does not use them any more (and they cost every insert four index updates)."""

import csmgmt.core.search
from django.db import migrations, models


GIN = [('tickets_call', 'call_search_bigram_gin'), ('tickets_customer', 'customer_search_bigram_gin')]


def gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("call_caller_name_trgm", "call_organisation_trgm", "call_summary_trgm", "call_details_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for table, name in GIN:
        schema_editor.execute(csmgmt.core.search.gin_index_sql(table, name)[0])


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in GIN:
        schema_editor.execute(csmgmt.core.search.gin_index_sql(table, name)[1])
    for name, column in (("call_caller_name_trgm", "caller_name"), ("call_organisation_trgm", "organisation"),
                         ("call_summary_trgm", "summary"), ("call_details_trgm", "details")):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_call USING gin ((UPPER({column}::text)) gin_trgm_ops)")



class Migration(migrations.Migration):

    dependencies = [
        ('csmgmt', '0009_search_functions'),
        ('staff', '0013_merge_attendance_and_scoring_workflows'),
        ('tickets', '0009_callevent_workflow_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='call',
            name='search_text',
            field=models.GeneratedField(db_persist=True, expression=csmgmt.core.search.SearchFold(csmgmt.core.search.Joined(models.F('caller_name'), models.F('organisation'), models.F('summary'), models.F('details'))), output_field=models.TextField(), verbose_name='search text'),
        ),
        migrations.AddField(
            model_name='customer',
            name='address',
            field=models.CharField(blank=True, help_text='Building and door, e.g. 3号楼 2单元 501', max_length=200, verbose_name='address'),
        ),
        migrations.AddField(
            model_name='historicalcustomer',
            name='address',
            field=models.CharField(blank=True, help_text='Building and door, e.g. 3号楼 2单元 501', max_length=200, verbose_name='address'),
        ),
        migrations.AddIndex(
            model_name='call',
            index=models.Index(fields=['caller_name'], name='call_caller_name_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['name'], name='customer_name_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['-updated_at', '-id'], name='customer_updated_idx'),
        ),
        migrations.AddIndex(
            model_name='customerphone',
            index=models.Index(fields=['number'], name='customerphone_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddField(
            model_name='customer',
            name='search_text',
            field=models.GeneratedField(db_persist=True, expression=csmgmt.core.search.SearchFold(csmgmt.core.search.Joined(models.F('name'), models.F('organisation'), models.F('address'))), output_field=models.TextField(), verbose_name='search text'),
        ),
        migrations.RunPython(gin_indexes, drop_gin_indexes),
    ]
