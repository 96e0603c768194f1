"""What an article's link shows when it is shared: Open Graph and Twitter card
meta tags whose preview image is never a warned item's poster, and whose
description starts with the article's content warning.

Platforms unfurl a link without the reader's consent and without our
interstitial, so the preview must be safe on its own.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from wagtail_evidence.choices import WarningLevel
from wagtail_evidence.media.players import poster_rendition
from wagtail_evidence.reader.serializers import article_warning_representation


@dataclass(frozen=True)
class Preview:
    title: str
    description: str
    url: str
    image_url: str = ""
    image_alt: str = ""


def warned_posters(image_ids):
    """The ids among ``image_ids`` that are the poster of any warned record,
    or of one with a draft waiting (which may add a warning: a platform keeps
    the picture it unfurled), live or not: one query, none for no ids."""
    from django.apps import apps

    if not image_ids:
        return set()
    evidence = apps.get_model("wagtail_evidence", "Evidence")
    return set(
        evidence.objects.filter(poster__in=image_ids)
        .filter(~Q(warning_level=WarningLevel.NONE) | Q(has_unpublished_changes=True))
        .values_list("poster_id", flat=True)
    )


def warning_prefix(page):
    warning = article_warning_representation(page)
    if warning is None:
        return ""
    return _("Warning: %(warning)s") % {"warning": warning["text"]}


def preview_of(page, request=None, image=None, description=""):
    """The preview of ``page``: its warning first, then ``description`` (else
    its search description); ``image`` (else the poster of the first unwarned
    item the article shows), unless it is the poster of a warned item."""
    description = description or getattr(page, "search_description", "") or ""
    prefix = warning_prefix(page)
    text = " ".join(part for part in (prefix, description.strip()) if part)
    # (image id, how to get the image, its alt text): images are loaded only
    # once chosen, so a page served from the render cache costs no query more.
    if image is not None:
        alt = getattr(image, "default_alt_text", "") or image.title
        candidates = [(image.pk, lambda: image, alt)]
    else:
        candidates = [
            (item.poster_id, lambda item=item: item.poster, item.description)
            for item in page.cited_evidence()
            if item.poster_id and not item.is_warned
        ]
    refused = warned_posters([pk for pk, _image, _alt in candidates])
    chosen = next((c for c in candidates if c[0] not in refused), None)
    image_url = image_alt = ""
    if chosen is not None:
        # The poster's own rendition (POSTER_FILTER), which the batch loaded.
        image_url = absolute(poster_rendition(chosen[1]()).url, request)
        image_alt = chosen[2]
    return Preview(
        title=page.seo_title or page.title,
        description=text,
        url=absolute(page.get_url(request=request) or "", request),
        image_url=image_url,
        image_alt=image_alt,
    )


def absolute(url, request):
    if not url or url.startswith(("http://", "https://")) or request is None:
        return url
    return request.build_absolute_uri(url)
