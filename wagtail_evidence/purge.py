"""Purge the live articles citing a piece of evidence from the frontend cache
when the evidence is published, unpublished or deleted, in batches.

Wagtail purges a page's URLs when the page itself is published; nothing tells
it that an article changed because a record it cites did. This does, only when
``wagtail.contrib.frontend_cache`` is installed. The work runs as a task
(django-tasks, which Wagtail uses), after the transaction commits: off the
editor's request when the project has a task backend that runs elsewhere,
inline with the default immediate backend.
"""

from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import pre_delete
from django_tasks import task
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import published, unpublished

from wagtail_evidence.conf import get_setting
from wagtail_evidence.models import Evidence
from wagtail_evidence.models.evidence import coordinates_withheld


def citing_live_page_ids(evidence_pk):
    """The live pages whose reference index rows point at the record."""
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Evidence),
        to_object_id=str(evidence_pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    page_ids = {
        int(object_id) for object_id in references.values_list("object_id", flat=True)
    }
    return sorted(
        Page.objects.live().filter(pk__in=page_ids).values_list("pk", flat=True)
    )


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@task()
def purge_pages(page_ids):
    """Purge the pages' URLs from the frontend cache; return how many batches were sent."""
    # Only here: the frontend cache app is optional, and this runs only with it installed.
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    pages = list(Page.objects.filter(pk__in=page_ids).order_by("pk"))
    site_cache = SimpleNamespace()  # lets the batches share one lookup of the sites
    sent = 0
    for chunk in batches(pages, get_setting("PURGE_BATCH_SIZE")):
        batch = PurgeBatch(cache_object=site_cache)
        batch.add_pages(chunk)
        batch.purge()
        sent += 1
    return sent


def schedule_purge(sender, instance, **kwargs):
    # Found now, while the reference index still points at a record being
    # deleted; purged once the transaction commits.
    page_ids = citing_live_page_ids(instance.pk)
    if page_ids:
        transaction.on_commit(lambda: purge_pages.enqueue(page_ids))


def register_purge_handlers():
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    for signal, name in (
        (published, "published"),
        (unpublished, "unpublished"),
        (pre_delete, "deleted"),
        (coordinates_withheld, "coordinates_withheld"),
    ):
        signal.connect(
            schedule_purge,
            sender=Evidence,
            dispatch_uid=f"wagtail_evidence_purge_{name}",
        )
