"""W004: cached pages that nothing purges when their evidence changes."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Tags, Warning, register

from wagtail_evidence.checks.common import TAG, contains_subclass


CACHE_MIDDLEWARE = (
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
)


def frontend_cache_installed():
    # The test wagtail_evidence.purge uses to connect its purges.
    return apps.is_installed("wagtail.contrib.frontend_cache")


@register(Tags.caches, TAG)
def check_frontend_cache(app_configs, **kwargs):
    if frontend_cache_installed():
        return []
    # CacheMiddleware subclasses both, so one check finds all three.
    cached_by_middleware = any(
        contains_subclass(path, settings.MIDDLEWARE) for path in CACHE_MIDDLEWARE
    )
    configured = [
        name
        for name in ("WAGTAILFRONTENDCACHE", "WAGTAILFRONTENDCACHE_LOCATION")
        if getattr(settings, name, None)
    ]
    if configured:
        reason = f"{configured[0]} is set"
        hint = "Add 'wagtail.contrib.frontend_cache' to INSTALLED_APPS."
    elif cached_by_middleware:
        reason = "Django's cache middleware caches your pages"
        hint = (
            "Add 'wagtail.contrib.frontend_cache' to INSTALLED_APPS with a "
            "WAGTAILFRONTENDCACHE backend that purges the cache your pages are "
            "served from. Wagtail's backends purge HTTP caches and CDNs, not "
            "Django's cache: behind the cache middleware alone, keep "
            "CACHE_MIDDLEWARE_SECONDS short."
        )
    else:
        return []
    return [
        Warning(
            f"{reason}, but 'wagtail.contrib.frontend_cache' is not in "
            "INSTALLED_APPS, so no article is purged from the cache when evidence "
            "it cites is published, unpublished or deleted: readers keep seeing the "
            "old badge and warning until the cached page expires.",
            hint=hint,
            id="wagtail_evidence.W004",
        )
    ]
