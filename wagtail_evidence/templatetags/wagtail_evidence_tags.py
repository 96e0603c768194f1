from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.html import format_html

from wagtail_evidence.conf import get_setting
from wagtail_evidence.dates import format_with_precision
from wagtail_evidence.facets import badge_summary, facet_sentence
from wagtail_evidence.geo.location import place_parts
from wagtail_evidence.i18n import (
    format_list,
    format_pattern,
    isolate,
    join_labels,
    reader_language,
)
from wagtail_evidence.media.outbound import outbound_for
from wagtail_evidence.media.players import aspect_class, player_html, poster_html
from wagtail_evidence.media.weburls import display_host, safe_web_url
from wagtail_evidence.models import Credit
from wagtail_evidence.reader.article_fragments import cached_fragment
from wagtail_evidence.reader.card import locator_map_for
from wagtail_evidence.reader.choices import choices_context
from wagtail_evidence.reader.corrections import article_corrections
from wagtail_evidence.reader.feeds import plain_item_html
from wagtail_evidence.reader.jsonld import json_ld_script
from wagtail_evidence.reader.legend import legend_context, legend_url
from wagtail_evidence.reader.previews import preview_of


register = template.Library()


@register.simple_tag
def evidence_article_warning(page, body_id="article-body"):
    """The article-level content warning, for the top of an article page, in the
    article's language. ``body_id`` is the id of the element a full interstitial
    covers. An article that cites evidence also gets the reader's choices
    dialog, closed until a "Your choices" button opens it."""
    with reader_language(page):
        return render_to_string(
            "wagtail_evidence/includes/article_warning.html",
            {
                "warning": page.content_warning,
                "body_id": body_id,
                "choices": choices_context() if page.cited_evidence() else None,
            },
        )


@register.simple_tag(takes_context=True)
def evidence_corrections(context, page):
    """The dated corrections of the evidence an article cites, made after it
    went live, for near its top, in its language; nothing when there are none."""
    with reader_language(page):
        return cached_fragment(
            page,
            context.get("request"),
            "corrections",
            lambda: render_to_string(
                "wagtail_evidence/includes/corrections.html",
                {"corrections": article_corrections(page)},
            ),
        )


@register.simple_tag
def evidence_badge_legend(page):
    """What the badges mean, for the foot of an article that cites evidence,
    in the article's language; the line under each badge links to it."""
    if not page.cited_evidence():
        return ""
    with reader_language(page):
        return render_to_string(
            "wagtail_evidence/includes/badge_legend.html", legend_context()
        )


@register.filter
def evidence_badge_summary(facets):
    """The line under a badge, from the facets the template already built
    (building them is the costly part of a cold render)."""
    return badge_summary(facets)


@register.simple_tag
def evidence_badge_legend_url():
    return legend_url()


@register.simple_tag(takes_context=True)
def evidence_social_meta(context, page, image=None, description=""):
    """Open Graph and Twitter card meta tags for the ``<head>`` of an article:
    the preview image is never a warned item's poster, and the description
    starts with the article's content warning."""
    with reader_language(page):
        return render_to_string(
            "wagtail_evidence/includes/social_meta.html",
            {"preview": preview_of(page, context.get("request"), image, description)},
        )


@register.simple_tag
def evidence_email_item(item, heading=""):
    """An Evidence record for a newsletter: its warning, badge, the line under
    it, its safe description and the link to the original; never the media."""
    return plain_item_html(item, heading)


@register.simple_tag
def evidence_stylesheet():
    """The reader styles."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("wagtail_evidence/css/evidence.css")
    )


@register.simple_tag
def evidence_script():
    """The reader script: consent, reveal and hide, the remembered choice."""
    return format_html(
        '<script src="{}" defer></script>', static("wagtail_evidence/js/evidence.js")
    )


@register.simple_tag
def evidence_body_class(page):
    """``evidence-covered`` on the body of an article behind a full interstitial."""
    return "evidence-covered" if page.content_warning.is_interstitial else ""


@register.simple_tag
def evidence_outbound(item):
    """Where the reader can see the media itself, and how to say so."""
    return outbound_for(item)


@register.simple_tag
def evidence_player(item, heading):
    return player_html(item, heading)


@register.simple_tag
def evidence_aspect_class(item):
    return aspect_class(item)


@register.simple_tag
def evidence_poster(image, alt=""):
    return poster_html(image, alt)


@register.simple_tag
def evidence_locator_map(item, location, dom_id):
    """The tile-free locator map of a located item (geo.locator_map), or None."""
    return locator_map_for(item, location, dom_id)


@register.simple_tag
def credit_names(credits):
    """Credits as 'A, B and C', each linked to their work where there is a link."""
    credits = [credits] if isinstance(credits, Credit) else list(credits)
    parts = []
    for credit in credits:
        url = credit.safe_url  # parsed once: the check and the link share it
        parts.append(
            format_html(
                '<a href="{}" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">{}</a>',
                url,
                credit_name(credit),
            )
            if url
            else credit_name(credit)
        )
    return format_list(parts)  # whole translatable patterns, never "and" alone


def credit_name(credit):
    """As Credit.__str__, 'Name (organisation)', with name and organisation
    each isolated: an override in one cannot reorder the other."""
    if credit.organisation:
        return format_html(
            "{} ({})", isolate(credit.name), isolate(credit.organisation)
        )
    return isolate(credit.name)


@register.simple_tag
def evidence_facet_value(facet, item=None):
    """What readers read of a facet after its name: its status, what was found
    and who is credited, as one translated sentence. With ``item`` (the Evidence
    record), the place, region and country are isolated one by one."""
    names = credit_names(facet.credits) if facet.credits else ""
    pattern, values = facet_sentence(facet, names)
    if facet.key == "where" and item is not None and facet.summary:
        values["summary"] = join_labels(isolate(part) for part in place_parts(item))
    else:
        values["summary"] = isolate(values["summary"])
    return format_pattern(pattern, values)


@register.filter
def evidence_isolate(value):
    """Editor-written text in its own ``<bdi>``, escaped (see i18n.isolate)."""
    return isolate(value)


@register.filter
def evidence_join(items):
    """A plain enumeration ('Violence, Distress') with the language's comma."""
    return join_labels(items)


@register.simple_tag
def evidence_time(value, text=None):
    """``<time datetime="2020-10-03">3 October 2020</time>`` in the active
    language; or, given the machine-readable value and the words already
    written to a precision, ``<time datetime="2019">2019</time>``."""
    if not value:
        return ""
    if text is None:
        value, text = value.isoformat(), date_format(value, "DATE_FORMAT")
    return format_html('<time datetime="{}">{}</time>', value, text)


@register.simple_tag
def evidence_date(value, precision):
    return format_with_precision(value, precision)


@register.filter
def evidence_host(url):
    return display_host(url)


@register.filter
def evidence_safe_url(url):
    """The address if it passes the package's URL checks, else ""."""
    return safe_web_url(url)


@register.simple_tag
def evidence_public_changes(item):
    """The item's public history (badge and warning changes), unless turned off."""
    return (
        list(item.public_changes.all()) if get_setting("VERIFICATION_HISTORY") else []
    )


@register.simple_tag(takes_context=True)
def evidence_json_ld(context, page):
    """The article's schema.org ClaimReviews and MediaReviews as one
    ``<script type="application/ld+json">``; nothing when it reviews nothing."""
    request = context.get("request")
    with reader_language(page):
        return cached_fragment(
            page, request, "json_ld", lambda: json_ld_script(page, request)
        )
