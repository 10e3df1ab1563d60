from django.core.management.base import BaseCommand

from ppid_portal.clock import today_wita
from requests_app.models import RemovedHoliday
from requests_app.services.holidays import holidays_seed


class Command(BaseCommand):
    help = ("Fill the holiday table from the `holidays` package (Indonesia, public + government/cuti bersama). Days "
            "already there keep their edits; days an admin deleted are not added back unless --restore-deleted.")

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="*", type=int, help="default: the current year ± 2")
        parser.add_argument("--restore-deleted", action="store_true",
                            help="add back the package's days that an admin deleted or moved in these years")

    def handle(self, *args, **options):
        year = today_wita().year
        years = options["years"] or list(range(year - 2, year + 3))
        created = holidays_seed(years, restore_deleted=options["restore_deleted"])
        kept_out = RemovedHoliday.objects.filter(date__year__in=years).count()
        note = f" {kept_out} deleted by an admin stay deleted (--restore-deleted adds them back)." if kept_out else ""
        self.stdout.write(self.style.SUCCESS(f"Holidays: {created} added for {years[0]}–{years[-1]}.{note}"))
