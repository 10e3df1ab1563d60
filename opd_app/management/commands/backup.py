from django.core.management.base import BaseCommand, CommandError

from ppid_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database and the private files (MEDIA_ROOT) into one timestamped archive with a manifest "
            "of checksums: in a directory (default PPID_BACKUP_DIR) or an S3-compatible bucket.")

    def add_arguments(self, parser):
        parser.add_argument("--to", help="a directory, or s3://bucket/prefix (needs the PPID_BACKUP_S3_* settings "
                                         "and boto3); default PPID_BACKUP_DIR")

    def handle(self, *args, **options):
        try:
            result = backup_create(to=options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(
            f"Backup written: {result.location} ({manifest['database_vendor']} database, "
            f"{manifest['media_files']} media file(s))."))
