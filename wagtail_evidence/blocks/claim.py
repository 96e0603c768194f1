from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_evidence.blocks.choosers import EvidenceChooserBlock
from wagtail_evidence.blocks.compare import (
    LabelledStructComparison,
    remember_stored_values,
)
from wagtail_evidence.blocks.fields import WebURLBlock
from wagtail_evidence.choices import (
    CLAIMANT_KIND_FOR_READERS,
    Assessment,
    ClaimantKind,
    ClaimDatePrecision,
    Stance,
)
from wagtail_evidence.dates import format_with_precision, iso_with_precision
from wagtail_evidence.i18n import page_from_context, reader_language
from wagtail_evidence.reader.serializers import claim_representation
from wagtail_evidence.validators import validate_not_in_future


class FigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Figure"), max_length=64, help_text=_("e.g. 134"))
    label = blocks.CharBlock(
        label=_("What it counts"), max_length=255, help_text=_("e.g. fighters killed")
    )

    def get_comparison_class(self):
        return LabelledStructComparison

    class Meta:
        icon = "order"
        label = _("Attributed figure")


def choice_label(choices, value, default):
    """The label of ``value``, or of the block's default when stream data written
    by code holds none, or one the vocabulary no longer has."""
    try:
        return choices(value).label
    except ValueError:
        return choices(default).label


class ClaimValue(blocks.StructValue):
    @property
    def stance_label(self):
        return choice_label(Stance, self.get("stance"), Stance.ASSERTION)

    @property
    def assessment_label(self):
        return choice_label(
            Assessment, self.get("assessment"), Assessment.NOT_INDEPENDENTLY_VERIFIED
        )

    @property
    def claimant_kind_for_readers(self):
        """ "a party to the conflict", or "" where the kind is not given or "Other"."""
        return CLAIMANT_KIND_FOR_READERS.get(self.get("claimant_kind"), "")

    @property
    def claimed_on_text(self):
        """The claim's date in the reader's language, to its precision."""
        return format_with_precision(self.get("claimed_on"), self.date_precision)

    @property
    def claimed_on_iso(self):
        return iso_with_precision(self.get("claimed_on"), self.date_precision)

    @property
    def date_precision(self):
        precision = self.get("claimed_on_precision")
        return (
            precision
            if precision in ClaimDatePrecision.values
            else ClaimDatePrecision.EXACT
        )

    @property
    def evidence_items(self):
        """The live evidence the claim is set against; withdrawn items drop out."""
        return [
            item
            for item in self.get("evidence") or []
            if item is not None and item.live
        ]


class ClaimBlock(blocks.StructBlock):
    """An assertion, a denial or a counter-claim, attributed, with our assessment."""

    stance = blocks.ChoiceBlock(
        label=_("Stance"), choices=Stance.choices, default=Stance.ASSERTION
    )
    statement = blocks.TextBlock(
        label=_("Statement"),
        help_text=_("What was claimed or denied, in the claimant's terms."),
    )
    claimant = blocks.CharBlock(
        label=_("Claimant"),
        max_length=255,
        help_text=_("Who made the claim: a person, a ministry, an NGO, a newspaper."),
    )
    claimant_kind = blocks.ChoiceBlock(
        label=_("Kind of claimant"), choices=ClaimantKind.choices, required=False
    )
    claimed_on = blocks.DateBlock(
        label=_("Date of the claim"),
        required=False,
        validators=[validate_not_in_future],
    )
    claimed_on_precision = blocks.ChoiceBlock(
        label=_("Precision of the date"),
        choices=ClaimDatePrecision.choices,
        default=ClaimDatePrecision.EXACT,
        required=False,
        help_text=_(
            "For a report known only by its month or year, pick any day in it: "
            "readers see the month or the year alone."
        ),
    )
    source_url = WebURLBlock(
        label=_("Where it was made"),
        required=False,
        help_text=_("A link to the statement, report or article."),
    )
    source_title = blocks.CharBlock(
        label=_("Where it was made, in words"),
        max_length=255,
        required=False,
        help_text=_(
            "e.g. a report on poverty in Syria, interviews with fighters. Readers "
            "see it as the link's text, or alone when there is no link."
        ),
    )
    figures = blocks.ListBlock(
        FigureBlock(), label=_("Attributed figures"), required=False, default=[]
    )
    assessment = blocks.ChoiceBlock(
        label=_("Our assessment"),
        choices=Assessment.choices,
        default=Assessment.NOT_INDEPENDENTLY_VERIFIED,
    )
    assessment_note = blocks.TextBlock(
        label=_("What the evidence shows"), required=False
    )
    evidence = blocks.ListBlock(
        EvidenceChooserBlock(),
        label=_("Evidence it is set against"),
        required=False,
        default=[],
    )

    def bulk_to_python(self, values):
        # The stored ids stay beside the values: a deleted record converts to
        # None, and the revision comparison still names it by its id.
        values = list(values)
        return remember_stored_values(values, super().bulk_to_python(values))

    def get_comparison_class(self):
        """Revisions show the stance and assessment by their labels and the
        evidence rows by title and badge."""
        return LabelledStructComparison

    def get_api_representation(self, value, context=None):
        """What claim.html shows, as data; see docs/reference/api.md."""
        return claim_representation(value, context)

    def render(self, value, context=None):
        """In the citing article's language, whatever the reader's browser asks for."""
        with reader_language(page_from_context(context)):
            return super().render(value, context)

    class Meta:
        icon = "openquote"
        label = _("Claim or denial")
        template = "wagtail_evidence/blocks/claim.html"
        value_class = ClaimValue
