"""The notification table is the ground's now (csmgmt 0006): the staff app forgets it. State only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0008_rule_spoils_clean_month"),
        ("csmgmt", "0006_notification_moves_to_the_ground"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
