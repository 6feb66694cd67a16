# The repair revisit's fields of the call moved to CallRevisit (0016 copied them).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0018_call_revisits'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='call',
            name='call_repair_satisfaction_1_to_5',
        ),
        migrations.RemoveField(
            model_name='call',
            name='repair_revisited_at',
        ),
        migrations.RemoveField(
            model_name='call',
            name='repair_satisfaction',
        ),
        migrations.RemoveField(
            model_name='historicalcall',
            name='repair_revisited_at',
        ),
        migrations.RemoveField(
            model_name='historicalcall',
            name='repair_satisfaction',
        ),
    ]
