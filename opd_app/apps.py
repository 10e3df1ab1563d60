from django.apps import AppConfig


class OpdAppConfig(AppConfig):
    name = "opd_app"
    verbose_name = "OPD & PPID"
