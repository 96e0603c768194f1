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


def key_inputs(evidence, block_values):
    """What a block's key is made of, but for what stays the same for a whole
    process (deployment_fingerprint): two blocks with the same inputs have the
    same key, so a key made once may be used again while they hold."""
    return (
        evidence.pk,
        evidence.render_token,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tuple(block_values),
    )


def cache_key(inputs):
    """The key of a block's HTML made of its ``key_inputs``, without the prefix
    it has in the cache: the stored rows (reader.stored_renders) are kept under
    the same. Any inputs of the same shape (what, its version, language, time
    zone, the rest) make a key: reader.article_fragments' do."""
    language = inputs[2]
    material = json.dumps([*inputs, deployment_fingerprint(language)], default=str)
    return hashlib.sha256(material.encode()).hexdigest()


# Django's settings a block's HTML depends on: where the files it links to are
# served from, the language of captions without one, how dates are written.
# Others (a storage's own settings, say) reach readers within the cache's and
# the rows' ages.
HTML_SETTINGS = (
    "MEDIA_URL",
    "STATIC_URL",
    "STORAGES",
    "FORCE_SCRIPT_NAME",
    "WAGTAILDOCS_SERVE_METHOD",
    "LANGUAGE_CODE",
    "FORMAT_MODULE_PATH",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
)


@lru_cache(maxsize=32)
def deployment_fingerprint(language):
    """What a block's HTML depends on besides its record and its article, once
    per language and process: the package's version and settings, Django's
    HTML_SETTINGS, and the language's catalogue of words and those it falls
    back on (a site's own translations may change any deploy)."""
    digest = hashlib.sha256()
    for part in (
        wagtail_evidence.__version__,
        getattr(settings, "WAGTAIL_EVIDENCE", {}),
        [getattr(settings, name, None) for name in HTML_SETTINGS],
    ):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    catalog = trans_real.translation(language or settings.LANGUAGE_CODE)
    while catalog is not None:
        words = getattr(catalog, "_catalog", None)
        for entry in sorted(map(repr, words.items() if words is not None else ())):
            digest.update(entry.encode())
        catalog = getattr(catalog, "_fallback", None)
    return digest.hexdigest()


@receiver(setting_changed)
def _forget_fingerprints(setting, **kwargs):
    deployment_fingerprint.cache_clear()


def get_many(keys, stored=False, prefix=KEY_PREFIX):
    """``{key: html}`` of the blocks the cache holds and, with ``stored`` (HTML
    the package writes itself), of those its database rows hold; these are put
    back in the cache in one call, so the rows are read once per cache entry,
    not on every view."""
    cache = get_cache()
    if cache is None or not keys:
        return {}
    try:
        found = {
            key.removeprefix(prefix): html
            for key, html in cache.get_many([prefix + key for key in keys]).items()
        }
    except Exception:  # an unreachable cache costs speed, never the page
        logger.warning(
            "Evidence render cache unavailable; rendering uncached.", exc_info=True
        )
        found = {}
    if stored and stored_renders.is_on() and len(found) < len(keys):
        kept, seconds_left = stored_renders.get_many(
            [key for key in keys if key not in found]
        )
        # Kept in the cache no longer than the oldest row may still be served.
        put_in_cache(cache, kept, seconds_left, prefix)
        found.update(kept)
    return found


def get(key, stored=False):
    return get_many([key], stored).get(key)


def set_many(rendered, records=None, prefix=KEY_PREFIX):
    """Store ``{key: html}`` in one call: one round trip to a shared cache; and
    with ``records`` (each key's record, for HTML the package writes itself),
    in the database."""
    cache = get_cache()
    if cache is None or not rendered:
        return
    if records is not None and stored_renders.is_on():
        stored_renders.set_many(rendered, records)
    put_in_cache(cache, rendered, prefix=prefix)


def put_in_cache(cache, rendered, seconds_left=None, prefix=KEY_PREFIX):
    timeout = get_setting("RENDER_CACHE_TIMEOUT")
    if seconds_left is not None:
        timeout = seconds_left if timeout is None else min(timeout, seconds_left)
    if not rendered or timeout == 0:
        return
    try:
        cache.set_many({prefix + key: html for key, html in rendered.items()}, timeout)
    except Exception:
        logger.warning("Evidence render cache unavailable; not stored.", exc_info=True)


def new_render_token():
    return uuid.uuid4().hex


def renew_render_token(evidence_queryset):
    """Invalidate cached renders of these records after a change that bypassed save()."""
    if not announces_renewals():  # nobody to tell: no query for the records' ids
        renewed = evidence_queryset.update(render_token=new_render_token())
        forget_stored(evidence_queryset)
        return renewed
    evidence_ids = list(evidence_queryset.values_list("pk", flat=True))
    renewed = evidence_queryset.update(render_token=new_render_token())
    announce_renewal(evidence_ids)
    return renewed


def forget_stored(evidence_queryset):
    """Delete the stored blocks of these records' old tokens, now and once the
    change commits (reader.stored_renders)."""
    stored_renders.forget_records(evidence_queryset)
    stored_renders.forget_once_committed(evidence_queryset)


def announces_renewals():
    """Whether a renewal is worth telling: to fill a cache all processes read."""
    return shared_cache() is not None and render_tokens_renewed.has_listeners()


def announce_renewal(evidence_ids):
    """Forget these records' stored blocks, and tell whoever listens that their
    cached blocks are gone."""
    if not evidence_ids:
        return
    stored_renders.forget(evidence_ids)
    stored_renders.forget_once_committed(list(evidence_ids))
    if announces_renewals():
        render_tokens_renewed.send(sender=None, evidence_ids=sorted(evidence_ids))
