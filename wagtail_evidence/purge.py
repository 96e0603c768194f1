"""Purge the live articles citing a piece of evidence from the frontend cache
when the evidence is published, unpublished or deleted, in batches.

Wagtail purges a page's URLs when the page itself is published; nothing tells
it that an article changed because a record it cites did. This does, only when
``wagtail.contrib.frontend_cache`` is installed. The work runs as a task
(django-tasks, which Wagtail uses), after the transaction commits: off the
editor's request when the project has a task backend that runs elsewhere
(django-tasks-rq, django-tasks-db), inline with the default immediate backend.

The task is safe to run twice: a purge says "forget these URLs", and saying it
again changes nothing. It is retried where it fails, a few times with pauses
between (where the task backend can run a task later), and each failure, and a
success after one, is written to the record's history, so the desk sees that
readers behind the cache may still see the old version.
"""

import logging
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db import transaction
from django.db.models.signals import pre_delete
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import published, unpublished

from wagtail_evidence.conf import get_setting
from wagtail_evidence.models import Evidence
from wagtail_evidence.models.archives import sources_changed
from wagtail_evidence.models.citation import live_pages_citing
from wagtail_evidence.models.evidence import coordinates_withheld


logger = logging.getLogger(__name__)

# Seconds to wait before the second, third and fourth attempt; after the last
# one, the failure stays in the record's history and in the task backend's
# results, with the pages still to purge.
RETRY_DELAYS = (60, 600, 3600)
PURGE_FAILED = "wagtail_evidence.purge_failed"
PURGE_RECOVERED = "wagtail_evidence.purge_recovered"


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class PurgeFailed(Exception):
    def __init__(self, error, remaining):
        super().__init__(str(error))
        self.error = error
        self.remaining = remaining  # the page ids not purged yet


def send_purges(page_ids):
    """Purge the pages in batches; return how many batches were sent."""
    # Only here: the frontend cache app is optional, and this runs only with it installed.
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    pages = list(Page.objects.filter(pk__in=page_ids).order_by("pk"))
    site_cache = SimpleNamespace()  # lets the batches share one lookup of the sites
    sent, done = 0, set()
    for chunk in batches(pages, get_setting("PURGE_BATCH_SIZE")):
        batch = PurgeBatch(cache_object=site_cache)
        batch.add_pages(chunk)
        try:
            # Wagtail's own purge task, called here rather than enqueued as
            # PurgeBatch.purge() would: a backend that fails fails this task,
            # which is then retried and shown, instead of a second one nobody
            # watches.
            purge_urls_from_cache_task.call(sorted(batch.urls))
        except Exception as error:
            remaining = [pk for pk in page_ids if pk not in done]
            raise PurgeFailed(error, remaining) from error
        sent += 1
        done.update(page.pk for page in chunk)
    return sent


@task()
def purge_pages(page_ids, evidence_pk=None, evidence_title="", attempt=1):
    """Purge the pages' URLs from the frontend cache; return how many batches
    were sent. ``evidence_pk`` names the record whose history shows a failure."""
    try:
        sent = send_purges(page_ids)
    except PurgeFailed as failure:
        logger.exception(
            "Purge of %d pages citing evidence %s failed (attempt %d).",
            len(failure.remaining),
            evidence_pk,
            attempt,
        )
        retry_at = retry_later(failure.remaining, evidence_pk, evidence_title, attempt)
        note(
            evidence_pk,
            evidence_title,
            PURGE_FAILED,
            pages=failure.remaining,
            attempt=attempt,
            error=type(failure.error).__name__,
            retry_at=retry_at.isoformat() if retry_at else None,
        )
        raise failure.error from None  # the task backend keeps the failure too
    if attempt > 1:
        note(
            evidence_pk,
            evidence_title,
            PURGE_RECOVERED,
            pages=page_ids,
            attempt=attempt,
        )
    return sent


def retry_later(page_ids, evidence_pk, evidence_title, attempt):
    """Enqueue the next attempt, if there is one and the backend can wait;
    return when it will run, or None."""
    if attempt > len(RETRY_DELAYS) or not purge_pages.get_backend().supports_defer:
        return None
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    purge_pages.using(run_after=run_after).enqueue(
        page_ids, evidence_pk, evidence_title, attempt + 1
    )
    return run_after


def note(evidence_pk, evidence_title, action, **data):
    """Write the outcome to the record's history (Reports > Site history keeps
    it for a record deleted since)."""
    if evidence_pk is None:
        return
    evidence = Evidence.objects.filter(pk=evidence_pk).first()
    if evidence is None:  # deleted: the entry keeps the title it had
        evidence = Evidence(pk=evidence_pk, title=evidence_title)
    log(evidence, action, data=data)


def schedule_purge(sender, instance, **kwargs):
    # Found now, while the reference index still points at a record being
    # deleted; purged once the transaction commits.
    page_ids = live_pages_citing([instance.pk])
    if page_ids:
        evidence_pk, title = instance.pk, str(instance)
        transaction.on_commit(lambda: enqueue_purge(page_ids, evidence_pk, title))


def enqueue_purge(page_ids, evidence_pk, title):
    """Enqueue the purge; a queue that cannot take it (its Redis down) fails
    the purge, as the desk reads in the record's history, never the change,
    which is committed by now."""
    try:
        purge_pages.enqueue(page_ids, evidence_pk, title)
    except Exception as error:
        logger.exception("Purge of pages citing evidence %s not enqueued.", evidence_pk)
        try:
            note(
                evidence_pk,
                title,
                PURGE_FAILED,
                pages=page_ids,
                attempt=1,
                error=type(error).__name__,
                retry_at=None,
            )
        except Exception:  # the database gone too: the log above is all there is
            logger.exception("The failed purge of evidence %s not noted.", evidence_pk)


def register_purge_handlers():
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    for signal, name in (
        (published, "published"),
        (unpublished, "unpublished"),
        (pre_delete, "deleted"),
        (coordinates_withheld, "coordinates_withheld"),
        (sources_changed, "sources_changed"),  # a source gone, a new copy
    ):
        signal.connect(
            schedule_purge,
            sender=Evidence,
            dispatch_uid=f"wagtail_evidence_purge_{name}",
        )
