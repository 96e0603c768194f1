"""The one batch loader: what the reader path reads beyond an Evidence row,
loaded for many records at once.

``EvidenceChooserBlock.bulk_to_python`` loads the records of a stream in one
query and marks each with its batch. The evidence block then loads the details
of the records the render cache cannot serve; the API and JSON-LD load them for
a whole batch the first time one record needs them. Each relation costs one
query per batch, never one per block, and one query first says which records
have rows in the relations most have none in (with_detail_flags): asked only
when details are loaded, it costs a block served from the cache nothing.
"""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.reverse_related import ManyToOneRel
from wagtail.images import get_image_model

from wagtail_evidence.conf import get_setting


# Set on each record of a stream: the records of the same batch.
BATCH_ATTRIBUTE = "_wagtail_evidence_batch"
DETAILS_LOADED = "_wagtail_evidence_details_loaded"

# Relations most records have no row in (a public history, source checks,
# archived copies, Content Credentials): one query says which records have
# any (flag_details), so a batch queries a relation only for those,
# and not at all when none has. Content Credentials count only in the states
# readers, the API and JSON-LD are told of: a poster's "no manifest" row, which
# every poster has, says nothing to them (reader.content_credentials).
USUALLY_EMPTY = {
    "public_changes": {},
    "source_checks": {},
    "archived_copies": {},
    "content_credentials": {"state__in": ("valid", "invalid")},
}


def flag_name(relation_name):
    return f"_wagtail_evidence_has_{relation_name}"


def with_detail_flags(queryset):
    """``queryset`` of records, each annotated with whether it has rows in each
    USUALLY_EMPTY relation: subqueries of the same query."""
    model = queryset.model
    flags = {}
    for name, told in USUALLY_EMPTY.items():
        relation = model._meta.get_field(name)
        children = relation.related_model._base_manager.filter(
            **{relation.field.attname: OuterRef("pk")}, **told
        )
        flags[flag_name(name)] = Exists(children)
    return queryset.annotate(**flags)


def flag_details(records):
    """Set on each of ``records`` whether it has rows in each USUALLY_EMPTY
    relation, in one query for those not flagged yet."""
    names = [flag_name(name) for name in USUALLY_EMPTY]
    records = [record for record in records if not hasattr(record, names[0])]
    if not records:
        return
    model = type(records[0])
    flags = {
        pk: values
        for pk, *values in with_detail_flags(
            model._base_manager.filter(pk__in=[record.pk for record in records])
        ).values_list("pk", *names)
    }
    nothing = [False] * len(names)  # a record gone since it was loaded
    for record in records:
        for name, value in zip(names, flags.get(record.pk, nothing), strict=True):
            setattr(record, name, value)


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
        "content_credentials",  # what the files' C2PA manifests say (one query)
        # Whether the media's source is gone, and its archived copies.
        "source_checks",
        "archived_copies",
    ]


def prefetch_details(records):
    """Load what the templates read for ``records``: one query per relation."""
    records = [
        record
        for record in records
        if record is not None and not details_loaded(record)
    ]
    if records:
        flag_details(records)
        others = []
        for lookup in detail_lookups():
            relation = reverse_foreign_key(records[0], lookup)
            if relation is None:
                others.append(lookup)
            else:
                attach_children(with_rows(records, lookup), relation)
                attach_empty(without_rows(records, lookup), relation)
        prefetch_related_objects(records, *others)
        for record in records:
            setattr(record, DETAILS_LOADED, True)


def reverse_foreign_key(record, lookup):
    """The relation ``lookup`` names when it is a plain reverse foreign key of
    ``record`` (its credits, its appearances...), else None."""
    if not isinstance(lookup, str) or LOOKUP_SEP in lookup:
        return None
    try:
        relation = record._meta.get_field(lookup)
    except FieldDoesNotExist:
        return None
    if isinstance(relation, ManyToOneRel) and relation.one_to_many:
        return relation
    return None


def with_rows(records, lookup):
    """The records that may have rows in ``lookup``: all, unless the batch's
    flags say which have (flag_details)."""
    flag = flag_name(lookup)
    return [record for record in records if getattr(record, flag, True)]


def without_rows(records, lookup):
    flag = flag_name(lookup)
    return [record for record in records if not getattr(record, flag, True)]


def attach_empty(records, relation):
    """The empty answer the records query already gave, kept as a prefetch keeps it."""
    everything = relation.related_model._default_manager.all()
    for record in records:
        keep_rows(record, relation, everything, [])


def attach_children(records, relation):
    """What prefetch_related_objects(records, relation's name) does, in one
    query, without first building each record's related manager and filtered
    queryset (most of what loading a cold render's details cost). Each record's
    ``<relation>.all()`` then returns its rows; ``.filter()`` and the like
    still query, for that record alone, as after a prefetch."""
    if not records:
        return
    parent = relation.field  # the children's foreign key
    manager = relation.related_model._default_manager
    by_parent = defaultdict(list)
    for child in manager.filter(
        **{f"{parent.attname}__in": [record.pk for record in records]}
    ):
        by_parent[getattr(child, parent.attname)].append(child)
    everything = manager.all()  # ordered as the relation's manager orders
    for record in records:
        rows = by_parent.get(record.pk, [])
        for child in rows:
            parent.set_cached_value(child, record)  # child.evidence: no query
        keep_rows(record, relation, everything, rows)


def keep_rows(record, relation, everything, rows):
    """``record.<relation>.all()`` answers ``rows`` from now on."""
    queryset = everything._chain()
    # The filter applied only if the queryset is queried again, as Django's
    # related managers defer it (filter() would clone it a second time).
    queryset._deferred_filter = (False, (), {relation.field.name: record})
    queryset._result_cache, queryset._prefetch_done = rows, True
    if not hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache = {}
    record._prefetched_objects_cache[relation.cache_name] = queryset


def loaded(record, name):
    """``record.<name>.all()``, read straight from what the batch loaded when it
    did: without building a related manager and its queryset for each record
    and relation (ten per block in a cold render). Children given in memory
    (modelcluster's, on an unsaved or edited record) win, as they do there."""
    if name not in getattr(record, "_cluster_related_objects", ()):
        queryset = getattr(record, "_prefetched_objects_cache", {}).get(name)
        if queryset is not None and queryset._result_cache is not None:
            return queryset._result_cache
    return getattr(record, name).all()


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
    prefetch_related_objects(
        records, "appearances", "public_changes", "archived_copies"
    )
    with_files = [record for record in records if record.video_file_id]
    if with_files:
        prefetch_related_objects(with_files, "video_file")
    # Their digitalSourceType, as the media file's Content Credentials declare it.
    with_credentials = [
        record for record in records if record.video_file_id or record.original_file_id
    ]
    if with_credentials:
        prefetch_related_objects(with_credentials, "content_credentials")
