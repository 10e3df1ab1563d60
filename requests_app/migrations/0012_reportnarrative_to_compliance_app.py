"""ReportNarrative moved to compliance_app, which keeps its table (db_table): the model leaves requests_app's state
only; the table and its rows stay, and compliance_app's first migration takes the model into its own state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0011_notification_backoff"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportNarrative")],
            database_operations=[],
        ),
    ]
