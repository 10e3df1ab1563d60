import os

from django.core.asgi import get_asgi_application

# A server or worker started without DJANGO_SETTINGS_MODULE gets production: it refuses to start without its
# secrets instead of running with DEBUG and the development key. manage.py (make run) keeps development.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.production")
django_application = get_asgi_application()

from ppid_portal.uploads import BodyLimitASGIMiddleware  # noqa: E402 (needs the settings loaded above)

# Bodies over a route's limit are stopped here, before Django spools them to a temporary file.
application = BodyLimitASGIMiddleware(django_application)
