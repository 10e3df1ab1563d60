"""Container healthchecks: `python scripts/healthcheck.py web|beat`; exit 0 when healthy, 1 otherwise.

web: GET /healthz on the local gunicorn with a Host header that ALLOWED_HOSTS accepts (its first entry; a
leading dot is a domain wildcard, so the bare domain is used). A 503 (database or broker down) fails it.
beat: beat has sent the deadline sweep within two of its intervals (ppid_portal.health.check_beat)."""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path


def allowed_host() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    return "localhost" if host == "*" else host.lstrip(".")


def web(port: str = os.environ.get("PORT", "8000")) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310 - a fixed local URL
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as exc:
        print(f"/healthz answered {exc.code}: {exc.read().decode()[:500]}")
    except OSError as exc:
        print(f"/healthz unreachable: {exc}")
    return 1


def beat() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.production")
    import django

    django.setup()
    from ppid_portal.health import check_beat

    report = check_beat()
    print(json.dumps(report))
    return 0 if report["status"] in ("ok", "starting") else 1


if __name__ == "__main__":
    checks = {"web": web, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(checks)}")
    sys.exit(checks[sys.argv[1]]())
