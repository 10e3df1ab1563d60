"""Case.answer_working_days: working days from received_on to the answer (WITA), for the compliance figures."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

WITA = ZoneInfo("Asia/Makassar")


def backfill(apps, schema_editor):
    # Same rule as requests_app.workdays.Calendar.working_days_between (a migration must not import app code
    # that may change later): working days in (received_on, answered date].
    Case = apps.get_model("requests_app", "Case")
    Holiday = apps.get_model("requests_app", "Holiday")
    holidays = set(Holiday.objects.values_list("date", flat=True))
    for case in Case.objects.filter(answered_at__isnull=False, answer_working_days__isnull=True).iterator():
        end = case.answered_at.astimezone(WITA).date()
        day, count = case.received_on, 0
        while day < end:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in holidays:
                count += 1
        Case.objects.filter(pk=case.pk).update(answer_working_days=count)


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0002_deadline_notice_objection_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="answer_working_days",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
