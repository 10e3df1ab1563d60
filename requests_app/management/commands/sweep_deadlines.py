from django.core.management.base import BaseCommand

from requests_app.services.sweep import sweep_run


class Command(BaseCommand):
    help = "Run one deadline sweep now (the same code Celery beat runs)."

    def handle(self, *args, **options):
        result = sweep_run()
        self.stdout.write(self.style.SUCCESS("Sweep: " + ", ".join(f"{k}={v}" for k, v in result.items())))
