"""Settings for the benchmark server: production settings plus the floor views and a query counter.

Never used by the product: `python -m bench` sets DJANGO_SETTINGS_MODULE=bench.settings for the gunicorn
it starts. The floors live under /_bench/ in bench.urls, which includes the product's URLconf unchanged.
"""

import warnings

from ppid_portal.settings.production import *  # noqa: F403
from ppid_portal.settings.production import MIDDLEWARE, STORAGES

ROOT_URLCONF = "bench.urls"
# Outermost, so the count includes the session and authentication queries of every request.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# The bench serves no static files (it measures views); whitenoise's warning about a missing STATIC_ROOT is noise.
warnings.filterwarnings("ignore", message="No directory at")
# Nor does it run collectstatic: production's manifest storage would refuse to name a file it never collected.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}

# The bench's tasks travel on their own queue, emptied at the start of each run: a broker shared with a
# running portal is never touched, and the Celery worker the bench starts drains only this run's outbox.
CELERY_TASK_DEFAULT_QUEUE = "ppid_bench"
