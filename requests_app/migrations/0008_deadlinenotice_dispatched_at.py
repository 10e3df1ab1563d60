from django.db import migrations, models
from django.db.models import F


def backfill(apps, schema_editor):
    """Every existing ledger row was dispatched by the sweep that claimed it (the old code wrote its
    notifications in the same transaction)."""
    DeadlineNotice = apps.get_model("requests_app", "DeadlineNotice")
    DeadlineNotice.objects.filter(dispatched_at__isnull=True).update(dispatched_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0007_case_overdue_notice_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinenotice",
            name="dispatched_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="deadlinenotice",
            index=models.Index(condition=models.Q(("dispatched_at__isnull", True)), fields=["created_at"],
                               name="deadline_undispatched_idx"),
        ),
    ]
