"""The render cache's second tier: rendered blocks kept in the database.

A shared cache forgets: it is emptied by a restart (Redis keeps nothing on disk
unless told to), evicts what memory cannot hold, and expires every entry after
``RENDER_CACHE_TIMEOUT``. Each time, every reader of every article would pay for
the whole render again, about twice what core EmbedBlock costs; EmbedBlock
itself never renders on a page view, it reads the HTML its ``Embed`` row keeps.
So each render is kept in a row too (models.stored_render), under the same key:
a block the cache lacks is read from there, in the same batch, and put back in
the cache.

What the key cannot see is kept out, or bounded:

- a site's own templates (reader.overrides): only the HTML the package writes
  in Python is stored, as a template may change at any deploy;
- renditions and files moved behind the key's back: a row is served for
  ``STORED_RENDERS_MAX_AGE`` seconds, then rendered and stored again.

The tier is on with the render cache (``RENDER_CACHE``), and ``STORED_RENDERS``
turns it off alone. A database that refuses the rows (a read-only replica)
costs speed, never the page. The reader layer names no model: the table is
found through the app registry, as Wagtail finds the image model.
"""

import datetime
import logging

from django.apps import apps
from django.db import DatabaseError, transaction
from django.utils import timezone

from wagtail_evidence.conf import get_setting


logger = logging.getLogger(__name__)

KEYS_AT_ONCE = 500  # keys a query names: within every database's limits


def stored_render_model():
    return apps.get_model("wagtail_evidence", "StoredRender")


def is_on():
    return bool(get_setting("STORED_RENDERS"))


def get_many(keys):
    """``{key: html}`` of the rows under these keys young enough to serve."""
    if not keys:
        return {}
    oldest = timezone.now() - datetime.timedelta(
        seconds=get_setting("STORED_RENDERS_MAX_AGE")
    )
    rows = stored_render_model().objects.filter(rendered_at__gte=oldest)
    found = {}
    for start in range(0, len(keys), KEYS_AT_ONCE):
        found.update(
            rows.filter(key__in=keys[start : start + KEYS_AT_ONCE]).values_list(
                "key", "html"
            )
        )
    return found


def set_many(rendered, evidence_ids):
    """Store ``{key: html}``, each key's record named by ``evidence_ids``, in
    one statement; a row under the same key (aged past serving) is replaced."""
    if not rendered:
        return
    model = stored_render_model()
    now = timezone.now()
    rows = [
        model(key=key, evidence_id=evidence_ids[key], html=html, rendered_at=now)
        for key, html in rendered.items()
    ]
    try:
        # A savepoint: a refused write must not spoil the request's transaction.
        with transaction.atomic():
            model.objects.bulk_create(
                rows,
                batch_size=KEYS_AT_ONCE,
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["html", "rendered_at"],
            )
    except DatabaseError:
        logger.warning("Evidence blocks rendered but not stored.", exc_info=True)


def forget(evidence_ids):
    """Delete the rows of these records, whose token was just renewed: no key
    will name them again, and a withheld place must not stay in them."""
    evidence_ids = sorted(evidence_ids)
    rows = stored_render_model().objects
    for start in range(0, len(evidence_ids), KEYS_AT_ONCE):
        rows.filter(evidence_id__in=evidence_ids[start : start + KEYS_AT_ONCE]).delete()


def forget_records(evidence_queryset):
    """forget() for a queryset of records, in one statement."""
    stored_render_model().objects.filter(
        evidence_id__in=evidence_queryset.values("pk")
    ).delete()
