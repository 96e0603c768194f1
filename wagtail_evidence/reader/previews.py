"""What an article's link shows when it is shared: Open Graph and Twitter card
meta tags whose preview image is never a warned item's poster, and whose
description starts with the article's content warning.

Platforms unfurl a link without the reader's consent and without our
interstitial, so the preview must be safe on its own.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

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


def unwarned_images(image_ids):
    """{id: image} of the images among ``image_ids`` that are not the poster of
    any warned record, nor of one with a draft waiting (which may add a
    warning: a platform keeps the picture it unfurled), live or not: one query,
    none for no ids."""
    from django.apps import apps

    if not image_ids:
        return {}
    evidence = apps.get_model("wagtail_evidence", "Evidence")
    refusing = evidence.objects.filter(poster=OuterRef("pk")).filter(
        ~Q(warning_level=WarningLevel.NONE) | Q(has_unpublished_changes=True)
    )
    return (
        get_image_model()
        .objects.filter(pk__in=image_ids)
        .filter(~Exists(refusing))
        .in_bulk()
    )


def loaded_poster(item):
    return item.poster if type(item).poster.is_cached(item) else None


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
    # (image id, its alt text, the image if loaded already): the others are
    # loaded with the refusal, one query for a page served from the render
    # cache; a rendered block's batch loaded its poster with the rendition.
    if image is not None:
        alt = getattr(image, "default_alt_text", "") or image.title
        candidates = [(image.pk, alt, image)]
    else:
        candidates = [
            (item.poster_id, item.description, loaded_poster(item))
            for item in page.cited_evidence()
            if item.poster_id and not item.is_warned
        ]
    allowed = unwarned_images([pk for pk, _alt, _image in candidates])
    chosen = next((c for c in candidates if c[0] in allowed), None)
    image_url = image_alt = ""
    if chosen is not None:
        pk, image_alt, loaded = chosen
        image_url = absolute(poster_rendition(loaded or allowed[pk]).url, request)
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
