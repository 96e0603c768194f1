from wagtail.blocks import RichTextBlock
from wagtail.rich_text import RichText

from wagtail_evidence.sanitize import sanitize_html


class SanitizedRichTextBlock(RichTextBlock):
    """Wagtail's RichTextBlock, sanitized when the form is cleaned (so previews are
    safe too) and whenever its value is saved, whoever wrote it.

    Values written as raw stream JSON reach ``get_prep_value`` only once the stream
    is read; ``EvidenceArticleMixin`` reads every stream before it saves, see
    ``bind_streams``.
    """

    def clean(self, value):
        return RichText(sanitize_html(super().clean(value).source))

    def get_prep_value(self, value):
        return sanitize_html(super().get_prep_value(value))
