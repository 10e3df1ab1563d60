"""The bench server runs with production's database options: persistent connections checked before reuse, as
production sets them, not a configuration of the bench's own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.run import ROOT, server_env

PRINT_OPTIONS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "print(json.dumps({'CONN_MAX_AGE': d['CONN_MAX_AGE'], 'CONN_HEALTH_CHECKS': d['CONN_HEALTH_CHECKS']}))"
)


def database_options(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", PRINT_OPTIONS], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_bench_server_has_production_database_options(tmp_path: Path):
    # The environment gunicorn gets from the bench, over a shell that sets no database option of its own.
    shell = {k: v for k, v in os.environ.items() if not k.startswith(("CONN_", "DJANGO_SETTINGS"))}
    bench_env = {**shell, **server_env("postgres://postgres@127.0.0.1:5432/ppid_bench", tmp_path, "")}
    production_env = {**bench_env, "DJANGO_SETTINGS_MODULE": "ppid_portal.settings.production"}

    bench = database_options(bench_env)
    production = database_options(production_env)
    assert bench == production
    assert production == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
