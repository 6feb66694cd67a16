"""The search column of found items and lost reports (csmgmt.core.search), its bigram GIN indexes, the phone-prefix
indexes."""

import csmgmt.core.search
from django.db import migrations, models


GIN = [('lostfound_founditem', 'lf_item_search_bigram_gin'), ('lostfound_lostreport', 'lf_report_search_bigram_gin')]


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
        ('lostfound', '0005_trails_of_existing_records'),
        ('staff', '0013_merge_attendance_and_scoring_workflows'),
    ]

    operations = [
        migrations.AddField(
            model_name='founditem',
            name='search_text',
            field=models.GeneratedField(db_persist=True, expression=csmgmt.core.search.SearchFold(csmgmt.core.search.Joined(models.F('description'), models.F('features'), models.F('found_place'), models.F('finder_name'))), output_field=models.TextField(), verbose_name='search text'),
        ),
        migrations.AddField(
            model_name='lostreport',
            name='search_text',
            field=models.GeneratedField(db_persist=True, expression=csmgmt.core.search.SearchFold(csmgmt.core.search.Joined(models.F('description'), models.F('features'), models.F('lost_place'), models.F('owner_name'))), output_field=models.TextField(), verbose_name='search text'),
        ),
        migrations.AddIndex(
            model_name='founditem',
            index=models.Index(fields=['finder_phone'], name='lf_item_phone_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='lostreport',
            index=models.Index(fields=['owner_phone'], name='lf_report_phone_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.RunPython(gin_indexes, drop_gin_indexes),
    ]
