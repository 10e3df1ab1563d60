from django.core.management.base import BaseCommand

from opd_app.services import opd_seed


class Command(BaseCommand):
    help = ("Create the 27 OPD and Diskominfo (PPID Utama) that are missing. Safe to run again: an existing OPD keeps "
            "its edits unless --update.")

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true",
                            help="overwrite the existing OPD's name, kind and letterhead with the seed's")

    def handle(self, *args, **options):
        created, updated = opd_seed(update=options["update"])
        self.stdout.write(self.style.SUCCESS(f"OPD directory: {created} created, {updated} updated."))
