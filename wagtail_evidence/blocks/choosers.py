from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model
from wagtail.snippets.blocks import SnippetChooserBlock

from wagtail_evidence.conf import get_setting


# Set on each record that bulk_to_python loads: the records of the same batch, so
# that the API (wagtail_evidence.api) loads the details of all of them at once.
BATCH_ATTRIBUTE = "_wagtail_evidence_batch"


def detail_lookups():
    """What an evidence block's templates read beyond the record's own row."""
    renditions = get_image_model().get_rendition_model().objects.filter(
        filter_spec=get_setting("POSTER_FILTER")
    )
    return [
        "credits",
        "appearances",
        "public_changes",
        "video_file",
        Prefetch("poster__renditions", queryset=renditions),  # loads the posters too
    ]


def prefetch_details(records):
    """Load what the templates read for ``records``: one query per relation."""
    records = [record for record in records if record is not None]
    if records:
        prefetch_related_objects(records, *detail_lookups())


class EvidenceChooserBlock(SnippetChooserBlock):
    """Chooses an Evidence record. Loads every record of a stream in one query;
    the evidence block then adds the details its templates need, for the items
    it cannot serve from the render cache, in one more batch.
    """

    def __init__(self, **kwargs):
        super().__init__("wagtail_evidence.Evidence", **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, (), kwargs  # the target model is fixed, not configuration

    def to_python(self, value):
        return self.bulk_to_python([value])[0] if value is not None else None

    def bulk_to_python(self, values):
        objects = self.target_model.objects.in_bulk([value for value in values if value is not None])
        batch = list(objects.values())
        for record in batch:
            setattr(record, BATCH_ATTRIBUTE, batch)
        return [objects.get(value) for value in values]

    def get_api_representation(self, value, context=None):
        """The record as readers see it, or ``{"withdrawn": true}`` unless it is live."""
        from wagtail_evidence.api import evidence_representation

        return evidence_representation(value, context)
