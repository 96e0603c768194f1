"""A cache of rendered evidence blocks that can never serve stale HTML.

Each key holds the language of the render (the citing article's, see
wagtail_evidence.i18n), so one language's HTML never reaches another's readers,
the time zone its dates are written in (an editor's, in the admin, is not a
reader's), and the record's ``render_token``, read from the database with the
record itself on every page view and renewed whenever anything the block renders
changes (Evidence.save() and wagtail_evidence.signal_handlers). A key therefore
only ever matches what the record is now, whichever cache backend the project
uses, shared or per process. Entries expire after ``RENDER_CACHE_TIMEOUT``
seconds so that a change of templates reaches readers. Changes made behind
Django's back (QuerySet.update(), raw SQL) must call ``renew_render_token()``.

Each renewal is announced (``render_tokens_renewed``), so that the blocks can
be rendered again before a reader asks (wagtail_evidence.warming).
"""

import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import Signal
from django.utils import timezone, translation

import wagtail_evidence
from wagtail_evidence.conf import get_setting


logger = logging.getLogger(__name__)

# Sent with ``evidence_ids`` once these records' tokens are new, while the
# cache is a shared one: their cached blocks will never be read again.
render_tokens_renewed = Signal()

# Caches each process keeps for itself (or not at all): what one process
# stores there, no other process's readers read.
PER_PROCESS_CACHES = (LocMemCache, DummyCache)


def get_cache():
    """The configured cache, or None when caching is off (and always under DEBUG,
    so that template edits show at once)."""
    alias = get_setting("RENDER_CACHE")
    if alias is None or settings.DEBUG:
        return None
    return caches[alias]


def shared_cache():
    """The configured cache if every process reads it (Redis, Memcached, the
    database, files), else None."""
    cache = get_cache()
    return None if isinstance(cache, PER_PROCESS_CACHES) else cache


def cache_key(evidence, block_values):
    material = json.dumps(
        [
            wagtail_evidence.__version__,
            evidence.pk,
            evidence.render_token,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            block_values,
            getattr(settings, "WAGTAIL_EVIDENCE", {}),
        ],
        sort_keys=True,
        default=str,
    )
    return "wagtail_evidence:block:" + hashlib.sha256(material.encode()).hexdigest()


def get_many(keys):
    cache = get_cache()
    if cache is None or not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # an unreachable cache costs speed, never the page
        logger.warning(
            "Evidence render cache unavailable; rendering uncached.", exc_info=True
        )
        return {}


def get(key):
    return get_many([key]).get(key)


def set_many(rendered):
    """Store ``{key: html}`` in one call: one round trip to a shared cache."""
    cache = get_cache()
    if cache is None or not rendered:
        return
    try:
        cache.set_many(rendered, get_setting("RENDER_CACHE_TIMEOUT"))
    except Exception:
        logger.warning("Evidence render cache unavailable; not stored.", exc_info=True)


def new_render_token():
    return uuid.uuid4().hex


def renew_render_token(evidence_queryset):
    """Invalidate cached renders of these records after a change that bypassed save()."""
    if not announces_renewals():  # nobody to tell: no query for the records' ids
        return evidence_queryset.update(render_token=new_render_token())
    evidence_ids = list(evidence_queryset.values_list("pk", flat=True))
    renewed = evidence_queryset.update(render_token=new_render_token())
    announce_renewal(evidence_ids)
    return renewed


def announces_renewals():
    """Whether a renewal is worth telling: to fill a cache all processes read."""
    return shared_cache() is not None and render_tokens_renewed.has_listeners()


def announce_renewal(evidence_ids):
    """Tell whoever listens that these records' cached blocks are gone."""
    if evidence_ids and announces_renewals():
        render_tokens_renewed.send(sender=None, evidence_ids=sorted(evidence_ids))
