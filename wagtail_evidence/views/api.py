"""Wagtail API v2's pages endpoint, for a site to register in place of Wagtail's:
its listing costs the same queries for one listed article or fifty
(docs/reference/api.md).

Wagtail converts a StreamField lazily, one page at a time: the first time the
serializer reads a page's body, the page's StreamValue hands that page's
evidence blocks to ``EvidenceBlock.bulk_to_python``, which loads their records in
one query and their details in one more round. That is one batch per page, so a
listing paid one batch per article it listed.

The listing here converts the listed pages' streams together, with Wagtail's own
``StreamBlock.bulk_to_python``, which takes many streams and hands each kind of
block every value of that kind across all of them: every evidence block of every
listed article goes through one ``EvidenceBlock.bulk_to_python``, and every
claim's records through one ``EvidenceChooserBlock.bulk_to_python``. So the
records load in one query, the render cache is asked once and the details load
in one round, for the whole listing.

Nothing else changes: each block is converted by the same code as on the detail
view and the reader page, only in a larger batch, so a listed article's body is
its detail view's, and a record that is not live is withdrawn as it is there.
The converted streams live on the page objects of one request, and nothing is
kept between requests, so there is no cache to leak or to go stale.

This is the Wagtail way to batch across streams: ``bulk_to_python`` is how
Wagtail converts the values of many blocks at once (a stream's blocks of one
kind, a list's items, a struct's children), and ``StreamBlock.bulk_to_python``
takes many streams. A registry of records loaded ahead and consulted by the
chooser block (a ContextVar set around serialization) would make a second way
for a block to get its record, with its own lifetime to keep to one request and
its own reading of drafts to keep equal to the first; converting the streams
together leaves one way.
"""

from collections import defaultdict

from django.db.models import prefetch_related_objects
from wagtail.api.v2.views import PagesAPIViewSet

from wagtail_evidence.blocks.walk import stream_field_names


class EvidencePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, whose listing converts the listed pages' streams
    together. Register it as Wagtail's, or subclass it as you would Wagtail's::

        api_router.register_endpoint("pages", EvidencePagesAPIViewSet)

    The hook is ``paginate_queryset``: the one point of Wagtail's
    ``listing_view`` that holds the listed pages as objects, after the filters
    and the pagination and before the serializer reads them. The detail view
    serializes a single page and is Wagtail's own.
    """

    def paginate_queryset(self, queryset):
        pages = super().paginate_queryset(queryset)
        if pages is None:  # a subclass without pagination
            return None
        pages = list(pages)  # the serializer reads these same objects
        fields = self.serialized_field_names()
        convert_streams_together(pages, fields)
        if "locale" in fields:
            # Wagtail's "locale" meta field (a default where
            # WAGTAIL_I18N_ENABLED is on) reads each page's locale: one
            # query for the listing instead of one per page.
            prefetch_related_objects(pages, "locale")
        return pages

    def serialized_field_names(self):
        """The fields the listing's serializer writes: only the streams it reads
        are converted, so a listing without ``fields=body`` costs no more."""
        return set(self.get_serializer_class().Meta.fields)

    def get_serializer_class(self):
        # Built once per request (a view instance serves one request), as
        # Wagtail keeps get_object(): the listing asks for it here and again to
        # serialize, and building it reads the page view restrictions.
        if "_serializer_class" not in self.__dict__:
            self._serializer_class = super().get_serializer_class()
        return self._serializer_class


def convert_streams_together(pages, field_names):
    """Convert the StreamFields named in ``field_names`` of all ``pages`` at
    once, with each stream block's ``bulk_to_python``, and give each page its
    converted stream."""
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, group in by_model.items():
        for name in stream_field_names(model):
            if name not in field_names:
                continue
            stream_block = model._meta.get_field(name).stream_block
            converted = stream_block.bulk_to_python(
                [list(getattr(page, name).raw_data) for page in group]
            )
            for page, stream in zip(group, converted, strict=True):
                # Through the field's descriptor, as a page's own stream is set.
                setattr(page, name, stream)
