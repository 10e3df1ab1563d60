from django.core.management.base import BaseCommand, CommandError

from opd_app.directory_import import COLUMNS, opd_import


class Command(BaseCommand):
    help = ("Load an OPD directory from a CSV file (UTF-8; comma, semicolon or tab separated) with a header row. "
            f"Columns: {', '.join(COLUMNS)} (code and name required; kind is told by the name's first word when "
            "blank; is_ppid_utama ya/tidak, exactly one overall). Every row is checked first; with any error "
            "nothing is imported.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--update", action="store_true",
                            help="also overwrite OPD whose code already exists (default: leave them untouched)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc} (save it as CSV in UTF-8)") from exc
        result = opd_import(text, update=options["update"], dry_run=options["dry_run"])
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        prefix = "Dry run, nothing written: would create" if options["dry_run"] else "Created"
        self.stdout.write(self.style.SUCCESS(
            f"{prefix} {len(result.created)}, updated {len(result.updated)}, left untouched "
            f"{len(result.skipped)} (existing codes{'' if options['update'] else '; --update to overwrite'})."))
        for label, codes in (("created", result.created), ("updated", result.updated),
                             ("untouched", result.skipped)):
            if codes:
                self.stdout.write(f"  {label}: {', '.join(codes)}")
