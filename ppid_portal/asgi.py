import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.development")
django_application = get_asgi_application()

from ppid_portal.uploads import BodyLimitASGIMiddleware  # noqa: E402 (needs the settings loaded above)

# Bodies over a route's limit are stopped here, before Django spools them to a temporary file.
application = BodyLimitASGIMiddleware(django_application)
