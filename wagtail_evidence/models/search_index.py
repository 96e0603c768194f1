"""The register's search index entries for Evidence records, written once per save.

Wagtail's own handler (post_save) would index a record before
ClusterableModel.save() has written the tags and credits the register searches,
so Evidence turns it off (``search_auto_update = False``) and its save() calls
this instead, after the record and its children are written: one index pass per
save, from a row read with its tags and credits prefetched. An import indexes
its records in a task once it commits (exchange/tasks.py), a batch at a time.
"""

import logging

from wagtail.search import index
from wagtail.search.backends import get_search_backends_with_name


logger = logging.getLogger(__name__)


def index_records(model, pks, *, catch_errors=True):
    """Add or update the index entries of the ``model`` rows with these keys, a
    few queries per backend whatever their number. Returns how many rows were
    found to index (a row deleted since is not).

    ``catch_errors=False`` (a task, which is retried) raises every backend's
    error; otherwise only a database backend's."""
    if not pks:
        return 0
    objects = list(model.get_indexed_objects().filter(pk__in=pks))
    if not objects:
        return 0
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(model, objects)
        except Exception:
            # As modelsearch.index.insert_or_update_object: a search service
            # that is down loses no record (`update_index` catches up), but a
            # database backend's error must undo the save.
            logger.exception(
                "Indexing %d %s records in %r failed", len(pks), model.__name__, name
            )
            if not catch_errors or not backend.catch_indexing_errors:
                raise
    return len(objects)


def touches_index(model, update_fields):
    """Whether a save of these fields (None: all of them) changes what the index
    holds. A save that only moves a revision pointer (save_revision) does not.
    A search field that is a property (media_address_words) reads model fields
    that are indexed too (media_url), so naming the stored fields is enough."""
    if update_fields is None:
        return True
    indexed = {field.field_name for field in model.get_search_fields()}
    return not indexed.isdisjoint(update_fields)


def unindex_record(sender, instance, **kwargs):
    """post_delete: the entry of a deleted record goes with it, as Wagtail's own
    handler (off for Evidence) would do."""
    index.remove_object(instance)
