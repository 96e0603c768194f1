from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_evidence.blocks.choosers import EvidenceChooserBlock
from wagtail_evidence.blocks.compare import (
    LabelledStructComparison,
    remember_stored_values,
)
from wagtail_evidence.choices import Display, WarningCategory, strictest_display
from wagtail_evidence.i18n import page_from_context, reader_language
from wagtail_evidence.media.players import player_html
from wagtail_evidence.reader import render_cache
from wagtail_evidence.reader.card import EvidenceCard, writes_block
from wagtail_evidence.reader.loading import prefetch_details
from wagtail_evidence.reader.serializers import evidence_block_representation


# Stands in for the block's anchor in cached HTML: the anchor depends on the
# request (an item cited twice gets a second one), the cached HTML must not.
DOM_ID_PLACEHOLDER = "wagtail-evidence-dom-id-placeholder"


class EvidenceValue(blocks.StructValue):
    # Templates look up dict keys before attributes, so no property here may
    # share a name with a child block ("evidence", "heading", "caption",
    # "disclosure", "display").

    @property
    def item(self):
        """What readers may see: the live record, or None when withdrawn."""
        evidence = self.get("evidence")
        return evidence if evidence is not None and evidence.live else None

    @property
    def is_withdrawn(self):
        return self.item is None

    @property
    def heading_text(self):
        evidence = self.get("evidence")
        return self.get("heading") or (evidence.title if evidence is not None else "")

    @property
    def effective_display(self):
        """The stricter of the record's display and the article's: never laxer."""
        if self.item is None:
            return Display.LINK_ONLY  # withdrawn: nothing to show
        return strictest_display(self.item.effective_display, self.get("display"))

    @property
    def is_link_only(self):
        return self.effective_display == Display.LINK_ONLY

    # What the media box shows, decided here rather than in the template.

    @property
    def description_id(self):
        """The id of the safe description a video of our own is described by,
        or "" when there is none. Made of the block's anchor, as the render
        under way sets it (EvidenceBlock.render_in_language): unique per block,
        and the render cache's placeholder in cached HTML."""
        dom_id = self.__dict__.get("rendering_dom_id")
        if not dom_id or self.item is None or not self.item.description.strip():
            return ""
        return f"{dom_id}-description"

    @property
    def player_html(self):
        """The item's player, or "" when it has none or is only linked. Built
        anew on each call: it follows the record's address and the language; a
        render asks once, through its card (reader.card.EvidenceCard)."""
        if not self.has_player:
            return ""
        return player_html(self.item, self.heading_text, self.description_id)

    @property
    def is_covered(self):
        """A warned item the reader may reveal: its warning covers it until asked."""
        return self.item is not None and self.item.is_warned and not self.is_link_only

    @property
    def choice_categories(self):
        """The categories the reader's choices look up for this item; a warning
        given without any is "other distressing content"."""
        return " ".join(self.item.warning_categories) or WarningCategory.OTHER.value

    @property
    def shows_media(self):
        """Whether the box has anything behind the warning: all but a warned,
        link-only item, which shows its warning and its link alone."""
        return self.item is not None and not (self.item.is_warned and self.is_link_only)

    @property
    def has_player(self):
        """Whether player_html is not empty, without building it: an item that is
        not link only has something to embed (Evidence.effective_display)."""
        return self.item is not None and not self.is_link_only

    @property
    def plays_own_file(self):
        """Our own video file, played in place: no third party to consent to."""
        return self.has_player and bool(self.item.video_file_id)

    @property
    def loads_after_consent(self):
        """A platform's player, loaded only when the reader asks for it."""
        return self.has_player and not self.item.video_file_id

    @property
    def can_hide(self):
        """Whether "Hide again" has something to hide."""
        return self.is_covered or self.loads_after_consent

    def own_values(self):
        """What the article sets on this block, for the render cache's key."""
        return [
            self.get("heading"),
            self.get("caption"),
            self.get("display"),
            self.get("disclosure"),
        ]


class EvidenceBlock(blocks.StructBlock):
    evidence = EvidenceChooserBlock(label=_("Evidence"))
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the evidence record's working title."),
    )
    caption = blocks.TextBlock(
        label=_("Caption"),
        required=False,
        help_text=_("What this article wants the reader to notice in this item."),
    )
    disclosure = blocks.TextBlock(
        label=_("What readers are told could not be verified"),
        required=False,
        help_text=_(
            "Needed when the item is not fully verified (its badge is Unverified, "
            "Partially verified or Disputed): say, in the article's words, what "
            "could not be established. The evidence check will not approve the "
            "article without it. Shown beside the badge."
        ),
    )
    display = blocks.ChoiceBlock(
        label=_("Display in this article"),
        choices=[
            ("", _("As the evidence record says")),
            (Display.LINK_ONLY, _("Link only")),
        ],
        required=False,
        help_text=_(
            "An article can show an item more cautiously than its record, never less."
        ),
    )

    class Meta:
        icon = "media"
        label = _("Evidence")
        template = "wagtail_evidence/blocks/evidence.html"
        value_class = EvidenceValue

    def bulk_to_python(self, values):
        """Convert a stream's evidence blocks in one batch: one query for the records,
        one cache lookup, and the details only for the blocks the cache lacks.
        The stored values stay beside them, for the revision comparison."""
        values = list(values)
        converted = remember_stored_values(values, super().bulk_to_python(values))
        shown = [value for value in converted if value.item is not None]
        if render_cache.get_cache() is None:  # off: no keys to make, nothing to look up
            prefetch_details(value.item for value in shown)
            return converted
        for value in shown:
            value.key_inputs = render_cache.key_inputs(value.item, value.own_values())
            value.render_key = render_cache.cache_key(value.key_inputs)
        cached = render_cache.get_many(
            [value.render_key for value in shown], self.stores_renders
        )
        for value in shown:
            value.cached_html = cached.get(value.render_key)
            value.render_batch = shown  # what render_missing renders together
        prefetch_details(value.item for value in shown if value.cached_html is None)
        return converted

    def get_comparison_class(self):
        """Revisions show the record by title and badge, the display by its label."""
        return LabelledStructComparison

    def get_api_representation(self, value, context=None):
        """The article's heading, caption and disclosure around the record as
        readers see it, or ``{"withdrawn": true}``; see docs/reference/api.md."""
        return evidence_block_representation(value, context)

    def render(self, value, context=None):
        # In the citing article's language, whatever the reader's browser asks
        # for: the cache key below is made in it too.
        with reader_language(page_from_context(context)):
            return self.render_in_language(value, context)

    def render_in_language(self, value, context=None):
        context = context or {}
        request = context.get("request")
        if value.item is None:  # withdrawn: nothing to cache, and no card to show
            return super().render(value, {**context, "card": None})
        dom_id = next_dom_id(request, value.item)
        if getattr(request, "is_preview", False) or render_cache.get_cache() is None:
            # Editors see drafts, never cached; and with the cache off, the cold
            # path stands on its own: no key, no placeholder to replace.
            return self.render_with_dom_id(value, dom_id)
        # The key is the one made of the block now, in the language and time
        # zone now active, whatever they were when the stream was converted.
        key_inputs = render_cache.key_inputs(value.item, value.own_values())
        if getattr(value, "key_inputs", None) == key_inputs:
            key = value.render_key
        else:
            key = render_cache.cache_key(key_inputs)
        html = (
            value.cached_html
            if getattr(value, "render_key", None) == key
            else render_cache.get(key, self.stores_renders)
        )
        if html is None:
            html = self.render_missing(value, key)
        value.render_key, value.cached_html = key, html
        value.key_inputs = key_inputs
        # The placeholder is letters and hyphens, so replacing it keeps the HTML safe.
        return mark_safe(html.replace(DOM_ID_PLACEHOLDER, dom_id))  # noqa: S308

    def render_missing(self, value, key):
        """This block's HTML for the cache, rendered with the other blocks of
        its batch the cache lacks under the keys they were looked up with (the
        language and time zone now active), and stored with them in one call:
        one round trip to a shared cache for the batch, not one per block."""
        rendered, records = {}, {}
        # A block the cache lacks keeps the key of its batch's conversion until
        # it is rendered: if this one's is the key made now, the language and
        # time zone are the conversion's, and so are its siblings' keys.
        converted_here = getattr(value, "render_key", None) == key
        batch = getattr(value, "render_batch", None) if converted_here else None
        for other in batch or [value]:
            if other is not value and other.cached_html is not None:
                continue  # cached, or rendered already
            other_key = key if other is value else other.render_key
            if other_key not in rendered:
                # Only what the record and the block say goes in: never the
                # page, the user or the request, or one reader's HTML could
                # reach another.
                placeholder_html = self.render_with_dom_id(other, DOM_ID_PLACEHOLDER)
                rendered[other_key] = str(placeholder_html)
                records[other_key] = other.item
            other.render_key, other.cached_html = other_key, rendered[other_key]
        render_cache.set_many(rendered, records if self.stores_renders else None)
        return rendered[key]

    @property
    def stores_renders(self):
        """Whether its HTML is kept in the database behind the render cache
        (reader.stored_renders): when the package writes it, never a site's
        template, which may change at any deploy."""
        return writes_block(self.meta.template)

    def render_with_dom_id(self, value, dom_id):
        """The block's template, its ids made of ``dom_id``: the template's own
        and those the player writes (see EvidenceValue.description_id). The
        template prints the ``card`` (reader.card.EvidenceCard) in one pass;
        unless a site overrides it, the card writes the same HTML in Python."""
        value.rendering_dom_id = dom_id
        card = EvidenceCard(value, value.item, dom_id)
        if card.writes_block(self.meta.template):
            return card.block_html  # the template's HTML, without its engine
        return super().render(value, {"dom_id": dom_id, "card": card})


def next_dom_id(request, item):
    """``evidence-<pk>``, the anchor claims link to; unique when an item is cited twice."""
    base = f"evidence-{item.pk}"
    if request is None:
        return base
    used = request.__dict__.setdefault("_wagtail_evidence_dom_ids", set())
    dom_id, number = base, 1
    while dom_id in used:
        number += 1
        dom_id = f"{base}-{number}"
    used.add(dom_id)
    return dom_id
