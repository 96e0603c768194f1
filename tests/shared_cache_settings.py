"""The suite's site as a web process of its own (tests/test_render_cache_shared.py
starts two with gunicorn): on the test process's database and a Redis cache
that both share, named by the environment; loopback only, like the suite.
"""

import json
import os
import socket

from tests.settings import *  # noqa: F403


DATABASES = {"default": json.loads(os.environ["WAGTAIL_EVIDENCE_SHARED_DATABASE"])}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["WAGTAIL_EVIDENCE_SHARED_REDIS"],
        "KEY_PREFIX": "wagtail-evidence-tests",
    }
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR"}},
}

LOOPBACK_PREFIXES = ("127.", "::1", "localhost")
_connect = socket.socket.connect


def _loopback_only(sock, address):
    host = address[0] if isinstance(address, tuple) else address
    if sock.family == socket.AF_UNIX or str(host).startswith(LOOPBACK_PREFIXES):
        return _connect(sock, address)
    raise ConnectionRefusedError(f"test server: refusing to reach {address!r}")


socket.socket.connect = _loopback_only
