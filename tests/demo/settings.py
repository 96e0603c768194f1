"""The demo newsroom's settings (example_site/newsroom_site/settings.py), as its
own tests run them: ``pytest --ds tests.demo.settings tests/demo``.

The rest of the suite runs on its own site, tests/testapp (tests/settings.py).
"""

import tempfile

from newsroom_site.settings import *  # noqa: F403

from tests.database import sqlite_test_database_in_a_file


DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-evidence-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
SERVE_MEDIA = True  # the browser tests read the demo's posters from the live server
DATABASES = {"default": sqlite_test_database_in_a_file(DATABASES["default"])}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Purges of articles citing changed evidence are recorded, not sent anywhere.
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
WAGTAILFRONTENDCACHE = {
    "recorder": {"BACKEND": "tests.purge_recorder.RecordingBackend"}
}
