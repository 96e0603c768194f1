"""The test site's pages: a home page and an article page that uses the package
as a project's own article model would (docs/how-to/add-to-your-article-model.md).

They mirror the demo site's (example_site/) in what the suite uses, and nothing
else: the demo may change without the suite noticing.
"""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_evidence.blocks import ClaimBlock, EvidenceBlock, SanitizedRichTextBlock
from wagtail_evidence.models import EvidenceArticleMixin, SanitizedRichTextField
from wagtail_evidence.reader.serializers import ArticleWarningField


class HomePage(Page):
    intro = SanitizedRichTextField(
        "introduction", blank=True, features=["bold", "italic", "link"]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["testapp.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().order_by("-first_published_at")
        )
        return context


class ArticlePage(EvidenceArticleMixin, Page):
    standfirst = models.TextField("standfirst", blank=True)
    # An image chooser of the site's own: the admin covers a warned poster
    # chosen here too.
    feed_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="feed image",
    )
    body = StreamField(
        [
            (
                "heading",
                blocks.CharBlock(
                    form_classname="title", template="testapp/blocks/heading.html"
                ),
            ),
            ("paragraph", SanitizedRichTextBlock(features=["bold", "italic", "link"])),
            ("evidence", EvidenceBlock()),
            ("claim", ClaimBlock()),
        ],
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        *EvidenceArticleMixin.evidence_panels,
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("feed_image")]

    # Wagtail API v2 (/api/v2/pages/<id>/): the body's evidence and claims as data.
    api_fields = [
        APIField("standfirst"),
        APIField("content_warning", serializer=ArticleWarningField()),
        APIField("body"),
    ]

    parent_page_types = ["testapp.HomePage"]
    subpage_types = []
