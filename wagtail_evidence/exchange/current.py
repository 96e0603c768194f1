"""Records as the admin would edit them: the latest revision, children and tags
included, read in a constant number of queries (per batch of addresses)."""

import functools
from collections import defaultdict

from django.db.models import Q, prefetch_related_objects

from wagtail_evidence.models import Evidence, EvidenceTag


CHUNK = 500  # addresses per query, well under every database's parameter limit


def as_edited(record):
    """The record's latest revision as an object, as the admin's edit view shows it
    (the row itself when it has no unpublished changes)."""
    if record.has_unpublished_changes and record.latest_revision_id:
        # Wagtail's own with_content_json, without its query per link and per
        # child to check that what the revision links to still exists: links
        # are checked for all records at once (clear_dangling_links).
        record.from_serializable_data = functools.partial(
            type(record).from_serializable_data, check_fks=False
        )
        return record.with_content_json(record.latest_revision.content), True
    return record, False


def clear_dangling_links(objects):
    """Unset the links of revision objects to what was deleted since (a poster,
    a document), as Wagtail's check would, in one query per linked model."""
    links = [field for field in Evidence._meta.concrete_fields if field.is_relation]
    for field in links:
        ids = {
            getattr(obj, field.attname)
            for obj, from_revision in objects
            if from_revision
        } - {None}
        if not ids:
            continue
        existing = set(
            field.related_model._base_manager.filter(pk__in=ids).values_list(
                "pk", flat=True
            )
        )
        for obj, from_revision in objects:
            if from_revision and getattr(obj, field.attname) not in existing:
                setattr(obj, field.attname, None)


def tag_names(objects):
    """{id(object): [tag names]} for rows (tags prefetched) and revisions (tag ids only)."""
    tag_model = EvidenceTag.tag_model()
    wanted = {
        item.tag_id
        for obj, from_revision in objects
        if from_revision
        for item in obj.tagged_items.all()
    }
    names = (
        dict(tag_model.objects.filter(pk__in=wanted).values_list("pk", "name"))
        if wanted
        else {}
    )
    result = {}
    for obj, from_revision in objects:
        items = obj.tagged_items.all()
        if from_revision:
            kept = [item for item in items if item.tag_id in names]
            if len(kept) != len(items):
                obj.tagged_items = kept  # tags deleted since the revision
            result[id(obj)] = [names[item.tag_id] for item in kept]
        else:
            result[id(obj)] = [item.tag.name for item in items]
    return result


CHILDREN = ("appearances", "credits", "tagged_items__tag")


def base_queryset():
    return Evidence.objects.select_related("latest_revision", "locked_by")


def load_children(objects):
    """Prefetch the children of the records edited as their rows: a record with
    unpublished changes is edited as its revision, which holds its own."""
    rows = [obj for obj, from_revision in objects if not from_revision]
    if rows:
        prefetch_related_objects(rows, *CHILDREN)


def drafted_addresses():
    """{address in the latest draft: {pk}} for live records with a newer draft: a
    draft may carry another address than its row. Read once per import, without
    loading the records, so that each batch loads only the records it matches."""
    drafted = defaultdict(set)
    rows = (
        Evidence.objects.filter(
            live=True, has_unpublished_changes=True, latest_revision__isnull=False
        )
        .values_list("pk", "latest_revision__content__media_url")
        .iterator()
    )
    for pk, address in rows:
        drafted[address].add(pk)
    return drafted


def current_records(addresses=None, drafted=None):
    """[(record as edited, tag names)]: every record, or those whose address (as
    edited) is one of ``addresses``. ``drafted`` is drafted_addresses(), read
    once by a caller that asks batch after batch."""
    if addresses is None:
        records = list(base_queryset())
    else:
        addresses = sorted(set(addresses))
        drafted = drafted_addresses() if drafted is None else drafted
        records = {}
        for start in range(0, len(addresses), CHUNK):
            chunk = addresses[start : start + CHUNK]
            pks = {pk for address in chunk for pk in drafted.get(address, ())}
            found = base_queryset().filter(Q(media_url__in=chunk) | Q(pk__in=pks))
            records.update((record.pk, record) for record in found)
        records = list(records.values())
    found = edited_with_tags(records)
    if addresses is not None:
        wanted = set(addresses)
        found = [(obj, tags) for obj, tags in found if obj.media_url in wanted]
    return found


def edited_with_tags(records):
    """[(record as edited, tag names)] for the rows ``records``."""
    objects = [as_edited(record) for record in records]
    load_children(objects)
    clear_dangling_links(objects)
    names = tag_names(objects)
    return [(obj, names[id(obj)]) for obj, _from_revision in objects]


def records_by_pk(pks):
    """{pk: (record as edited, tag names)} for the records ``pks``."""
    pks = sorted(set(pks))
    records = []
    for start in range(0, len(pks), CHUNK):
        records.extend(base_queryset().filter(pk__in=pks[start : start + CHUNK]))
    return {obj.pk: (obj, tags) for obj, tags in edited_with_tags(records)}
