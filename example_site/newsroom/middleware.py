"""The demo's responses say they vary on Accept-Language only where it chose
their language.

Django's LocaleMiddleware adds ``Vary: Accept-Language`` to every response
whose path has no language prefix. With ``i18n_patterns(...,
prefix_default_language=False)``, as the demo's URLs are, the language of such
a path is always LANGUAGE_CODE: the middleware never reads the header, yet its
Vary makes shared caches (a CDN, a proxy) keep one copy of the English article
per browser language, or not cache it at all. Where the URL chose the language
(a /fr/ or /ar/ prefix, or none under those patterns), this takes the header
out of Vary again, and leaves every other entry of Vary as it was.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path


class LanguageFromURLMiddleware:
    """Goes just before LocaleMiddleware in MIDDLEWARE, so that it sees the
    response after LocaleMiddleware has set Vary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Vary") and self.url_chose_the_language(request):
            kept = [
                header.strip()
                for header in response["Vary"].split(",")
                if header.strip() and header.strip().lower() != "accept-language"
            ]
            del response["Vary"]
            patch_vary_headers(response, kept)
        return response

    @staticmethod
    def url_chose_the_language(request):
        """LocaleMiddleware.process_request's own choice: the path's prefix,
        else, where the default language has no prefix, LANGUAGE_CODE."""
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        patterns_used, default_prefixed = is_language_prefix_patterns_used(urlconf)
        if not patterns_used:
            return False
        return bool(get_language_from_path(request.path_info)) or not default_prefixed
