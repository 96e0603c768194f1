from django.db.models import Prefetch
from django.utils.functional import cached_property
from wagtail.images import get_image_model
from wagtail.snippets.blocks import SnippetChooserBlock

from wagtail_evidence.conf import get_setting


class EvidenceChooserBlock(SnippetChooserBlock):
    """Chooses an Evidence record. Converts every item of a stream in one batch,
    with what the reader templates need, so a page with fifty evidence blocks
    costs the same queries as a page with one.
    """

    def __init__(self, with_details=True, **kwargs):
        self.with_details = with_details
        super().__init__("wagtail_evidence.Evidence", **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        # The target model comes from the settings, not from migrations.
        return path, (), {**kwargs, "with_details": self.with_details}

    @cached_property
    def queryset(self):
        queryset = self.target_model.objects.all()
        if not self.with_details:
            return queryset
        posters = get_image_model().objects.prefetch_renditions(
            get_setting("POSTER_FILTER")
        )
        return queryset.select_related("video_file").prefetch_related(
            "credits", "appearances", Prefetch("poster", queryset=posters)
        )

    def to_python(self, value):
        return self.bulk_to_python([value])[0] if value is not None else None

    def bulk_to_python(self, values):
        objects = self.queryset.in_bulk([value for value in values if value is not None])
        return [objects.get(value) for value in values]
