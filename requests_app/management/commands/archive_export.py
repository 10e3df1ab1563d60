from django.core.management.base import BaseCommand, CommandError

from opd_app.models import OPD
from requests_app.management.arguments import date_argument
from requests_app.services.archive import archive_export, cases_received_in


class Command(BaseCommand):
    help = ("Write the archive packages (BagIt) of the cases received in YEAR that are closed or withdrawn, past every "
            "remedy window and not exported yet, one directory per case in DEST. A second run writes nothing new; a "
            "run that stopped half-way is taken up again.")

    def add_arguments(self, parser):
        parser.add_argument("dest", help="destination directory (created if missing)")
        parser.add_argument("--year", type=int, required=True, help="the year the requests were received (WITA)")
        parser.add_argument("--opd", default="", help="only this OPD's cases (its code)")
        parser.add_argument("--date", type=date_argument, help="as of this WITA date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        code = options["opd"].strip().upper()
        if code and not OPD.objects.filter(code=code).exists():
            raise CommandError(f"Unknown OPD code: {code}")
        # Registration numbers only: no personal data on the operator's terminal or in logs.
        result = archive_export(
            cases=cases_received_in(options["year"], code), dest=options["dest"], today=options["date"],
            progress=lambda n, total, number: self.stdout.write(f"[{n}/{total}] {number}"))
        for leftover in result.cleaned:
            self.stdout.write(f"Removed an unfinished package from an earlier run: {leftover}")
        if not result.written:
            self.stdout.write("Nothing new to write: 0 packages written.")
        self.stdout.write(self.style.SUCCESS(
            f"{len(result.written)} written, {result.already} already exported (skipped), "
            f"{result.not_yet} not yet archivable."))
