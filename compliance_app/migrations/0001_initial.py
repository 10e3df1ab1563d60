"""ReportNarrative, moved from requests_app with its table (requests_app 0005 created it): state only, no SQL."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # requests_app created the table (0005) and released the model from its state (0012): this app claims both.
        # The dependency points one way, as the imports do: requests_app's migrations never need this app.
        ("requests_app", "0012_reportnarrative_to_compliance_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportNarrative",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(unique=True)),
                        ("sections", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField()),
                        ("updated_by", models.ForeignKey(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.SET_NULL,
                                                         to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "requests_app_reportnarrative"},
                ),
            ],
            database_operations=[],
        ),
    ]
