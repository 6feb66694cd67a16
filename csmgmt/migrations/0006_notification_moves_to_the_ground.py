"""The notification table moves from the staff app to the ground (csmgmt.core): the same table
(``staff_notification``), now the csmgmt app's model. State only; no row is touched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("csmgmt", "0005_report_updated_at"),
        ("staff", "0008_rule_spoils_clean_month"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("text", models.CharField(max_length=500, verbose_name="text")),
                        ("link", models.CharField(blank=True, max_length=300, verbose_name="link")),
                        ("key", models.CharField(blank=True, max_length=200, null=True, verbose_name="key")),
                        ("created", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        ("emailed", models.BooleanField(default=False, verbose_name="emailed")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                        related_name="notifications", to="staff.employee",
                                                        verbose_name="recipient")),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created", "-id"],
                        "db_table": "staff_notification",
                        "indexes": [
                            models.Index(condition=models.Q(("read_at__isnull", True)), fields=["recipient", "created"],
                                         name="notif_unread_idx"),
                            models.Index(fields=["recipient", "-created"], name="notif_recipient_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("recipient", "key"), name="notification_once_per_key"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
