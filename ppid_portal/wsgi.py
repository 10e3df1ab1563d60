import os

from django.core.wsgi import get_wsgi_application

# A server or worker started without DJANGO_SETTINGS_MODULE gets production: it refuses to start without its
# secrets instead of running with DEBUG and the development key. manage.py (make run) keeps development.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.production")
application = get_wsgi_application()
