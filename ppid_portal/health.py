"""/healthz: the database and the broker, each checked for real."""

from django.db import connection
from django.http import JsonResponse


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    from ppid_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def healthz(request):
    report, healthy = {}, True
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency is the answer, not a crash
            report[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    report["status"] = "ok" if healthy else "degraded"
    return JsonResponse(report, status=200 if healthy else 503)
