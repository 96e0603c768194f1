"""An article's JSON-LD and its corrections notice, cached as its evidence
blocks are (reader.render_cache).

Both are worked out from the article and every record it shows: the records'
appearances, archived copies and public history, and since when the article
shows each (models.citation). Once the blocks come from the cache, that is five
queries and a sixth of the page's work on every view. Their key holds all they
read:

- the article: its streams as stored (the claims, which records each block
  shows and how), its first and last publication (since when it shows a
  record is noted when it is published, which also moves the last one), its
  address and its site's name and root;
- each record it shows: its render token, renewed whenever anything of it a
  reader sees changes, its appearances, archived copies and history included;
- the language, the time zone and the deployment (settings and words).

A key therefore only ever matches what the article and its records are now:
a change the desk publishes reaches these as it reaches the blocks. A preview,
a view without a request, and an article that shows no record (nothing to
save) are worked out afresh; so is a view that found a record shown with no
note of since when, as a reader between a publication's save and its noting
does: what it shows is not kept.
"""

import hashlib
import json

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from wagtail.models import Site

from wagtail_evidence.reader import render_cache
from wagtail_evidence.reader.corrections import citations_noted


KEY_PREFIX = "wagtail_evidence:article:"
FRAGMENTS = ("json_ld", "corrections")


def cached_fragment(page, request, name, build):
    """The fragment ``name`` of ``page`` (one of FRAGMENTS), from the cache,
    else ``build()``'s HTML, then cached. The first asked looks up both, in
    one round trip; call it in the article's language (i18n.reader_language)."""
    looked_up = getattr(page, "_evidence_fragments", None)
    if looked_up is None:
        keys = fragment_keys(page, request)
        found = render_cache.get_many(list(keys.values()), prefix=KEY_PREFIX)
        looked_up = page._evidence_fragments = (keys, found)
    keys, found = looked_up
    if not keys:
        return build()
    key = keys[name]
    if key in found:
        # What build() made for the same key: HTML the package wrote itself.
        return mark_safe(found[key])  # noqa: S308
    html = build()
    if citations_noted(page):  # else correct for this view, not for the cache
        render_cache.set_many({key: str(html)}, prefix=KEY_PREFIX)
        found[key] = str(html)
    return html


def fragment_keys(page, request):
    """{fragment: key} of ``page`` as ``request`` reads it now, or {} where
    nothing is cached."""
    if render_cache.get_cache() is None or request is None:
        return {}
    if getattr(request, "is_preview", False):
        return {}  # a draft, for one editor's eyes
    records = page.cited_evidence()
    if not records:
        return {}
    site = Site.find_for_request(request) or page.get_site()
    article = {
        "streams": hashlib.sha256(
            json.dumps(page.stored_streams(), sort_keys=True, default=str).encode()
        ).hexdigest(),
        "published": [page.first_published_at, page.last_published_at],
        "url": page.get_full_url(request),
        "site": [site.pk, site.site_name, site.root_url] if site else None,
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
        "records": [[record.pk, record.render_token] for record in records],
    }
    key = render_cache.cache_key(
        (
            "article",
            page.pk,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            article,
        )
    )
    return {name: f"{name}:{key}" for name in FRAGMENTS}
