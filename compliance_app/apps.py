from django.apps import AppConfig


class ComplianceAppConfig(AppConfig):
    name = "compliance_app"
    verbose_name = "Kepatuhan & laporan"

    def ready(self):
        # The report task keeps the name it had in requests_app.tasks, so ppid_portal.queueing (which imports the
        # module a name points at) would look for it there: registering it whenever the app loads lets a web
        # process enqueue it by that name, and lets a worker run messages queued under it.
        from compliance_app import tasks  # noqa: F401
