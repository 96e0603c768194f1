"""Render the evidence blocks a change made stale before a reader asks for them.

A saved record's cached blocks are never read again (their key holds the old
render token, see reader.render_cache), so without this the first reader after
each save pays for the whole render: loading every detail of the record and
writing its HTML, about twice what core EmbedBlock costs with its embeds
stored. Once the change commits, a task renders again, into the render cache,
the blocks of the live articles citing the records (and of an article just
published) as a reader of each would: the same conversion, in the article's
language and the site's time zone (never those of the editor whose request
runs the task inline), the same key, the same HTML. That reader then finds
them cached.

It runs as a django-tasks task, as the purge does: inline with the default
immediate backend, on a worker with a queue. The request that made the change
first renders, once it commits, the blocks of ``WARM_PAGES_IN_REQUEST``
articles itself (an article it published, then those published most
recently, the most read): a queued task starts a moment later, and every
reader of those articles in between would render the blocks again. Only the
rest go to the task. Safe to run twice or late: a block
already cached is looked up and left alone, and a key always names what the
record is now, so a late task never stores stale HTML. Warming is a speed-up
only: a task that fails, or never runs, leaves readers to render the blocks
themselves; a failure to enqueue it never fails the save (on_commit's
``robust``), and a page that cannot be rendered is logged and skipped.

``WARM_RENDER_CACHE`` (True by default) turns it off. Only a cache every
process reads is warmed (reader.render_cache.shared_cache):
what one process would store in its own memory, the readers of the others
would never read, and the desk's request would pay for it with the immediate
backend.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Page
from wagtail.signals import page_published

from wagtail_evidence.blocks import EvidenceBlock
from wagtail_evidence.blocks.walk import iter_page_block_values, stream_field_names
from wagtail_evidence.conf import get_setting
from wagtail_evidence.i18n import reader_language
from wagtail_evidence.models.citation import live_pages_citing
from wagtail_evidence.reader import render_cache


logger = logging.getLogger(__name__)

PAGES_AT_ONCE = 50
RECORDS_AT_ONCE = 500  # ids a query names: within every database's limits


@task()
def warm_render_cache(evidence_ids=(), page_ids=()):
    """Render into the render cache the evidence blocks of the live pages that
    cite these records, and of these pages; return how many were rendered."""
    if render_cache.shared_cache() is None:
        return 0
    return warm_pages(pages_citing(evidence_ids) | set(page_ids))


def pages_citing(evidence_ids):
    evidence_ids = sorted(evidence_ids)
    found = set()
    for start in range(0, len(evidence_ids), RECORDS_AT_ONCE):
        found.update(live_pages_citing(evidence_ids[start : start + RECORDS_AT_ONCE]))
    return found


def most_read_first(page_ids, first=()):
    """The live pages among ``page_ids``: those of ``first``, then the others,
    the most recently published first."""
    ids = sorted(page_ids)
    published = {}
    for start in range(0, len(ids), RECORDS_AT_ONCE):
        published.update(
            Page.objects.live()
            .filter(pk__in=ids[start : start + RECORDS_AT_ONCE])
            .values_list("pk", "last_published_at")
        )
    head = [pk for pk in dict.fromkeys(first) if pk in published]
    rest = set(published) - set(head)
    return head + sorted(
        rest,
        key=lambda pk: (published[pk].timestamp() if published[pk] else 0, pk),
        reverse=True,
    )


def warm_pages(page_ids):
    """Render the evidence blocks of these live pages the cache lacks; return
    how many were rendered."""
    wanted = sorted(page_ids)
    rendered = 0
    # As a reader's request renders: the site's language and time zone, which
    # each article's own language then overrides (warm_page).
    with (
        translation.override(settings.LANGUAGE_CODE),
        timezone.override(timezone.get_default_timezone()),
    ):
        # A few pages at a time: a record may be cited by thousands of articles.
        for start in range(0, len(wanted), PAGES_AT_ONCE):
            chunk = wanted[start : start + PAGES_AT_ONCE]
            pages = Page.objects.live().filter(pk__in=chunk).order_by("pk").specific()
            rendered += sum(warm_page(page) for page in pages)
    return rendered


def warm_page(page):
    """Render the page's evidence blocks the cache lacks, as its readers would
    (in its language, from its live content); return how many. A page that
    cannot be rendered is its readers' to find out: logged, and skipped."""
    context = {"page": page}
    try:
        with reader_language(page):  # the keys the blocks are converted with, too
            # Converting the stream looked the blocks up in one get_many, and
            # loaded the details of those missing only.
            missing = [
                value
                for value in iter_page_block_values(page, EvidenceBlock)
                if value.item is not None
                and getattr(value, "cached_html", None) is None
            ]
            for value in missing:  # the first renders and stores its batch
                value.block.render(value, context)
    except Exception:
        logger.exception("Evidence blocks of page %s not warmed.", page.pk)
        return 0
    return len(missing)


class PendingWarming:
    """What a transaction's changes ask to warm, warmed together once it
    commits (WARM_PAGES_IN_REQUEST pages in the request, the rest in one
    task): a publication alone renews a record's token several times.

    Each change registers its own on-commit callback, and the first to run
    enqueues them all; the others find nothing left to do."""

    def __init__(self):
        self.evidence_ids, self.page_ids = set(), set()
        self.sent = False

    def enqueue(self):
        if self.sent:
            return
        self.sent = True
        evidence_ids, page_ids = sorted(self.evidence_ids), sorted(self.page_ids)
        in_request = get_setting("WARM_PAGES_IN_REQUEST")
        if in_request:
            try:
                wanted = most_read_first(
                    pages_citing(evidence_ids) | set(page_ids), first=page_ids
                )
                warm_pages(wanted[:in_request])  # a page that fails is only logged
            except Exception:  # the database gone: the task may do better
                logger.exception("Evidence blocks not warmed in the request.")
            else:
                evidence_ids, page_ids = [], sorted(wanted[in_request:])
                if not page_ids:
                    return
        warm_render_cache.enqueue(evidence_ids=evidence_ids, page_ids=page_ids)

    def is_pending_on(self, connection):
        """Whether a callback of this transaction will still enqueue it: not
        once run, nor once a rollback has dropped the callbacks, with the ids
        of what it undid."""
        return not self.sent and any(
            entry[1] == self.enqueue for entry in connection.run_on_commit
        )


def schedule_warming(evidence_ids=(), page_ids=()):
    if not get_setting("WARM_RENDER_CACHE") or render_cache.shared_cache() is None:
        return
    connection = transaction.get_connection()  # one per thread
    if not connection.get_autocommit() and not connection.in_atomic_block:
        return  # transactions managed by hand: no commit to wait for
    pending = getattr(connection, "wagtail_evidence_warming", None)
    if pending is None or not pending.is_pending_on(connection):
        pending = connection.wagtail_evidence_warming = PendingWarming()
    pending.evidence_ids.update(evidence_ids)
    pending.page_ids.update(page_ids)
    # Robust: the change is committed, a queue that is down must not undo it.
    transaction.on_commit(pending.enqueue, robust=True)


def warm_for_records(sender, evidence_ids, **kwargs):
    schedule_warming(evidence_ids=evidence_ids)


def warm_for_page(sender, instance, **kwargs):
    if stream_field_names(type(instance)):
        schedule_warming(page_ids=[instance.pk])


def register_warming_handlers():
    render_cache.render_tokens_renewed.connect(
        warm_for_records, dispatch_uid="wagtail_evidence_warm_records"
    )
    page_published.connect(warm_for_page, dispatch_uid="wagtail_evidence_warm_page")
