from wagtail_evidence.blocks.choosers import EvidenceChooserBlock
from wagtail_evidence.blocks.claim import ClaimBlock, ClaimValue, FigureBlock
from wagtail_evidence.blocks.evidence import EvidenceBlock, EvidenceValue
from wagtail_evidence.blocks.richtext import SanitizedRichTextBlock
from wagtail_evidence.blocks.walk import (
    iter_block_values,
    iter_page_block_values,
    stream_field_names,
    stream_values,
)


__all__ = [
    "ClaimBlock",
    "ClaimValue",
    "EvidenceBlock",
    "EvidenceChooserBlock",
    "EvidenceValue",
    "FigureBlock",
    "SanitizedRichTextBlock",
    "iter_block_values",
    "iter_page_block_values",
    "stream_field_names",
    "stream_values",
]
