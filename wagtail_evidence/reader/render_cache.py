"""A cache of rendered evidence blocks that can never serve stale HTML.

Each key holds the language of the render (the citing article's, see
wagtail_evidence.i18n), so one language's HTML never reaches another's readers,
the time zone its dates are written in (an editor's, in the admin, is not a
reader's), the words of that language and the settings that place files
(``deployment_fingerprint``), and the record's ``render_token``, read from the
database with the record itself on every page view and renewed whenever
anything the block renders changes (Evidence.save() and
wagtail_evidence.signal_handlers). A key therefore only ever matches what the
record is now, whichever cache backend the project uses, shared or per process.
Entries expire after ``RENDER_CACHE_TIMEOUT`` seconds so that a change of
templates reaches readers. Changes made behind Django's back (QuerySet.update(),
raw SQL) must call ``renew_render_token()``.

Behind the cache, the blocks the package writes itself are kept in the database
too (reader.stored_renders), so that an emptied cache costs a read, not a render.

Each renewal forgets the records' stored blocks and is announced
(``render_tokens_renewed``), so that the blocks can be rendered again before a
reader asks (wagtail_evidence.warming).
"""

import hashlib
import json
import logging
import uuid
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import Signal, receiver
from django.utils import timezone, translation
from django.utils.translation import trans_real

import wagtail_evidence
from wagtail_evidence.conf import get_setting
from wagtail_evidence.reader import stored_renders


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


KEY_PREFIX = "wagtail_evidence:block:"


def cache_key(evidence, block_values):
    """The key of a block's HTML, without the prefix it has in the cache: the
    stored rows (reader.stored_renders) are kept under the same."""
    language, time_zone = key_context()
    material = json.dumps(
        [
            evidence.pk,
            evidence.render_token,
            language,
            time_zone,
            block_values,
            deployment_fingerprint(language),
        ],
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def key_context():
    """What a key depends on that may change within a request: two keys of a
    record made in the same context are the same."""
    return translation.get_language(), timezone.get_current_timezone_name()


# Settings that decide where the files a block links to are served from.
FILE_SETTINGS = ("MEDIA_URL", "STATIC_URL", "STORAGES", "WAGTAILDOCS_SERVE_METHOD")


@lru_cache(maxsize=32)
def deployment_fingerprint(language):
    """What a block's HTML depends on besides its record and its article, once
    per language and process: the package's version and settings, those that
    place files, and the language's catalogue of words (a site's own
    translations may change any deploy)."""
    digest = hashlib.sha256()
    for part in (
        wagtail_evidence.__version__,
        getattr(settings, "WAGTAIL_EVIDENCE", {}),
        [getattr(settings, name, None) for name in FILE_SETTINGS],
    ):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    catalog = getattr(trans_real.translation(language or "en"), "_catalog", None)
    for entry in sorted(map(repr, catalog.items() if catalog is not None else ())):
        digest.update(entry.encode())
    return digest.hexdigest()


@receiver(setting_changed)
def _forget_fingerprints(setting, **kwargs):
    deployment_fingerprint.cache_clear()


def get_many(keys, stored=False):
    """``{key: html}`` of the blocks the cache holds and, with ``stored`` (HTML
    the package writes itself), of those its database rows hold. These are not
    put back in the cache: the next reader reads them again in one query, which
    costs about what a cache read does, and putting them back would cost the
    first reader a write of the page's whole HTML to the cache."""
    cache = get_cache()
    if cache is None or not keys:
        return {}
    try:
        found = {
            key.removeprefix(KEY_PREFIX): html
            for key, html in cache.get_many([KEY_PREFIX + key for key in keys]).items()
        }
    except Exception:  # an unreachable cache costs speed, never the page
        logger.warning(
            "Evidence render cache unavailable; rendering uncached.", exc_info=True
        )
        found = {}
    if stored and stored_renders.is_on() and len(found) < len(keys):
        found.update(stored_renders.get_many([key for key in keys if key not in found]))
    return found


def get(key, stored=False):
    return get_many([key], stored).get(key)


def set_many(rendered, evidence_ids=None):
    """Store ``{key: html}`` in one call: one round trip to a shared cache; and
    with ``evidence_ids`` (each key's record, for HTML the package writes
    itself), in the database in one statement."""
    cache = get_cache()
    if cache is None or not rendered:
        return
    if evidence_ids is not None and stored_renders.is_on():
        stored_renders.set_many(rendered, evidence_ids)
    try:
        cache.set_many(
            {KEY_PREFIX + key: html for key, html in rendered.items()},
            get_setting("RENDER_CACHE_TIMEOUT"),
        )
    except Exception:
        logger.warning("Evidence render cache unavailable; not stored.", exc_info=True)


def new_render_token():
    return uuid.uuid4().hex


def renew_render_token(evidence_queryset):
    """Invalidate cached renders of these records after a change that bypassed save()."""
    stored_renders.forget_records(evidence_queryset)
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
    """Forget these records' stored blocks, and tell whoever listens that their
    cached blocks are gone."""
    if not evidence_ids:
        return
    stored_renders.forget(evidence_ids)
    if announces_renewals():
        render_tokens_renewed.send(sender=None, evidence_ids=sorted(evidence_ids))
