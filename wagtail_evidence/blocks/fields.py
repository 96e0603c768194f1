from django.utils.functional import cached_property
from wagtail import blocks

from wagtail_evidence.blocks.compare import TextComparison
from wagtail_evidence.formfields import WebURLFormField


class WebURLBlock(blocks.FieldBlock):
    """A web address in a block, as strict as every URL field of the package."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field_options = {"required": required, "help_text": help_text}
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return WebURLFormField(**self.field_options)

    def get_searchable_content(self, value):
        return []

    def get_comparison_class(self):
        return TextComparison  # the address as typed; nothing when empty

    class Meta:
        icon = "link"
