import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opd_app.models import OPD, Role
from opd_app.services import officer_create, role_allowed_at


class Command(BaseCommand):
    help = "Create an officer account bound to an OPD with a PPID role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--opd", required=True, help="OPD code, e.g. DINKES")
        parser.add_argument("--role", required=True, choices=Role.values,
                            help="utama only at the PPID Utama's OPD (it reaches every OPD)")
        parser.add_argument("--password", help="or PPID_OFFICER_PASSWORD in the environment, or a prompt")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        opd = OPD.objects.filter(code=opts["opd"].upper()).first()
        if opd is None:
            raise CommandError(f"No OPD with code {opts['opd']!r}. Run seed_opd first or check the code.")
        if not role_allowed_at(opd, opts["role"]):
            utama = OPD.objects.filter(is_ppid_utama=True).values_list("code", flat=True).first()
            raise CommandError(f"The utama role reaches every OPD and is only given at the PPID Utama's OPD "
                               f"({utama or 'none seeded'}), not at {opd.code}.")
        password = opts["password"] or os.environ.get("PPID_OFFICER_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("No password: give --password or PPID_OFFICER_PASSWORD.")
            password = getpass.getpass("Password: ")
        self._check_password(password, opts)
        user = officer_create(
            username=opts["username"], opd_code=opd.code, role=opts["role"], password=password,
            email=opts["email"], full_name=opts["name"],
        )
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {opts['role']} at {opd.code}"))

    def _check_password(self, password: str, opts) -> None:
        """The project's password validators, against the account as it will be (name, e-mail)."""
        user_model = get_user_model()
        user = user_model.objects.filter(username=opts["username"]).first() or user_model(username=opts["username"])
        if opts["email"]:
            user.email = opts["email"]
        if opts["name"]:
            user.first_name, _, user.last_name = opts["name"].partition(" ")
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
