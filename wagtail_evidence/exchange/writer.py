"""Writing an import's planned rows, a batch at a time, with what the admin writes.

Each record the import creates or changes gets what an admin save gives it: its
row (for a new record, or a draft whose row is its working copy: a live
record's row waits for publication), a revision, a log entry, a log entry per
audited field it changes (the desk's trail, editorial.verification), its
search index entry and its references. An admin save writes these one query at
a time, and indexes the record again on each of its saves; here each kind is
written once per batch: the rows, children and tags by bulk_create, the log
entries in one insert; the search index and the references in a task once the
import commits (exchange.tasks), a task per batch.

The revisions are what each record's ``save_revision()`` would make (the media
match and the file hash derived first, coordinates withheld at once: see
Evidence.save_revision), inserted together.

Publishing (``--publish``) goes through ``Revision.publish()`` record by record,
as every publication path must (Evidence.publish records the public history
and purges the cache).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Revision

from wagtail_evidence.editorial.verification import (
    AUDITED_FIELDS,
    audited_values,
    changes_between,
)
from wagtail_evidence.exchange.tasks import index_after_commit
from wagtail_evidence.models import Evidence, EvidenceTag
from wagtail_evidence.reader.render_cache import announce_renewal, new_render_token


CREATED, UPDATED = "created", "updated"  # the importer's actions
# The columns of the file that are the record's children, by child relation.
APPEARANCE_KEYS = {
    "platform",
    "account",
    "appearance_url",
    "first_seen",
    "first_seen_precision",
    "archive_urls",
    "appearance_note",
    "more_appearances",
}
CHANGED_CHILDREN = {
    "appearances": APPEARANCE_KEYS,
    "credits": {"credits"},
    "tagged_items": {"tags"},
}


def write_batch(results, user, reason, publish=False):
    """Write the planned ``results`` (RowResults created or updated). Returns
    how many were published."""
    results = [result for result in results if result.action in (CREATED, UPDATED)]
    if not results:
        return 0
    set_tags(results)
    created = [result.evidence for result in results if result.action == CREATED]
    drafts = [
        result
        for result in results
        if result.action == UPDATED and not result.evidence.live
    ]
    insert_records(created)
    update_drafts(drafts)
    revisions = save_revisions([result.evidence for result in results], user)
    write_log_entries(results, revisions, user, reason)
    if publish:
        # Each publication saves its record, and the save indexes it (its
        # search entry, and its references through Wagtail's own handler).
        for revision in revisions:
            revision.publish(user=user)
        return len(revisions)
    # The search index entries and references of the rows written (tags and
    # credits included): in a task once the import commits, the batch together.
    rows_saved = created + [result.evidence for result in drafts]
    index_after_commit(evidence.pk for evidence in rows_saved)
    return 0


# Tags: names to Tag objects, a query per batch (and one per new tag)


def set_tags(results):
    """Each changed record's tags as tagged items in memory, as ``tags.set()``
    would leave them, without its query per record."""
    tag_model = EvidenceTag.tag_model()
    changing = [result for result in results if "tags" in result.changed]
    names = {name for result in changing for name in result.tags}
    if not names:
        for result in changing:
            result.evidence.tagged_items = []
        return
    known = {tag.name: tag for tag in tag_model.objects.filter(name__in=names)}
    for result in changing:
        missing = [name for name in result.tags if name not in known]
        if missing:
            # New tags, or ones taggit matches otherwise (TAGGIT_CASE_INSENSITIVE):
            # taggit's own manager finds or makes them, once per batch.
            result.evidence.tags.set([known.get(name, name) for name in result.tags])
            for item in result.evidence.tagged_items.all():
                known.setdefault(item.tag.name, item.tag)
        else:
            result.evidence.tagged_items = [
                EvidenceTag(tag=known[name]) for name in result.tags
            ]


# Rows and children


def prepare_row(evidence):
    """What Evidence.save() derives before it writes the row."""
    evidence.refresh_media_match()
    evidence.refresh_original_file_hash()
    evidence.render_token = new_render_token()


def insert_records(records):
    if not records:
        return
    for evidence in records:
        evidence.live = False  # made live by publishing its revision, as in the admin
        prepare_row(evidence)
    if connection.features.can_return_rows_from_bulk_insert:
        Evidence.objects.bulk_create(records)
    else:  # a database that cannot say which ids it gave
        for evidence in records:
            evidence.save_base(raw=True)
    insert_children(records, child_relations())


def update_drafts(results):
    """A draft's row is its working copy: written whole, as save() would."""
    if not results:
        return
    records = [result.evidence for result in results]
    for evidence in records:
        prepare_row(evidence)
    fields = [
        field.name
        for field in Evidence._meta.concrete_fields
        if not field.primary_key and field.name != "id"
    ]
    Evidence.objects.bulk_update(records, fields)
    for relation in child_relations():
        keys = CHANGED_CHILDREN.get(relation.get_accessor_name(), set())
        changed = [result.evidence for result in results if keys & set(result.changed)]
        if changed:
            relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": [e.pk for e in changed]}
            ).delete()
            insert_children(changed, [relation], fresh=True)


def child_relations():
    return get_all_child_relations(Evidence)


def insert_children(records, relations, fresh=False):
    for relation in relations:
        children = []
        for evidence in records:
            for child in getattr(evidence, relation.get_accessor_name()).all():
                setattr(child, relation.field.attname, evidence.pk)
                if fresh:
                    child.pk = None
                children.append(child)
        if children:
            relation.related_model._base_manager.bulk_create(children)


# Revisions and the history


def save_revisions(records, user):
    """A revision per record, as its save_revision() makes it (Evidence derives
    the media match and the file hash first, and withholds coordinates at
    once), the revisions inserted together and the rows linked to them in one
    update."""
    content_type = ContentType.objects.get_for_model(Evidence, for_concrete_model=False)
    base_content_type = Evidence.get_base_content_type()
    revisions = []
    for evidence in records:
        if evidence.live:  # the others' rows were just written (prepare_row)
            evidence.refresh_media_match()
            evidence.refresh_original_file_hash()
        revisions.append(
            Revision(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(evidence.pk),
                user=user,
                content=evidence.serializable_data(),
                object_str=str(evidence),
                created_at=timezone.now(),
            )
        )
    if connection.features.can_return_rows_from_bulk_insert:
        Revision.objects.bulk_create(revisions)
    else:  # a database that cannot say which ids it gave
        for revision in revisions:
            revision.save()
    for evidence, revision in zip(records, revisions, strict=True):
        revision.content_object = evidence  # what publish() reads, without a query
        evidence.latest_revision = revision
        evidence.has_unpublished_changes = True
        evidence.withhold_at_once()
    # Each row now links to its newest revision: one update for them all, not a
    # save (and a reindex) per record. A new record's or a draft's row has a
    # render token of its own already; a live record's is renewed as a save
    # would renew it.
    newest = (
        Revision.objects.filter(
            base_content_type=base_content_type,
            object_id=Cast(OuterRef("pk"), models.CharField(max_length=255)),
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    Evidence.objects.filter(pk__in=[evidence.pk for evidence in records]).update(
        latest_revision=Subquery(newest), has_unpublished_changes=True
    )
    live = [evidence for evidence in records if evidence.live]
    for evidence in live:
        evidence.render_token = new_render_token()
    if live:
        Evidence.objects.bulk_update(live, ["render_token"])
        announce_renewal([evidence.pk for evidence in live])
    return revisions


def write_log_entries(results, revisions, user, reason):
    """The entries log() would write, one insert: the create or edit, then each
    audited field the record changes (editorial.verification.log_changes)."""
    log_model = log_registry.get_log_model_for_model(Evidence)
    if log_model is None:
        return
    content_type = ContentType.objects.get_for_model(Evidence, for_concrete_model=False)
    uuid = get_active_log_context().uuid
    now = timezone.now()
    entries = []
    for result, revision in zip(results, revisions, strict=True):
        evidence = result.evidence
        common = {
            "content_type": content_type,
            "object_id": str(evidence.pk),
            "label": log_model.objects.get_instance_title(evidence),
            "user": user,
            "uuid": uuid,
            "timestamp": now,
        }
        action = "wagtail.create" if result.action == CREATED else "wagtail.edit"
        entries.append(
            log_model(
                action=action,
                revision=revision,
                content_changed=True,
                data={},
                **common,
            )
        )
        changes = changes_between(result.audit_before, audited_values(evidence))
        for name, (old, new) in changes.items():
            entries.append(
                log_model(
                    action=AUDITED_FIELDS[name][0],
                    data={"field": name, "before": old, "after": new, "reason": reason},
                    **common,
                )
            )
    for entry in {entry.action: entry for entry in entries}.values():
        entry.clean()  # Wagtail's check that the action is registered, once each
    log_model.objects.bulk_create(entries)
