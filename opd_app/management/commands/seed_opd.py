from django.core.management.base import BaseCommand

from opd_app.services import opd_seed


class Command(BaseCommand):
    help = "Create or refresh the 27 OPD and Diskominfo (PPID Utama). Safe to run again."

    def handle(self, *args, **options):
        created, updated = opd_seed()
        self.stdout.write(self.style.SUCCESS(f"OPD directory: {created} created, {updated} updated."))
