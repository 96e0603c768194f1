"""The demo's URLs with a prefix on every language, English too (/en/): where
Django's LocaleMiddleware chooses an unprefixed address's language from the
browser's Accept-Language (tests/demo/test_cache_safety.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls


urlpatterns = i18n_patterns(path("", include(wagtail_urls)))
