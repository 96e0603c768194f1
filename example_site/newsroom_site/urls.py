from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from newsroom.feeds import LatestArticles
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from wagtail_evidence.views.api import EvidencePagesAPIViewSet
from wagtail_evidence.views.corrections import CorrectionsView


# Wagtail's read API for headless front ends (docs/reference/api.md): live,
# public pages only, with the evidence as data. The package's pages endpoint
# lists articles with their bodies at the same query count for one or fifty.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", EvidencePagesAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]


def serve_media(request, path):
    # Reads MEDIA_ROOT per request, so tests that move it are served too.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

# Pages in every content language: English at /<slug>/, French at /fr/<slug>/,
# Arabic at /ar/<slug>/ (docs/how-to/translate.md). The prefix chooses the
# language of the page tree and of everything around it.
urlpatterns += i18n_patterns(
    path("feed/", LatestArticles(), name="feed"),
    path(
        "corrections/",
        CorrectionsView.as_view(base_template="newsroom/base.html"),
        name="corrections",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
