from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from tests.testapp.models import ArticlePage
from wagtail_evidence.reader.feeds import EvidenceArticleFeed
from wagtail_evidence.views.api import EvidencePagesAPIViewSet
from wagtail_evidence.views.corrections import CorrectionsView


# Wagtail's read API (tests/test_api.py), through the package's pages endpoint,
# whose listing converts the listed articles' bodies together
# (tests/test_api_listing.py): live, public pages only.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", EvidencePagesAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]


def serve_media(request, path):
    # Reads MEDIA_ROOT per request: every test has its own (tests/conftest.py).
    # The live server of the browser tests serves static files, not uploads.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]


# Pages in every content language: English at /<slug>/, French at /fr/<slug>/,
# Arabic at /ar/<slug>/, as a multilingual site serves them.
class Articles(EvidenceArticleFeed):
    """The feed tests/test_feeds_and_previews.py reads."""

    title = "Articles"
    link = "/"
    description = "Every live article."

    def items(self):
        return ArticlePage.objects.live().order_by("-first_published_at")


urlpatterns += i18n_patterns(
    path("feed/", Articles(), name="feed"),
    path(
        "corrections/",
        CorrectionsView.as_view(base_template="testapp/base.html"),
        name="corrections",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
