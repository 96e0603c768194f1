"""The demo's feed of articles: /feed/ in English, /fr/feed/ and /ar/feed/.

Items carry the content warning, the badges and the safe descriptions, and
link out to the originals; never the media (wagtail_evidence.reader.feeds).
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from newsroom.models import ArticlePage
from wagtail_evidence.reader.feeds import EvidenceArticleFeed


class LatestArticles(EvidenceArticleFeed):
    title = _("Demo newsroom")
    link = "/"
    description = _("Verification stories from the demo newsroom.")

    def items(self):
        articles = ArticlePage.objects.live().public()
        locale = Locale.objects.filter(language_code=translation.get_language()).first()
        if locale is not None:
            articles = articles.filter(locale=locale)
        return articles.order_by("-first_published_at")[:20]
