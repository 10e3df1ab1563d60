from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opd_app.models import OPD
from requests_app.services.register_import import COLUMNS, read_register, register_import


class Command(BaseCommand):
    help = ("Load an OPD's earlier register of requests from a .csv (UTF-8) or .xlsx file so the figures of past "
            f"years are complete. Columns: {', '.join(COLUMNS)} (received_on, name and information_requested "
            "required; decision as a code or its label, 'dicabut' for withdrawn; answered_on with a decision). "
            "Imported cases are finished, get no tracking code and no e-mail. Every row is checked first; with "
            "any error nothing is imported.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register, .csv or .xlsx (first sheet)")
        parser.add_argument("--opd", required=True, help="the OPD whose register it is, e.g. DINKES")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, **options):
        opd = OPD.objects.filter(code=options["opd"].upper()).first()
        if opd is None:
            raise CommandError(f"No OPD with code {options['opd']!r}.")
        path = Path(options["file"])
        try:
            cells = read_register(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = register_import(cells, opd=opd, source=path.name, dry_run=options["dry_run"])
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written: {len(result.created)} request(s) "
                                                 f"would be imported into {opd.code}."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"{len(result.created)} request(s) imported into {opd.code}: "
            f"{result.created[0]} … {result.created[-1]}."))
