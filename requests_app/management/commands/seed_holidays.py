from django.core.management.base import BaseCommand

from ppid_portal.clock import today_wita
from requests_app.services.holidays import holidays_seed


class Command(BaseCommand):
    help = "Fill the holiday table from the `holidays` package (Indonesia, public + government/cuti bersama)."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="*", type=int, help="default: the current year ± 2")

    def handle(self, *args, **options):
        year = today_wita().year
        years = options["years"] or list(range(year - 2, year + 3))
        created = holidays_seed(years)
        self.stdout.write(self.style.SUCCESS(f"Holidays: {created} added for {years[0]}–{years[-1]}."))
