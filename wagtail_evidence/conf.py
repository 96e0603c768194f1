"""The package's one settings dict, ``WAGTAIL_EVIDENCE``, read through one accessor.

Every key has a documented default (docs/reference/settings.md). A project sets only
the keys it wants to change::

    WAGTAIL_EVIDENCE = {"POSTER_FILTER": "fill-1280x720"}
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


SETTINGS_NAME = "WAGTAIL_EVIDENCE"

DEFAULTS = {
    # Media providers whose URLs are parsed into a provider and a media id, tried in
    # order. Dotted paths to subclasses of wagtail_evidence.media.providers.Provider.
    "PROVIDERS": [
        "wagtail_evidence.media.providers.YouTube",
        "wagtail_evidence.media.providers.XTwitter",
        "wagtail_evidence.media.providers.Telegram",
        "wagtail_evidence.media.providers.Facebook",
        "wagtail_evidence.media.providers.Vimeo",
        "wagtail_evidence.media.providers.Instagram",
        "wagtail_evidence.media.providers.TikTok",
    ],
    # The Wagtail image filter for posters shown in place of the media.
    "POSTER_FILTER": "fill-960x540",
    # The cache alias (in CACHES) for rendered evidence blocks; None turns the
    # render cache off. It is always off under DEBUG.
    "RENDER_CACHE": "default",
    # Seconds a rendered block is kept; changes of data never wait for it.
    "RENDER_CACHE_TIMEOUT": 600,
    # Once a change commits, render the blocks it made stale into the render
    # cache (a shared one) before a reader asks (wagtail_evidence.warming).
    "WARM_RENDER_CACHE": True,
    # How many of those articles (an article just published, then the most
    # recently published) the request that made the change renders itself once
    # it commits, so that a reader is not ahead of a queued task; the task
    # renders the rest. 0: all of them in the task.
    "WARM_PAGES_IN_REQUEST": 10,
    # Keep each rendered block in the database too, as Wagtail keeps an embed's
    # HTML, so that an emptied render cache (a restart, an eviction, an expiry)
    # costs readers a read, not a render. Only with the render cache on.
    "STORED_RENDERS": True,
    # Seconds a stored block is served, then rendered again: it bounds what no
    # key sees (a storage's signed file addresses, a rendition regenerated under
    # another name). None: until the record changes.
    "STORED_RENDERS_MAX_AGE": 3600,
    # With wagtail.contrib.frontend_cache installed: how many citing articles go
    # into one purge request when published evidence changes.
    "PURGE_BATCH_SIZE": 100,
    # Show readers, under an item, when its badge or content warning changed.
    "VERIFICATION_HISTORY": True,
    # The HTML sanitizer behind wagtail_evidence.sanitize: "bleach" or "nh3"
    # (pip install "wagtail-evidence[nh3]").
    "SANITIZER": "bleach",
    # The organisation named as the author of the JSON-LD ClaimReviews and
    # MediaReviews: {"name": ..., "url": ...}. None: the Wagtail site's name and
    # root URL (docs/reference/json-ld.md).
    "STRUCTURED_DATA_PUBLISHER": None,
    # The map services readers may open an item's coordinates in, in this order:
    # {"name": ..., "url": ...} with {latitude}, {longitude} and {zoom} in the
    # address. Plain links: nothing loads before the reader clicks one.
    "MAP_SERVICES": [
        {
            "name": "OpenStreetMap",
            "url": "https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
            "#map={zoom}/{latitude}/{longitude}",
        },
        {
            "name": "Google Maps",
            "url": "https://www.google.com/maps/search/?api=1&query={latitude},{longitude}",
        },
        {
            "name": "Apple Maps",
            "url": "https://maps.apple.com/?ll={latitude},{longitude}&q={latitude},{longitude}",
        },
    ],
    # Where the line under each badge links for what the badges mean: the
    # legend that {% evidence_badge_legend %} puts on the page, or a page of
    # your own. None: no link.
    "BADGE_LEGEND_URL": "#evidence-legend",
    # The newsroom's own page on how it verifies, linked from the legend: an
    # address, or {language code: address}. None: no link.
    "METHOD_PAGE": None,
    # Draw a locator map (an inline SVG made on the server from boundary data
    # shipped with the package; no tiles, no request) beside located items.
    "LOCATOR_MAP": True,
    # The most records a file uploaded to the admin's import may hold; larger
    # files are imported with the import_evidence command. None: no limit.
    "UPLOAD_MAX_ROWS": 2000,
    # Recycled footage (pip install "wagtail-evidence[fingerprints]"): a record
    # is flagged when one of its images or key frames is within this many bits
    # (of 256) of another record's PDQ hash. 31 is PDQ's own recommendation;
    # 0 to 47 (models/near_duplicates.py says why no more).
    "NEAR_DUPLICATE_DISTANCE": 31,
    # PDQ's quality (0-100) below which a hash is kept but never compared: a
    # flat or nearly blank picture matches too much. 50 is PDQ's recommendation.
    "NEAR_DUPLICATE_MIN_QUALITY": 50,
    # How many key frames of a video are hashed (with ffmpeg, by a task).
    "NEAR_DUPLICATE_KEY_FRAMES": 8,
    # Content Credentials (C2PA, pip install "wagtail-evidence[c2pa]"): the path
    # to a PEM file of the trust anchors a signer is checked against. None (the
    # default): no trust list; signers are shown as named by their certificate,
    # unchecked (docs/how-to/content-credentials.md).
    "C2PA_TRUST_ANCHORS": None,
    # The archiving service "Archive now" asks (docs/how-to/archive-sources.md):
    # a dotted path to a subclass of wagtail_evidence.archives.backends.ArchiveBackend,
    # built with ARCHIVE_OPTIONS as keyword arguments. Save Page Now needs
    # {"access_key": ..., "secret_key": ...} (archive.org's S3-like keys).
    "ARCHIVE_BACKEND": "wagtail_evidence.archives.backends.SavePageNow",
    "ARCHIVE_OPTIONS": {},
    # "Check sources": seconds to wait for each address, and the outbound HTTP
    # proxy to ask through (None: connect directly).
    "SOURCE_CHECK_TIMEOUT": 10,
    "SOURCE_CHECK_PROXY": None,
}

_cache = {}


def get_setting(name):
    """Return the value of one ``WAGTAIL_EVIDENCE`` key, or its default."""
    if name not in DEFAULTS:
        raise ImproperlyConfigured(f"{SETTINGS_NAME} has no setting named {name!r}.")
    if name not in _cache:
        user_settings = getattr(settings, SETTINGS_NAME, {}) or {}
        unknown = set(user_settings) - set(DEFAULTS)
        if unknown:
            raise ImproperlyConfigured(
                f"Unknown {SETTINGS_NAME} keys: {', '.join(sorted(unknown))}. "
                f"Known keys: {', '.join(sorted(DEFAULTS))}."
            )
        _cache[name] = user_settings.get(name, DEFAULTS[name])
    return _cache[name]


@receiver(setting_changed)
def _reload(setting, **kwargs):
    if setting == SETTINGS_NAME:
        _cache.clear()
