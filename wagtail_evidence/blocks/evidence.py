from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_evidence.blocks.choosers import EvidenceChooserBlock
from wagtail_evidence.choices import Display, strictest_display


class EvidenceValue(blocks.StructValue):
    # Templates look up dict keys before attributes, so no property here may
    # share a name with a child block ("evidence", "heading", "caption", "display").

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
    display = blocks.ChoiceBlock(
        label=_("Display in this article"),
        choices=[("", _("As the evidence record says")), (Display.LINK_ONLY, _("Link only"))],
        required=False,
        help_text=_("An article can show an item more cautiously than its record, never less."),
    )

    class Meta:
        icon = "media"
        label = _("Evidence")
        template = "wagtail_evidence/blocks/evidence.html"
        value_class = EvidenceValue
