"""Articles in a feed reader or a newsletter: the content warning, each cited
item's badge and the line under it, its safe description and the link to the
original, and never the media (no image, player or video: a feed reader shows
them without a warning or the reader's consent).

``EvidenceArticleFeed`` is a Django syndication feed for a site to subclass;
``plain_article_html()`` and ``plain_item_html()`` give the same text for a
newsletter (the ``evidence_email_item`` tag).
"""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string

from wagtail_evidence.i18n import reader_language
from wagtail_evidence.reader.serializers import article_warning_representation


def plain_item_html(item, heading=""):
    """One Evidence record, e-mail and feed safe: text and links only; a record
    readers may not see (a draft, unpublished) is withdrawn, as on the page."""
    if item is None or not item.live:
        return render_to_string("wagtail_evidence/plain/withdrawn.html")
    return render_to_string(
        "wagtail_evidence/plain/evidence_item.html", {"item": item, "heading": heading}
    )


def plain_article_html(page):
    """What an article shows of its evidence, e-mail and feed safe, in its language."""
    with reader_language(page):
        return render_to_string(
            "wagtail_evidence/plain/article.html",
            {
                "warning": article_warning_representation(page),
                "items": page.cited_evidence(),
            },
        )


class EvidenceArticleFeed(Feed):
    """An RSS feed of articles that use EvidenceArticleMixin. Subclass it with
    ``title``, ``link``, ``description`` and ``items()``, as for any Django
    feed (docs/how-to/feeds-and-previews.md). ``items()`` decides what is
    listed: return live, public pages (``.live().public()``), as the reader's
    page would only serve those."""

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url()

    def item_description(self, item):
        return plain_article_html(item)

    def item_pubdate(self, item):
        return item.first_published_at
