"""What a headless front end receives of evidence and claims through Wagtail's API.

The blocks' ``get_api_representation`` methods and ``ArticleWarningField`` call
into this module, so that every path serializes an Evidence record the same way:
the facts the reader templates show, no more (no verdict note, withheld
coordinates, tags, render token or method of a facet nobody checked), each choice as its machine
value and its label in the active language (docs/reference/api.md).

A record readers may not see (a draft, unpublished, scheduled or deleted) is
``{"withdrawn": true, ...}`` and nothing else: the templates show it as
withdrawn. A live record with a newer draft is its live version, because the
database row of a live record holds what is live and drafts wait in revisions.

Players are data, never HTML (media.players builds both): the front end builds the iframe, and only after
the reader asks for that item (docs/explanation/consent-first.md).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import fields

from wagtail_evidence.choices import (
    Assessment,
    Badge,
    ClaimantKind,
    ClaimDatePrecision,
    CreditRole,
    DatePrecision,
    Display,
    FacetStatus,
    LocationPrecision,
    Platform,
    Stance,
    WarningCategory,
    WarningLevel,
    WarningStyle,
)
from wagtail_evidence.conf import get_setting
from wagtail_evidence.dates import format_with_precision
from wagtail_evidence.facets import badge_summary
from wagtail_evidence.media.outbound import outbound_for
from wagtail_evidence.media.players import aspect_ratio, player_data, poster_rendition
from wagtail_evidence.media.weburls import safe_web_url
from wagtail_evidence.reader.content_credentials import api_credentials
from wagtail_evidence.reader.loading import load_details
from wagtail_evidence.reader.sources import api_sources


def choice(choices_class, value):
    """``{"value": ..., "label": ...}``, the label in the active language."""
    labels = dict(choices_class.choices)
    return {"value": str(value), "label": str(labels.get(value, value))}


def withdrawn():
    return {"withdrawn": True, "message": _("This item has been withdrawn.")}


def full_url(url, context):
    """An address of our own made absolute, as Wagtail's API gives its renditions."""
    request = (context or {}).get("request")
    if not url or request is None or url.startswith(("http://", "https://")):
        return url  # Wagtail 7.4's get_full_url would prefix a storage's absolute URL
    from wagtail.api.v2.utils import get_full_url  # needs the app registry

    return get_full_url(request, url)


def dated(value, precision):
    if not value:
        return None
    return {
        "date": value.isoformat(),
        "precision": choice(DatePrecision, precision),
        "text": format_with_precision(value, precision),
    }


# Evidence


def evidence_summary(record):
    """What a claim shows of the evidence it is set against."""
    return {
        "id": record.pk,
        "title": record.title,
        "badge": choice(Badge, record.badge),
    }


def evidence_representation(record, context=None, display=None, heading=None):
    """An Evidence record as readers see it, or withdrawn.

    ``display`` is the display to apply (an evidence block passes the stricter of
    the record's and its own); ``heading`` names the player (default: the title).
    """
    if record is None or not record.live:
        return withdrawn()
    load_details(record)
    return {
        "withdrawn": False,
        "id": record.pk,
        "title": record.title,
        "description": record.description,
        "badge": badge(record),
        "warning": warning(record),
        "media": media(
            record,
            context,
            display or record.effective_display,
            heading or record.title,
        ),
        "credits": [credit(item) for item in record.credits.all()],
        "appearances": [appearance(item) for item in record.appearances.all()],
        "history": history(record),
        # What the files' C2PA manifests say; [] when none carries any.
        "content_credentials": api_credentials(record),
        # The sources' statuses and archived copies (wagtail_evidence.archives).
        "sources": api_sources(record),
    }


def badge(record):
    """The badge and the checked facets behind it: badge.html's breakdown."""
    facets = record.facets  # built once: the line and the breakdown share them
    return {
        **choice(Badge, record.badge),
        "summary": badge_summary(facets),
        "facets": [
            {
                "key": facet.key,
                "label": str(facet.label),
                "status": {
                    "value": str(facet.status),
                    # worded for its facet where the package does so (French agreement)
                    "label": str(
                        getattr(facet, "status_label", None)
                        or FacetStatus(facet.status).label
                    ),
                },
                "summary": facet.summary,
                "method": facet.method,
                "credit_phrase": str(facet.credit_phrase) if facet.credits else "",
                "credits": [credit(item) for item in facet.credits],
                **(
                    {"location": location(facet.location)}
                    if facet.key == "where"
                    else {}
                ),
            }
            for facet in facets
            if facet.is_checked
        ],
    }


def location(public):
    """Where it was filmed (geo.location): withheld coordinates are null."""
    if public is None:
        return None
    return {
        "precision": {
            **choice(LocationPrecision, public.precision),
            "radius_metres": public.radius_metres,
            "text": public.precision_text,
        },
        "coordinates_withheld": public.withheld,
        "latitude": float(public.latitude) if public.has_coordinates else None,
        "longitude": float(public.longitude) if public.has_coordinates else None,
        "coordinates_text": public.coordinates_text,
    }


def warning(record):
    if not record.is_warned:
        return None
    return {
        "level": choice(WarningLevel, record.warning_level),
        "categories": [
            choice(WarningCategory, value)
            for value in record.warning_categories
            if value in WarningCategory.values
        ],
        # Shown one by one only: never by a reader's standing choice to see warned items.
        "photosensitive": record.is_photosensitive,
    }


def media(record, context, display, heading):
    link_only = display == Display.LINK_ONLY
    provider = record.provider_object
    outbound = outbound_for(record)
    return {
        "display": choice(Display, display),
        "link_only": link_only,
        "provider": {"value": provider.name, "label": str(provider.label)}
        if provider
        else None,
        "player": None
        if link_only
        else player_data(record, heading, lambda url: full_url(url, context)),
        "aspect_ratio": aspect_ratio(record),
        # A warned item that is only linked shows its warning, never a picture.
        "poster": None if link_only and record.is_warned else poster(record, context),
        "outbound": {"url": full_url(outbound.url, context), "label": outbound.label}
        if outbound.url
        else None,
    }


def poster(record, context):
    if record.poster is None:
        return None
    rendition = poster_rendition(record.poster)
    return {
        "url": rendition.url,
        "full_url": full_url(rendition.url, context),
        "width": rendition.width,
        "height": rendition.height,
        "alt": record.description,
    }


def credit(item):
    return {
        "name": item.name,
        "organisation": item.organisation,
        "role": choice(CreditRole, item.role),
        "url": item.safe_url or None,
    }


def appearance(item):
    return {
        "platform": choice(Platform, item.platform),
        "account": item.account,
        "url": item.safe_url or None,
        "first_seen": dated(item.first_seen, item.first_seen_precision),
        "note": item.note,
        "archive_urls": item.archive_url_list,
    }


def history(record):
    if not get_setting("VERIFICATION_HISTORY"):
        return []
    return [
        {
            "changed_at": change.changed_at.isoformat(),
            "aspect": choice(change.Aspect, change.aspect),
            "before": {"value": change.before, "label": str(change.before_label)},
            "after": {"value": change.after, "label": str(change.after_label)},
        }
        for change in record.public_changes.all()
    ]


# Blocks


def evidence_block_representation(value, context=None):
    """An EvidenceBlock: the article's words around the record, or withdrawn."""
    item = value.item
    if item is None:
        return withdrawn()
    heading = value.heading_text
    return {
        "withdrawn": False,
        "heading": heading,
        "caption": value.get("caption") or "",
        "disclosure": value.get("disclosure") or "",
        "evidence": evidence_representation(
            item, context, value.effective_display, heading
        ),
    }


def claim_representation(value, context=None):
    """A ClaimBlock as claim.html shows it; withdrawn evidence drops out."""
    return {
        "stance": choice(Stance, value.get("stance")),
        "statement": value.get("statement") or "",
        "claimant": value.get("claimant") or "",
        "claimant_kind": (
            choice(ClaimantKind, value.get("claimant_kind"))
            if value.get("claimant_kind")
            else None
        ),
        # "2019", "2020-10" or "2020-10-25": no more precise than the desk said.
        "claimed_on": value.claimed_on_iso or None,
        "claimed_on_precision": (
            choice(ClaimDatePrecision, value.date_precision)
            if value.get("claimed_on")
            else None
        ),
        "source_url": safe_web_url(value.get("source_url") or "") or None,
        "source_title": value.get("source_title") or "",
        "figures": [
            {"figure": figure.get("figure") or "", "label": figure.get("label") or ""}
            for figure in value.get("figures") or []
        ],
        "assessment": choice(Assessment, value.get("assessment")),
        "assessment_note": value.get("assessment_note") or "",
        "evidence": [evidence_summary(item) for item in value.evidence_items],
    }


# The article


STANDARD_WARNINGS = {
    # The same words as includes/article_warning.html, so they share translations.
    WarningLevel.GRAPHIC: gettext_noop(
        "this article contains graphic material that some readers may find shocking."
    ),
    WarningLevel.DISTURBING: gettext_noop(
        "this article contains material that some readers may find disturbing."
    ),
}


def article_warning_representation(page):
    """The article-level warning of an EvidenceArticleMixin page, or None."""
    warning_ = page.content_warning
    if not warning_.is_shown:
        return None
    values = {
        value
        for item in page.cited_evidence()
        if item.is_warned
        for value in item.warning_categories
    }
    return {
        "level": choice(WarningLevel, warning_.level),
        "style": choice(WarningStyle, warning_.style),
        "text": warning_.text or _(STANDARD_WARNINGS[WarningLevel(warning_.level)]),
        "categories": [
            choice(WarningCategory, value)
            for value in WarningCategory.values
            if value in values
        ],
    }


class ArticleWarningField(fields.Field):
    """The article-level content warning as data, for a page's ``api_fields``::

    api_fields = [APIField("content_warning", serializer=ArticleWarningField())]
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")  # reads the page, not one attribute
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        return article_warning_representation(page)
