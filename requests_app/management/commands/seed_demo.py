from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opd_app.models import Role
from opd_app.services import officer_create

DEMO_PASSWORD = "lobiku-demo-2026"
DEMO_ACCOUNTS = [
    ("petugas.dinkes", "DINKES", Role.PELAKSANA, "Petugas PPID Dinas Kesehatan"),
    ("atasan.dinkes", "DINKES", Role.ATASAN, "Atasan PPID Dinas Kesehatan"),
    ("petugas.dpupr", "DPUPR", Role.PELAKSANA, "Petugas PPID DPUPR"),
    ("petugas.utama", "DISKOMINFO", Role.PELAKSANA, "Petugas PPID Utama"),
    ("admin.utama", "DISKOMINFO", Role.UTAMA, "Admin PPID Utama Diskominfo"),
]


class Command(BaseCommand):
    help = "Demo accounts, one per role, for `make run`. Refused under production settings."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError("seed_demo never runs with production settings.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, opd, role, name in DEMO_ACCOUNTS:
            officer_create(username=username, opd_code=opd, role=role, password=DEMO_PASSWORD,
                           email=f"{username}@example.org", full_name=name)
            self.stdout.write(f"  {username:16} {role:10} {opd}")
