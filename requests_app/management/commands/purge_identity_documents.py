from django.core.management.base import BaseCommand

from ppid_portal.clock import wita_date
from requests_app.management.arguments import date_argument
from requests_app.services.retention import identity_document_purge, identity_documents_due_for_purge


class Command(BaseCommand):
    help = ("Delete the identity scans (and authority documents) whose retention has ended (the deadline sweep does "
            "it in batches); "
            "--dry-run only lists them.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
        parser.add_argument("--date", type=date_argument, help="as of this WITA date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = options["date"]
        due = identity_documents_due_for_purge(today)
        # Registration numbers and dates only: no personal data on the operator's terminal or in logs.
        for item in due:
            case = item.case
            closed_on = wita_date(case.closed_at)
            self.stdout.write(f"{case.registration_number}\t{case.status}\tclosed {closed_on:%Y-%m-%d}\t"
                              f"kept until {item.kept_until:%Y-%m-%d}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(due)} identity scan(s) would be deleted.")
            return
        purged = sum(identity_document_purge(case=item.case, today=today) for item in due)
        self.stdout.write(self.style.SUCCESS(f"{purged} identity scan(s) deleted."))
