"""Settings of the suite's own site, tests/testapp: the package installed as a
project installs it, with the pages it needs and nothing of the demo's.

The demo's own tests run on the demo's settings instead (tests/demo/settings.py).
The database comes from ``DATABASE_URL`` (default: SQLite; tests/database.py says why its test database is a file), so the
suite runs on PostgreSQL too:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence``.
"""

import tempfile

import dj_database_url

from tests.database import sqlite_test_database_in_a_file
from wagtail_evidence.media.providers import player_frame_sources


SECRET_KEY = "tests-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "tests.testapp",
    "wagtail_evidence",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Purges of articles citing changed evidence are recorded, not sent anywhere.
    "wagtail.contrib.frontend_cache",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware: the /fr/ and /ar/ prefixes.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "wagtail_evidence.editorial.middleware.EvidenceGateMiddleware",
]

ROOT_URLCONF = "tests.testapp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": sqlite_test_database_in_a_file(
        dj_database_url.config(default="sqlite://:memory:", conn_max_age=60)
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Articles in English, French and Arabic cite the same evidence records; each
# renders in its page's language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-evidence-media-")  # and per test
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Evidence test site"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["mp4", "webm", "mov", "vtt", "pdf", "png", "jpg", "txt"]
# Nothing fetches embeds: every render and save stays off the network.
WAGTAILEMBEDS_FINDERS = []
WAGTAILFRONTENDCACHE = {
    "recorder": {"BACKEND": "tests.purge_recorder.RecordingBackend"}
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

WAGTAIL_EVIDENCE = {}
# A workflow that contains an evidence check runs it again on what goes live.
WAGTAIL_FINISH_WORKFLOW_ACTION = (
    "wagtail_evidence.editorial.finish_action.publish_workflow_state"
)

# The strict policy for readers that docs/how-to/content-security-policy.md
# recommends: no inline script or style, frames only from the players' origins.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": player_frame_sources(),
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
