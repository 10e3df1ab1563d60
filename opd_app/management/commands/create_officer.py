import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from opd_app.models import OPD, Role
from opd_app.services import officer_create


class Command(BaseCommand):
    help = "Create an officer account bound to an OPD with a PPID role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--opd", required=True, help="OPD code, e.g. DINKES")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="or PPID_OFFICER_PASSWORD in the environment, or a prompt")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        if not OPD.objects.filter(code=opts["opd"].upper()).exists():
            raise CommandError(f"No OPD with code {opts['opd']!r}. Run seed_opd first or check the code.")
        password = opts["password"] or os.environ.get("PPID_OFFICER_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("No password: give --password or PPID_OFFICER_PASSWORD.")
            password = getpass.getpass("Password: ")
        user = officer_create(
            username=opts["username"], opd_code=opts["opd"], role=opts["role"], password=password,
            email=opts["email"], full_name=opts["name"],
        )
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {opts['role']} at {opts['opd'].upper()}"))
