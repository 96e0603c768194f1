"""Keep what is derived from records and articles in step with them.

An Evidence record's render token is renewed whenever something it renders
changes. Evidence.save() renews it for the record itself. These handlers cover
what can change without that save: a credit or appearance saved or deleted on
its own, the images and documents a record shows (poster, video file, captions
file, original file), and its public history. And each publication of an
article notes since when it cites each record (models.citation). A deleted
record leaves the search index (models.search_index).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signals import page_published

from wagtail_evidence.models import Appearance, Credit, Evidence, PublicChange
from wagtail_evidence.models.citation import note_citations
from wagtail_evidence.models.credentials import reread_replaced_file
from wagtail_evidence.models.near_duplicates import (
    refresh_fingerprints,
    rehash_replaced_file,
)
from wagtail_evidence.models.search_index import unindex_record
from wagtail_evidence.reader.render_cache import renew_render_token


def renew_for_child(sender, instance, raw=False, **kwargs):
    if not raw:
        renew_render_token(Evidence.objects.filter(pk=instance.evidence_id))


def renew_for_media(sender, instance, raw=False, **kwargs):
    # pre_delete, not post_delete: by then on_delete=SET_NULL has cleared the links.
    if not raw:
        renew_render_token(
            Evidence.objects.filter(
                Q(poster=instance.pk)
                | Q(video_file=instance.pk)
                | Q(captions_file=instance.pk)
                | Q(original_file=instance.pk)
            )
        )


def register_signal_handlers():
    for model in (Credit, Appearance, PublicChange):
        post_save.connect(
            renew_for_child,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_saved",
        )
        post_delete.connect(
            renew_for_child,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_deleted",
        )
    for model in (get_image_model(), get_document_model()):
        post_save.connect(
            renew_for_media,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_saved",
        )
        pre_delete.connect(
            renew_for_media,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_deleted",
        )
        post_save.connect(
            reread_replaced_file,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_credentials",
        )
        post_save.connect(
            rehash_replaced_file,
            sender=model,
            dispatch_uid=f"wagtail_evidence_{model.__name__}_fingerprints",
        )
    post_delete.connect(
        unindex_record, sender=Evidence, dispatch_uid="wagtail_evidence_unindex"
    )
    post_save.connect(
        refresh_fingerprints,
        sender=Evidence,
        dispatch_uid="wagtail_evidence_hash_media",
    )
    page_published.connect(
        note_citations, dispatch_uid="wagtail_evidence_note_citations"
    )
