"""The demo newsroom's own settings, as run at scale, with a few changes for the load test.

``DEBUG``, ``SECRET_KEY`` and the database already come from the environment
(``DJANGO_DEBUG``, ``DJANGO_SECRET_KEY``, ``DATABASE_URL``), and so do the
task queue and the cache: run.py sets ``TASKS_BACKEND=rq`` and
``CACHE_BACKEND=redis`` with ``REDIS_URL`` naming a Redis database of the load
test's own, so the demo's settings put the tasks on django-tasks-rq (waiting
for the commit) and the cache, the render cache with it, in Redis, shared by
both web processes and the worker. The rest cannot come from the environment:

- the cache is named here, in Redis whatever ``CACHE_BACKEND`` says, with a
  key prefix of its own;
- Wagtail's frontend cache is installed, with its HTTP (Varnish) backend
  pointed at the fake CDN run.py serves on loopback, so that publishing
  evidence enqueues the package's purge and the worker sends it;
- uploads (the demo's posters and their renditions) go to a throwaway
  directory, not into example_site/media;
- server errors are logged to stderr, which gunicorn writes to its log, so a
  500 under load comes with its traceback (Django sends them only to mail_admins
  when DEBUG is off);
- the server may connect to loopback only, so the run cannot reach the network.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from newsroom_site.settings import *  # noqa: F403

from tests.web_process import ERRORS_TO_STDERR, loopback_only


if TASKS_BACKEND != "rq":  # noqa: F405
    raise ImproperlyConfigured("The load test runs its tasks on RQ: TASKS_BACKEND=rq.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": "wagtail-evidence-loadtest",
    }
}
INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]  # noqa: F405
WAGTAILFRONTENDCACHE = {
    "fake-cdn": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["LOADTEST_CDN_URL"],
    }
}
MEDIA_ROOT = os.environ["LOADTEST_MEDIA_ROOT"]
LOGGING = ERRORS_TO_STDERR
loopback_only("load test")
