import sys

from django.core.management.base import BaseCommand, CommandError

from ppid_portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup archive made by `backup`: checks its checksums and database vendor first, then "
            "REPLACES the database and the contents of MEDIA_ROOT. Asks first unless --yes.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive's path, or s3://bucket/key")
        parser.add_argument("--yes", action="store_true", help="replace without asking (required when not on a "
                                                               "terminal)")

    def handle(self, *args, **options):
        def confirm(manifest: dict) -> bool:
            portal = manifest.get("portal") or {}
            self.stdout.write(f"Archive verified: taken {manifest['created_at']}, {manifest['database_vendor']} "
                              f"database, {manifest['media_files']} media file(s), portal "
                              f"{portal.get('version', '?')} {portal.get('commit') or ''}".rstrip())
            if options["yes"]:
                return True
            if not sys.stdin.isatty():
                raise CommandError("Refusing to replace the database and media without --yes (not a terminal).")
            answer = input("This replaces the whole database and every file in MEDIA_ROOT. Type 'yes' to go on: ")
            return answer.strip().lower() == "yes"

        try:
            manifest = backup_restore(archive=options["archive"], confirm=confirm)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if manifest is None:
            self.stdout.write("Nothing restored.")
            return
        self.stdout.write(self.style.SUCCESS(
            "Restored. Run `manage.py migrate` if this version of the portal has newer migrations."))
