"""The render cache's second tier: rendered blocks kept in the database.

A shared cache forgets: it is emptied by a restart (Redis keeps nothing on disk
unless told to), evicts what memory cannot hold, and expires every entry after
``RENDER_CACHE_TIMEOUT``. Each time, every reader of every article would pay for
the whole render again, about twice what core EmbedBlock costs; EmbedBlock
itself never renders on a page view, it reads the HTML its ``Embed`` row keeps.
So each render is kept in a row too (models.stored_render), under the same key:
a block the cache lacks is read from there, in the same batch, and put back in
the cache (reader.render_cache.get_many).

What the key cannot see is kept out, or bounded:

- a site's own templates (reader.overrides): only the HTML the package writes
  in Python is stored, as a template may change at any deploy;
- renditions and files moved behind the key's back: a row is served for
  ``STORED_RENDERS_MAX_AGE`` seconds, then rendered and stored again.

Each row keeps the token it was rendered with. The rows of a token no longer
the record's are deleted when the token is renewed, again once the renewal
commits, and by a render that stored rows of a record whose token changed
while it ran: no old HTML (a place since withheld, say) stays in the table,
but for a reader's request that is itself a transaction (``ATOMIC_REQUESTS``)
committing its rows after all that; ``prune()`` deletes those.

The tier is on with the render cache (``RENDER_CACHE``), and ``STORED_RENDERS``
turns it off alone. A database that refuses to read or write the rows (a
missing table, a read-only replica) costs speed, never the page: each
statement runs in a savepoint when a transaction is open. The reader layer
names no model: the tables are found through the app registry.
"""

import datetime
import logging
from functools import partial

from django.apps import apps
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from wagtail_evidence.conf import get_setting


logger = logging.getLogger(__name__)

KEYS_AT_ONCE = 500  # keys a query names: within every database's limits


def stored_render_model():
    return apps.get_model("wagtail_evidence", "StoredRender")


def is_on():
    return bool(get_setting("STORED_RENDERS"))


def guarded(work, failed, message, write=False):
    """``work()``, or ``failed`` with a warning when the database refuses it;
    in a savepoint inside a transaction, which a failed statement would
    otherwise spoil for the rest of the request."""
    model = stored_render_model()
    alias = router.db_for_write(model) if write else router.db_for_read(model)
    try:
        if connections[alias].in_atomic_block:
            with transaction.atomic(using=alias):
                return work()
        return work()
    except DatabaseError:
        logger.warning(message, exc_info=True)
        return failed


def chunks(values):
    values = sorted(values)
    for start in range(0, len(values), KEYS_AT_ONCE):
        yield values[start : start + KEYS_AT_ONCE]


def get_many(keys):
    """``{key: html}`` of the rows under these keys young enough to serve, and
    how many seconds the oldest of them may still be served (None: no end)."""
    if not keys:
        return {}, None
    rows = stored_render_model().objects.all()
    max_age = get_setting("STORED_RENDERS_MAX_AGE")
    now = timezone.now()
    if max_age is not None:
        rows = rows.filter(rendered_at__gte=oldest_served(now, max_age))

    def read():
        found = {}
        for chunk in chunks(keys):
            found.update(
                (key, (html, rendered_at))
                for key, html, rendered_at in rows.filter(key__in=chunk).values_list(
                    "key", "html", "rendered_at"
                )
            )
        return found

    found = guarded(read, {}, "Stored evidence blocks unreadable; rendering them.")
    seconds_left = None
    if found and max_age is not None:
        oldest = min(rendered_at for _html, rendered_at in found.values())
        seconds_left = max(0, max_age - int((now - oldest).total_seconds()))
    return {key: html for key, (html, _at) in found.items()}, seconds_left


def set_many(rendered, records):
    """Store ``{key: html}``, each key's record given by ``records``, replacing a
    row under the same key (aged past serving); then delete what this render
    stored if the record's token changed while it ran."""
    if not rendered:
        return
    model = stored_render_model()
    now = timezone.now()
    rows = [
        model(
            key=key,
            evidence_id=records[key].pk,
            render_token=records[key].render_token,
            html=rendered[key],
            rendered_at=now,
        )
        for key in sorted(rendered)  # one order for every writer: no deadlock
    ]

    def write():
        for chunk in chunks(rendered):
            model.objects.filter(key__in=chunk).delete()
        # A reader storing the same keys at the same moment wrote the same HTML.
        model.objects.bulk_create(rows, batch_size=KEYS_AT_ONCE, ignore_conflicts=True)
        forget_outdated_of({record.pk for record in records.values()})

    guarded(write, None, "Evidence blocks rendered but not stored.", write=True)


def forget(evidence_ids):
    """Delete the rows of these records rendered with another token than theirs."""
    guarded(
        lambda: forget_outdated_of(evidence_ids),
        None,
        "Outdated evidence blocks not deleted.",
        write=True,
    )


def forget_outdated_of(evidence_ids):
    """forget_outdated() for the rows of these records, 500 records a query."""
    rows = stored_render_model().objects
    for chunk in chunks(evidence_ids):
        forget_outdated(rows.filter(evidence_id__in=chunk))


def forget_records(evidence_queryset):
    """forget() for a queryset of records, in one statement."""
    rows = stored_render_model().objects.filter(
        evidence_id__in=evidence_queryset.values("pk")
    )
    guarded(
        lambda: forget_outdated(rows),
        None,
        "Outdated evidence blocks not deleted.",
        write=True,
    )


def forget_outdated(rows):
    """Delete those of ``rows`` whose token is not their record's now (nor is
    any, the record deleted); return how many."""
    same_token = apps.get_model("wagtail_evidence", "Evidence").objects.filter(
        pk=OuterRef("evidence_id"), render_token=OuterRef("render_token")
    )
    return rows.exclude(Exists(same_token)).delete()[0]


def forget_once_committed(evidence_ids):
    """forget() these records again once the transaction commits: a reader that
    loaded a record before the commit may store rows of its old token in
    between, which the commit makes outdated. ``evidence_ids``: a list, or a
    queryset of the records, read now (what it matches may change by then)."""
    alias = router.db_for_write(stored_render_model())
    if not connections[alias].in_atomic_block:
        return  # no transaction: forget() has run after the change, not before
    if not isinstance(evidence_ids, list | tuple | set):
        evidence_ids = list(evidence_ids.values_list("pk", flat=True))
    transaction.on_commit(partial(forget, evidence_ids), using=alias, robust=True)


def prune(everything=False):
    """Delete the rows no reader will be served: those past their age and those
    of a token no longer their record's; with ``everything``, every row (after
    a deploy that changed what no key sees). Return how many."""
    rows = stored_render_model().objects.all()
    if everything:
        return rows.delete()[0]
    deleted = 0
    max_age = get_setting("STORED_RENDERS_MAX_AGE")
    if max_age is not None:
        oldest = oldest_served(timezone.now(), max_age)
        deleted += rows.filter(rendered_at__lt=oldest).delete()[0]
    return deleted + forget_outdated(rows)


def oldest_served(now, max_age):
    """When the oldest row still served was rendered."""
    return now - datetime.timedelta(seconds=max_age)
