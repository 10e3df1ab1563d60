"""case_overdue_unmarked_idx (open cases with overdue_at IS NULL) goes: the sweep reads case_overdue_unnotified_idx,
and the bench's raw floor now selects by the same condition, so nothing reads this one."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('requests_app', '0012_reportnarrative_to_compliance_app'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_overdue_unmarked_idx',
        ),
    ]
