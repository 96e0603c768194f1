"""The indexing of an import (search and references), as a task once it commits.

Indexing a new record costs about half what writing it costs on SQLite, and
three times as much on PostgreSQL (the search backend reads each record back
with its tags and credits and writes a row per field; the reference index, a
row per tag, image or document it uses), and the records are whole without
it: so the import leaves it to a django-tasks task, one per
batch of records it wrote (exchange.writer), enqueued after the transaction
commits (an import that is undone enqueues nothing, and a worker never looks
for rows not committed yet), as Wagtail defers its own reference index updates
to a task. With the default immediate backend the task runs at once, after the
commit; with a worker backend (django-tasks-rq, django-tasks-db) off the
import's process.

Safe to run twice: indexing a record again writes the same entries. Where it
fails it is retried, a few times with pauses between (where the task backend
can run a task later), and each failure, and a success after one, is written to
each record's history, so the desk knows why the register's search does not
find it yet. The records themselves are never touched: a failure loses nothing,
and saving a record indexes it again (``manage.py update_index`` and
``rebuild_references_index`` rebuild every entry) where retries ran out.
"""

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import registry as log_registry
from wagtail.models import ReferenceIndex

from wagtail_evidence.models import Evidence
from wagtail_evidence.models.search_index import index_records


logger = logging.getLogger(__name__)

# Seconds to wait before the second, third and fourth attempt, as the purge.
RETRY_DELAYS = (60, 600, 3600)
INDEX_FAILED = "wagtail_evidence.index_failed"
INDEX_RECOVERED = "wagtail_evidence.index_recovered"


def index_after_commit(pks):
    """Index these records in a task, once the transaction writing them commits."""
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: enqueue(pks))


def enqueue(pks):
    try:
        index_imported_records.enqueue(pks)
    except Exception as error:
        # A queue that is down (Redis) must not turn an import that committed
        # into an error page: the records are written, their History says
        # they are not indexed.
        logger.exception(
            "Enqueuing the indexing of %d imported records failed", len(pks)
        )
        note(pks, INDEX_FAILED, attempt=1, error=type(error).__name__, retry_at=None)


@task()
def index_imported_records(pks, attempt=1):
    """Add or update the references and search index entries of these records;
    return how many were indexed (a record deleted since is not)."""
    try:
        with transaction.atomic():
            index_references(records_with_children(pks))
        indexed = index_records(Evidence, pks, catch_errors=False)
    except Exception as error:
        retry_at = retry_later(pks, attempt)
        note(
            pks,
            INDEX_FAILED,
            attempt=attempt,
            error=type(error).__name__,
            retry_at=retry_at.isoformat() if retry_at else None,
        )
        raise  # the task backend keeps the failure too
    if attempt > 1:
        note(pks, INDEX_RECOVERED, attempt=attempt)
    return indexed


def retry_later(pks, attempt):
    """Enqueue the next attempt, if there is one and the backend can wait;
    return when it will run, or None."""
    backend = index_imported_records.get_backend()
    if attempt > len(RETRY_DELAYS) or not backend.supports_defer:
        return None
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    index_imported_records.using(run_after=run_after).enqueue(pks, attempt + 1)
    return run_after


def note(pks, action, **data):
    """The same entry in the history of each record still there, one insert."""
    log_model = log_registry.get_log_model_for_model(Evidence)
    if log_model is None:
        return
    content_type = ContentType.objects.get_for_model(Evidence, for_concrete_model=False)
    now = timezone.now()
    entries = [
        log_model(
            content_type=content_type,
            object_id=str(pk),
            label=title,
            action=action,
            data=data,
            timestamp=now,
        )
        for pk, title in Evidence.objects.filter(pk__in=pks).values_list("pk", "title")
    ]
    if entries:
        entries[0].clean()  # Wagtail's check that the action is registered
    log_model.objects.bulk_create(entries)


# References


def records_with_children(pks):
    """The records still there, each with its children (what references are
    taken from) loaded in a query per relation."""
    relations = [relation.get_accessor_name() for relation in child_relations()]
    return list(Evidence.objects.filter(pk__in=pks).prefetch_related(*relations))


def child_relations():
    return get_all_child_relations(Evidence)


def index_references(records):
    """ReferenceIndex.create_or_update_for_object() for each record, with one
    read and one write for them all."""
    if not records or not ReferenceIndex.is_indexed(Evidence):
        return
    extract = getattr(ReferenceIndex, "_extract_references_from_object", None)
    if extract is None:  # a Wagtail that renamed it: one record at a time
        for evidence in records:
            ReferenceIndex.create_or_update_for_object(evidence)
        return
    content_type = ContentType.objects.get_for_model(Evidence, for_concrete_model=False)
    found = {str(evidence.pk): set(extract(evidence)) for evidence in records}
    existing = {}
    for pk, object_id, *reference in ReferenceIndex.objects.filter(
        base_content_type=content_type, object_id__in=list(found)
    ).values_list(
        "pk",
        "object_id",
        "to_content_type",
        "to_object_id",
        "model_path",
        "content_path",
    ):
        existing[object_id, tuple(reference)] = pk
    new = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=content_type,
            object_id=object_id,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for object_id, references in found.items()
        for reference in references
        if (object_id, reference) not in existing
        for to_content_type_id, to_object_id, model_path, content_path in [reference]
    ]
    options = (
        {"ignore_conflicts": True}
        if connection.features.supports_ignore_conflicts
        else {}
    )
    ReferenceIndex.objects.bulk_create(new, **options)
    stale = [
        pk
        for (object_id, reference), pk in existing.items()
        if reference not in found[object_id]
    ]
    if stale:
        ReferenceIndex.objects.filter(pk__in=stale).delete()
