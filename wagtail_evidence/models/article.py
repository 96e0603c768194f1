"""An abstract mixin for the project's own article page model.

Wagtail 8 lets projects swap the base Page model, so the package ships a mixin,
not a concrete page::

    class ArticlePage(EvidenceArticleMixin, Page):
        body = StreamField([... ("evidence", EvidenceBlock()), ("claim", ClaimBlock())])
        content_panels = Page.content_panels + [FieldPanel("body")]
        settings_panels = Page.settings_panels + EvidenceArticleMixin.evidence_panels
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from wagtail_evidence.blocks.citations import ArticleCitations
from wagtail_evidence.blocks.walk import bind_streams, stream_values
from wagtail_evidence.choices import (
    WarningCategory,
    WarningLevel,
    WarningStyle,
    most_severe_warning,
)
from wagtail_evidence.editorial.article_form import EvidenceArticleForm
from wagtail_evidence.editorial.gate import gate_save


@dataclass
class ArticleWarning:
    level: str
    categories: list = field(default_factory=list)  # labels, in the choices' order
    text: str = ""
    photosensitive: bool = False  # an item has flashing or strobing lights
    derived: bool = False
    style: str = WarningStyle.NOTICE

    @property
    def is_shown(self):
        return self.level != WarningLevel.NONE

    @property
    def is_interstitial(self):
        return self.is_shown and self.style == WarningStyle.INTERSTITIAL

    def get_level_display(self):
        return WarningLevel(self.level).label


class EvidenceArticleMixin(models.Model):
    # Projects that set their own base_form_class should subclass this one.
    base_form_class = EvidenceArticleForm

    content_warning_level = models.CharField(
        _("content warning"),
        max_length=16,
        blank=True,
        choices=[
            ("", _("Automatic: from the evidence cited")),
            (WarningLevel.DISTURBING, WarningLevel.DISTURBING.label),
            (WarningLevel.GRAPHIC, WarningLevel.GRAPHIC.label),
        ],
        help_text=_(
            "Readers meet this warning before the article's body. When left "
            "automatic, the article takes the most severe warning of the evidence "
            "it shows; an explicit choice can only make it more severe."
        ),
    )
    content_warning_style = models.CharField(
        _("how readers meet the warning"),
        max_length=16,
        choices=WarningStyle.choices,
        default=WarningStyle.NOTICE,
        help_text=_(
            "Choose the interstitial only when the text itself is distressing: "
            "the headline stays visible, the body waits for the reader."
        ),
    )
    content_warning_text = models.TextField(
        _("wording of the warning"),
        blank=True,
        help_text=_(
            "Leave empty for a standard sentence for the warning's level; the "
            "kinds of material (violence, distress…) follow it either way."
        ),
    )

    evidence_panels = [
        MultiFieldPanel(
            [
                FieldPanel("content_warning_level"),
                FieldPanel("content_warning_style"),
                FieldPanel("content_warning_text"),
            ],
            heading=_("Content warning"),
        )
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Publishes save live with clean=True, but Wagtail's page copy saves live
        # copies with clean=False: gate_save knows both. Draft saves of a live
        # page (save_revision: clean=False, an existing row) are never blocked.
        gate_save(
            self,
            clean=kwargs.get("clean", True),
            update_fields=kwargs.get("update_fields"),
        )
        bind_streams(self)
        return super().save(*args, **kwargs)

    def serializable_data(self):
        # What a revision stores: as sanitized as what a save stores.
        bind_streams(self)
        return super().serializable_data()

    def evidence_citations(self):
        """The evidence blocks and claims of the article, read in one walk
        (blocks.citations): what the gate, the warning, the API and JSON-LD read."""
        return ArticleCitations(stream_values(self))

    def cited_evidence(self):
        """The live Evidence records the article shows, each once, in order.
        What readers are shown: walked once per instance, as content_warning
        is worked out once (a page's warning, legend, preview, corrections and
        API fields each ask); the gate and the citations asked when saving
        walk the streams afresh (evidence_citations)."""
        return list(self.shown_evidence)

    def stored_streams(self):
        """The article's streams as stored (Wagtail keeps what it loaded; a
        block changed in memory is prepared again): what its cached JSON-LD
        and corrections notice are keyed on (reader.article_fragments)."""
        return [list(stream.raw_data) for stream in stream_values(self)]

    @cached_property
    def shown_evidence(self):
        return tuple(self.evidence_citations().shown)

    @cached_property
    def cited_evidence_ids(self):
        """Primary keys of what the article shows, for links from claims."""
        return {item.pk for item in self.cited_evidence()}

    @cached_property
    def content_warning(self):
        return self.get_content_warning()

    def get_content_warning(self):
        warned = [item for item in self.cited_evidence() if item.is_warned]
        derived_level = most_severe_warning(item.warning_level for item in warned)
        level = most_severe_warning(
            [derived_level, self.content_warning_level or WarningLevel.NONE]
        )
        categories = {value for item in warned for value in item.warning_categories}
        return ArticleWarning(
            level=level,
            categories=[
                label for value, label in WarningCategory.choices if value in categories
            ],
            text=self.content_warning_text,
            photosensitive=WarningCategory.FLASHING in categories,
            derived=not self.content_warning_level,
            style=self.content_warning_style,
        )
