"""The suite's site as a web process of its own (tests/test_render_cache_shared.py
starts two with gunicorn): on the test process's database and a Redis cache
that both share, named by the environment; loopback only, like the suite.
"""

import json
import os

from tests.settings import *  # noqa: F403
from tests.web_process import ERRORS_TO_STDERR, loopback_only


DATABASES = {"default": json.loads(os.environ["WAGTAIL_EVIDENCE_SHARED_DATABASE"])}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["WAGTAIL_EVIDENCE_SHARED_REDIS"],
        "KEY_PREFIX": "wagtail-evidence-tests",
    }
}
LOGGING = ERRORS_TO_STDERR
loopback_only("test server")
