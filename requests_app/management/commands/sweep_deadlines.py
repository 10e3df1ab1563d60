from django.core.management.base import BaseCommand

from requests_app.deadlines.digest import digest_send
from requests_app.deadlines.sweep import sweep_run
from requests_app.management.arguments import date_argument
from requests_app.services.notify import notifications_resend_due


class Command(BaseCommand):
    help = "Run one deadline sweep now (the same code Celery beat runs every 5 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="also send today's officer digests (once a day)")
        parser.add_argument("--date", type=date_argument, help="sweep as of this WITA date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = options["date"]
        result = sweep_run(today)
        # An operator catching up by hand also wants what the outbox still owes (beat re-sends it every minute).
        result["resent"] = notifications_resend_due()
        if options["digest"]:
            result["digests"] = digest_send(today)
        self.stdout.write(self.style.SUCCESS("Sweep: " + ", ".join(f"{k}={v}" for k, v in result.items())))
