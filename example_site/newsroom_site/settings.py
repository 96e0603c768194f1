"""Settings for the demo newsroom.

The database comes from ``DATABASE_URL`` (default: an SQLite file beside this
site), so the same site runs on PostgreSQL:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


SITE_DIR = Path(__file__).resolve().parent.parent

# A fixed key is fine for a demo on loopback; a real site reads it from its secrets.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret")  # noqa: S105
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "newsroom",
    "wagtail_evidence",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",  # "Translate" on pages, for editors
    "wagtail.locales",  # Settings > Locales
    "wagtail.api.v2",  # the read API for headless front ends, at /api/v2/
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
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Takes Accept-Language out of Vary where the URL chose the language: one
    # cached copy of each page, whatever the browser's language (see the module).
    "newsroom.middleware.LanguageFromURLMiddleware",
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

ROOT_URLCONF = "newsroom_site.urls"

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

WSGI_APPLICATION = "newsroom_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SITE_DIR / 'demo.sqlite3'}", conn_max_age=60
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Articles in English, French and Arabic cite the same evidence records; each
# renders in its page's language (docs/how-to/translate.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
# Dates on English pages are written as the desk writes them: "25 September 2020".
FORMAT_MODULE_PATH = ["newsroom.formats"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = SITE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = SITE_DIR / "media"

WAGTAIL_SITE_NAME = "Demo newsroom"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["mp4", "webm", "mov", "vtt", "pdf", "png", "jpg", "txt"]
# Nothing in the demo fetches embeds; keep every render and save off the network.
WAGTAILEMBEDS_FINDERS = []

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work (Wagtail's reference index updates, the package's frontend
# cache purges) runs through django-tasks. By default it runs in the request
# (django-tasks' immediate backend), so `make demo` needs no service and no
# second process. TASKS_BACKEND=rq queues it in Redis for an RQ worker:
#   TASKS_BACKEND=rq python manage.py rqworker --with-scheduler
# and CACHE_BACKEND=redis keeps the cache (and the render cache in it) in Redis,
# shared by every web process; REDIS_URL names the Redis (default: 127.0.0.1:6379).
# See docs/how-to/running-at-scale.md.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # what django-tasks-rq's jobs need
    # django-tasks-rq's backend, waiting for the commit (newsroom/tasks.py says why).
    TASKS = {"default": {"BACKEND": "newsroom.tasks.RQBackendOnCommit"}}
elif TASKS_BACKEND != "immediate":
    raise ImproperlyConfigured(
        f"TASKS_BACKEND is {TASKS_BACKEND!r}: use 'immediate' (the default) or 'rq'."
    )
if os.environ.get("CACHE_BACKEND") == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }

WAGTAIL_EVIDENCE = {}
# A workflow that contains an evidence check runs it again on what goes live.
WAGTAIL_FINISH_WORKFLOW_ACTION = (
    "wagtail_evidence.editorial.finish_action.publish_workflow_state"
)

# A strict Content-Security-Policy for readers: no inline script or style, and
# frames only from the players' own origins (wagtail_evidence.media.providers builds the
# list from the configured providers). Wagtail's admin uses inline code of its
# own, so it is left out.
from wagtail_evidence.media.providers import player_frame_sources  # noqa: E402


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
