"""The one batch loader: what the reader path reads beyond an Evidence row,
loaded for many records at once.

``EvidenceChooserBlock.bulk_to_python`` loads the records of a stream in one
query and marks each with its batch. The evidence block then loads the details
of the records the render cache cannot serve; the API and JSON-LD load them for
a whole batch the first time one record needs them. Each relation costs one
query per batch, never one per block.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

from wagtail_evidence.conf import get_setting


# Set on each record of a stream: the records of the same batch.
BATCH_ATTRIBUTE = "_wagtail_evidence_batch"
DETAILS_LOADED = "_wagtail_evidence_details_loaded"


def mark_batch(records):
    """Let each of ``records`` find the others when one needs its details."""
    for record in records:
        setattr(record, BATCH_ATTRIBUTE, records)


def detail_lookups():
    """What the reader templates read beyond the record's own row."""
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=get_setting("POSTER_FILTER"))
    )
    return [
        "credits",
        "appearances",
        "public_changes",
        "video_file",
        "captions_file",
        Prefetch("poster__renditions", queryset=renditions),  # loads the posters too
    ]


def prefetch_details(records):
    """Load what the templates read for ``records``: one query per relation."""
    records = [
        record
        for record in records
        if record is not None and not details_loaded(record)
    ]
    if records:
        prefetch_related_objects(records, *detail_lookups())
        for record in records:
            setattr(record, DETAILS_LOADED, True)


def details_loaded(record):
    return getattr(record, DETAILS_LOADED, False) or "credits" in getattr(
        record, "_prefetched_objects_cache", {}
    )


def load_details(record):
    """The details of ``record`` and of every live record of its batch: a batch
    whose blocks the render cache served (and so skipped the prefetch) costs one
    round of queries, not one per block."""
    if details_loaded(record):
        return
    batch = getattr(record, BATCH_ATTRIBUTE, None) or [record]
    prefetch_details(
        {id(item): item for item in [record, *batch] if item.live}.values()
    )


def load_appearances(records):
    """What JSON-LD reads of ``records`` (where the media appeared, its public
    history for the corrections, and its own file): one query per relation, and
    none for details already loaded."""
    prefetch_related_objects(records, "appearances", "public_changes")
    with_files = [record for record in records if record.video_file_id]
    if with_files:
        prefetch_related_objects(with_files, "video_file")
