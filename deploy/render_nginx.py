#!/usr/bin/env python3
"""Render deploy/nginx/lobiku.conf.template into an nginx site file, from the portal's own environment file.

    python3 deploy/render_nginx.py --env-file /etc/lobiku/env -o /etc/nginx/sites-available/lobiku.conf

The body caps are computed from the same variables the portal reads (PPID_UPLOAD_MAX_BYTES,
PPID_DOCUMENT_MAX_BYTES, PPID_CASE_MATERIAL_MAX_BYTES, PPID_FORM_FIELDS_MAX_BYTES, with the portal's defaults), so
nginx refuses exactly the bodies the portal would. Only the template's known placeholders are replaced; nginx's own
$variables are left alone. Standard library only: it runs before the virtualenv exists.
"""

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "lobiku.conf.template"
MiB = 1024 * 1024
# The portal's defaults (ppid_portal/settings/base.py).
# The verification page takes one letter to compare (ppid_portal/uploads.py LETTER_CHECK_MAX_BYTES: fixed, not a
# setting).
LETTER_CHECK_MAX_BYTES = 2 * MiB
PORTAL_DEFAULTS = {
    "PPID_UPLOAD_MAX_BYTES": 5 * MiB,
    "PPID_DOCUMENT_MAX_BYTES": 25 * MiB,
    "PPID_CASE_MATERIAL_MAX_BYTES": 100 * MiB,
    "PPID_FORM_FIELDS_MAX_BYTES": 2_621_440,
}
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (comments, blank lines, optional quotes)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


def placeholders(env: dict[str, str]) -> dict[str, str]:
    """Every value the template needs, from `env` (the portal's variables and optional LOBIKU_* overrides)."""
    site_url = env.get("PPID_SITE_URL", "").strip().rstrip("/")
    site = urlsplit(site_url)
    if site.scheme != "https" or not site.hostname:
        sys.exit(f"PPID_SITE_URL must be the portal's https:// address (got {site_url!r})")
    static_root = (env.get("LOBIKU_STATIC_ROOT") or env.get("STATIC_ROOT") or "").rstrip("/")
    if not static_root.startswith("/"):
        sys.exit("STATIC_ROOT (or LOBIKU_STATIC_ROOT) must be the absolute path collectstatic writes to")
    limits = {name: int(env.get(name) or default) for name, default in PORTAL_DEFAULTS.items()}
    fields = limits["PPID_FORM_FIELDS_MAX_BYTES"]
    server_name = env.get("LOBIKU_SERVER_NAME") or site.hostname
    https_listen = env.get("LOBIKU_HTTPS_LISTEN") or str(site.port or 443)
    return {
        "PPID_SITE_URL": site_url,
        "LOBIKU_SERVER_NAME": server_name,
        "LOBIKU_HTTP_LISTEN": env.get("LOBIKU_HTTP_LISTEN") or "80",
        "LOBIKU_HTTPS_LISTEN": https_listen,
        "LOBIKU_TLS_CERT": env.get("LOBIKU_TLS_CERT") or f"/etc/letsencrypt/live/{server_name}/fullchain.pem",
        "LOBIKU_TLS_KEY": env.get("LOBIKU_TLS_KEY") or f"/etc/letsencrypt/live/{server_name}/privkey.pem",
        "LOBIKU_STATIC_ROOT": static_root,
        "LOBIKU_UPSTREAM": env.get("LOBIKU_UPSTREAM") or "unix:/run/lobiku/gunicorn.sock",
        # ppid_portal/uploads.py: a route's file limit plus room for the other fields.
        "LOBIKU_BODY_FORM": str(fields),
        # Two files: the identity scan and the authority document.
        "LOBIKU_BODY_INTAKE": str(2 * limits["PPID_UPLOAD_MAX_BYTES"] + fields),
        "LOBIKU_BODY_DOCUMENT": str(limits["PPID_DOCUMENT_MAX_BYTES"] + fields),
        "LOBIKU_BODY_MATERIAL": str(limits["PPID_CASE_MATERIAL_MAX_BYTES"] + fields),
        "LOBIKU_BODY_VERIFY": str(LETTER_CHECK_MAX_BYTES + fields),
    }


def render(template: str, values: dict[str, str]) -> str:
    unknown = sorted({name for name in PLACEHOLDER.findall(template) if name not in values})
    if unknown:
        sys.exit(f"the template names placeholders this script does not fill: {', '.join(unknown)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", type=Path, help="the portal's environment file (e.g. /etc/lobiku/env)")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument("-o", "--output", type=Path, help="where to write the site file (default: stdout)")
    args = parser.parse_args(argv)
    env = read_env_file(args.env_file) if args.env_file else {}
    env.update({k: v for k, v in os.environ.items() if k.startswith(("LOBIKU_", "PPID_", "STATIC_ROOT"))})
    text = render(args.template.read_text(), placeholders(env))
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
