"""schema.org JSON-LD for an article: a ClaimReview for each claim the newsroom
assessed, a MediaReview for each piece of evidence whose authenticity it confirmed
(docs/reference/json-ld.md).

Everything is built as plain dicts from what the page has already loaded, then
serialized so that nothing an editor typed can end the ``<script>`` element it
is written into.
"""

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from wagtail_evidence.choices import (
    Assessment,
    AuthenticityCategory,
    ClaimantKind,
    DatePrecision,
    FacetStatus,
)
from wagtail_evidence.conf import get_setting
from wagtail_evidence.geo.location import place_name, public_location
from wagtail_evidence.i18n import reader_language
from wagtail_evidence.media.players import embed_url
from wagtail_evidence.media.providers import parse_media_url
from wagtail_evidence.media.weburls import safe_web_url
from wagtail_evidence.reader.content_credentials import schema_digital_source_type
from wagtail_evidence.reader.corrections import cited_since, item_corrections
from wagtail_evidence.reader.loading import load_appearances
from wagtail_evidence.reader.sources import archived_at


SCHEMA_ORG = "https://schema.org"

# Our authenticity categories are schema.org's MediaManipulationRatingEnumeration;
# spelt out so that a category added to the choices never goes out unmapped.
MEDIA_AUTHENTICITY = {
    AuthenticityCategory.ORIGINAL: f"{SCHEMA_ORG}/OriginalMediaContent",
    AuthenticityCategory.DECONTEXTUALIZED: f"{SCHEMA_ORG}/DecontextualizedContent",
    AuthenticityCategory.EDITED_OR_CROPPED: f"{SCHEMA_ORG}/EditedOrCroppedContent",
    AuthenticityCategory.TRANSFORMED: f"{SCHEMA_ORG}/TransformedContent",
    AuthenticityCategory.STAGED: f"{SCHEMA_ORG}/StagedContent",
    AuthenticityCategory.SATIRE_OR_PARODY: f"{SCHEMA_ORG}/SatireOrParodyContent",
}

# Who made a claim. Every kind but a person is an institution; a claimant whose
# kind was not given is described as one too.
CLAIMANT_TYPES = {ClaimantKind.PERSON: "Person"}
DEFAULT_CLAIMANT_TYPE = "Organization"

PUBLISHER_KEYS = {"name", "url"}

# Django's json_script escapes, plus the two line terminators that end a
# JavaScript string literal, for consumers that read the data as script.
SCRIPT_SAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def dumps(data):
    """``data`` as JSON that cannot end or comment out the script element it is in."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        SCRIPT_SAFE
    )


def json_ld_script(page, request=None):
    """One ``<script type="application/ld+json">`` for ``page``, or "" when the
    article reviews nothing."""
    with reader_language(page):  # the language the claims and badges are shown in
        graph = article_graph(page, request)
    if not graph:
        return ""
    # dumps() leaves no "<", ">" or "&", so the JSON cannot leave the element.
    data = mark_safe(dumps({"@context": SCHEMA_ORG, "@graph": graph}))  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', data)


def article_graph(page, request=None):
    """The reviews the article publishes: ClaimReviews in reading order, then
    MediaReviews in the order the evidence first appears. [] for none."""
    page_url = page.get_full_url(request)
    if not page_url:
        return []  # not routable (a preview of a page outside any site)
    citations = page.evidence_citations()
    claims = [value for value in citations.claims if is_assessed(value)]
    shown = reviewed_evidence(citations)
    if not claims and not shown:
        return []
    site = (
        Site.find_for_request(request) if request is not None else None
    ) or page.get_site()
    context = {
        "page_url": page_url,
        "root_url": site.root_url if site else "",
        "author": publisher(site),
        "language": translation.get_language(),
        "published": page.first_published_at,
        "cited_since": cited_since(page) if shown else {},
        "modified": page.last_published_at,
    }
    load_appearances([item for item, _heading, _link_only in shown])
    return [claim_review(value, context) for value in claims] + [
        media_review(item, heading, link_only, context)
        for item, heading, link_only in shown
    ]


# Claims


def is_assessed(value):
    return value.get("assessment") in Assessment.values and bool(
        plain_text(value.get("statement"))
    )


def claim_review(value, context):
    rating = {
        "@type": "Rating",
        "alternateName": str(Assessment(value["assessment"]).label),
    }
    note = plain_text(value.get("assessment_note"))
    if note:
        rating["ratingExplanation"] = note
    claim = {"@type": "Claim", "author": claimant(value)}
    if value.get("claimed_on"):
        claim["datePublished"] = value.claimed_on_iso  # "2019" for a 2019 report
    source = safe_web_url(value.get("source_url") or "")
    title = plain_text(value.get("source_title"))
    if title:
        claim["appearance"] = without_empty(
            {"@type": "CreativeWork", "name": title, "url": source}
        )
    elif source:
        claim["appearance"] = source
    return without_empty(
        {
            "@type": "ClaimReview",
            "url": context["page_url"],
            "claimReviewed": plain_text(value["statement"]),
            "author": context["author"],
            "datePublished": iso_datetime(context["published"]),
            "inLanguage": context["language"],
            "reviewRating": rating,
            "itemReviewed": without_empty(claim),
        }
    )


def claimant(value):
    name = plain_text(value.get("claimant"))
    if not name:
        return {}
    return {
        "@type": CLAIMANT_TYPES.get(
            value.get("claimant_kind") or "", DEFAULT_CLAIMANT_TYPE
        ),
        "name": name,
    }


# Evidence


def reviewed_evidence(citations):
    """(item, heading, link_only) for each live record the article shows whose
    authenticity the desk confirmed. Link only when any block shows it so."""
    found = {}
    for value in citations.evidence_blocks:
        item = value.item  # None when withdrawn or never published
        if item is None or media_authenticity(item) is None:
            continue
        if item.pk in found:
            first, heading, link_only = found[item.pk]
            found[item.pk] = (first, heading, link_only or value.is_link_only)
        else:
            found[item.pk] = (item, value.heading_text, value.is_link_only)
    return list(found.values())


def media_authenticity(item):
    """The schema.org category, only for a category the desk confirmed."""
    if item.authenticity_status != FacetStatus.CONFIRMED:
        return None
    return MEDIA_AUTHENTICITY.get(item.authenticity_category)


def media_review(item, heading, link_only, context):
    category = media_authenticity(item)
    review = {
        "@type": "MediaReview",
        "url": f"{context['page_url']}#evidence-{item.pk}",
        "author": context["author"],
        "datePublished": iso_datetime(context["published"]),
        # The desk may revise the item after the article went live.
        "dateModified": iso_datetime(
            latest(context["modified"], item.last_published_at)
        ),
        "inLanguage": context["language"],
        "mediaAuthenticityCategory": category,
        "itemReviewed": {
            "@type": "MediaReviewItem",
            "mediaItemAppearance": media_appearances(
                item, heading, link_only, context["root_url"]
            ),
        },
    }
    corrections = item_corrections(
        item, context["cited_since"].get(item.pk, context["published"])
    )
    if corrections:
        review["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": iso_datetime(correction.changed_at),
            }
            for correction in corrections
        ]
    if category == MEDIA_AUTHENTICITY[AuthenticityCategory.ORIGINAL]:
        # Only original media is its own original; for the other categories the
        # original is somewhere the record does not say.
        review["originalMediaLink"] = absolute(item.outbound_url, context["root_url"])
    return without_empty(review)


def media_appearances(item, heading, link_only, root_url):
    """The media itself, then each other place it appeared, as MediaObjects.
    Archived copies go with the appearance they are copies of."""
    kind = media_type(item)
    own_url = absolute(item.outbound_url, root_url)
    media = {
        "@type": kind,
        "name": plain_text(heading),
        "description": plain_text(item.description),
        "url": own_url,
        "contentUrl": absolute(item.video_file.url, root_url)
        if item.video_file_id
        else "",
        "embedUrl": embed_url(item) if not link_only else "",
        "sha256": item.original_file_sha256,
        # As the file's own Content Credentials declare it (reader/content_credentials.py).
        "digitalSourceType": schema_digital_source_type(item),
        "contentLocation": content_location(item),
        # Captured copies (wagtail_evidence.archives), then pasted ones.
        "archivedAt": archived_at(item, item.media_url),
    }
    others = []
    for appearance in item.appearances.all():
        archived = archived_at(item, appearance.url) + appearance.archive_url_list
        if is_own_address(item, appearance.safe_url, own_url):
            media["archivedAt"] += [
                url for url in archived if url not in media["archivedAt"]
            ]
            media["uploadDate"] = media.get("uploadDate") or upload_date(appearance)
        elif appearance.safe_url or archived:
            others.append(
                without_empty(
                    {
                        "@type": kind,
                        "url": appearance.safe_url,
                        "uploadDate": upload_date(appearance),
                        "archivedAt": archived,
                    }
                )
            )
    return [without_empty(media), *others]


def upload_date(appearance):
    """When it was posted there: an appearance's "online since", the earliest
    date the desk knows it was online, when known to the day (a month or an
    approximate day would claim a precision the desk does not have)."""
    if appearance.first_seen and appearance.first_seen_precision == DatePrecision.EXACT:
        return appearance.first_seen.isoformat()
    return ""


def content_location(item):
    """Where it was filmed, as a Place, once the desk confirmed it; with
    GeoCoordinates rounded to the precision, unless the desk withholds them."""
    if item.location_status != FacetStatus.CONFIRMED:
        return None
    place = {
        "@type": "Place",
        "name": place_name(item),
    }
    location = public_location(item)
    if location is not None and location.has_coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    place = without_empty(place)
    return place if len(place) > 1 else None  # a Place with neither name nor geo


def is_own_address(item, url, own_url):
    """Whether ``url`` is the media itself: the address the editor gave, its
    canonical form, or another form of it (youtu.be/… for youtube.com/watch?v=…)."""
    if not url:
        return False
    if url in (own_url, safe_web_url(item.media_url or "")):
        return True
    if not item.provider:
        return False
    try:
        match = parse_media_url(url)
    except ValidationError:
        return False
    return (match.provider, match.media_id) == (item.provider, item.media_id)


def media_type(item):
    """VideoObject where the media is certainly a video (our own file, or what
    its provider says is one), else MediaObject: a post may be an image."""
    provider = item.provider_object
    if item.video_file_id or (
        provider is not None and provider.is_video(item.media_id)
    ):
        return "VideoObject"
    return "MediaObject"


# The newsroom


def publisher(site):
    """The organisation that publishes the reviews: the
    ``STRUCTURED_DATA_PUBLISHER`` setting, else the Wagtail site's name and root URL."""
    configured = get_setting("STRUCTURED_DATA_PUBLISHER") or {}
    if not isinstance(configured, dict) or not set(configured) <= PUBLISHER_KEYS:
        raise ImproperlyConfigured(
            'WAGTAIL_EVIDENCE["STRUCTURED_DATA_PUBLISHER"] must be a dict with the keys "name" and "url".'
        )
    name = configured.get("name") or (site.site_name if site else "")
    name = (
        name
        or getattr(settings, "WAGTAIL_SITE_NAME", "")
        or (site.hostname if site else "")
    )
    url = (
        safe_web_url(configured["url"])
        if configured.get("url")
        else (site.root_url if site else "")
    )
    return without_empty({"@type": "Organization", "name": str(name), "url": url})


# Helpers


def plain_text(value):
    """What the editor typed, as typed: JSON-LD text is not HTML, and dumps()
    makes it safe inside the script element."""
    return str(value or "").strip()


def absolute(url, root_url):
    """``url`` if it is a web address, ``root_url`` + ``url`` for one of our own paths."""
    if url.startswith("/") and not url.startswith("//"):
        return f"{root_url}{url}" if root_url else ""
    return safe_web_url(url)


def iso_datetime(value):
    return value.isoformat() if value else ""


def latest(*values):
    return max((value for value in values if value), default=None)


def without_empty(data):
    return {
        key: value for key, value in data.items() if value not in ("", None, [], {})
    }
