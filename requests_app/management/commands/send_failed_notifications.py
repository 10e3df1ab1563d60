from django.core.management.base import BaseCommand

from requests_app.models import Notification, NotificationStatus
from requests_app.services.notify import notifications_send_again


class Command(BaseCommand):
    help = ("Send failed notifications again (all of them, or the given ids), e.g. after the mail set-up was fixed: "
            "the same as the admin's 'send again'.")

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="outbox row ids; default every failed row")

    def handle(self, *args, **options):
        ids = options["ids"] or list(Notification.objects.filter(status=NotificationStatus.FAILED)
                                     .values_list("pk", flat=True))
        count = notifications_send_again(ids)
        self.stdout.write(self.style.SUCCESS(f"{count} failed notifications queued to be sent again."))
