"""The repeated sections of an evidence block, written in Python, one builder
per concept: the facets, the credits, the appearances and the history.

They print what reader.card.EvidenceCard prepares, as blocks/evidence.html
printed it, character for character: the template engine resolved about a
hundred variables per block for these loops alone, most of a cold render's
time. Values are escaped as the template engine escapes them (Django's
conditional_escape: plain text escaped, safe HTML kept); the phrases are
escaped already (reader.phrases). An override of the template can still loop
over the card's rows (``facet_rows``, ``credit_rows``...) instead.
"""

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe

from wagtail_evidence.reader.escaping import escape


LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"'


def facets_html(card):
    """``<dl class="evidence-facets">``: each checked facet, its location and
    method."""
    t = card.phrases
    parts = ['<dl class="evidence-facets">\n        ']
    for facet in card.facet_rows:
        parts.append(
            f'\n        <div class="evidence-facet evidence-facet--{escape(facet.status)}">'
            f'\n            <dt class="evidence-facet__label">{escape(facet.label)}</dt>'
            f'\n            <dd class="evidence-facet__value">{escape(facet.value)}'
        )
        if facet.location:
            parts.append(location_html(t, facet))
        if facet.method:
            parts.append(
                '\n                <details class="evidence-facet__method"><summary>'
                f'{t["how_we_know"]}</summary><p dir="auto">'
                f"{linebreaksbr(facet.method, autoescape=True)}</p></details>"
            )
        parts.append("</dd>\n        </div>\n        ")
    parts.append("\n    </dl>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def location_html(t, facet):
    location, locator = facet.location, facet.locator
    parts = [
        '\n                <div class="evidence-location">'
        '\n    <p class="evidence-location__facts">'
        f'\n        <span class="evidence-location__fact">{escape(facet.precision)}</span>'
        "\n        "
    ]
    if location.has_coordinates:
        parts.append(
            f'<span class="evidence-location__fact">{t["coordinates"]} '
            '<bdi class="evidence-location__coordinates" dir="ltr">'
            f"{escape(location.coordinates_text)}</bdi></span>\n        "
        )
    elif location.withheld:
        parts.append(
            '<span class="evidence-location__fact evidence-location__fact--withheld">'
            f"{t['coordinates_withheld']}</span>"
        )
    parts.append("\n    </p>\n    ")
    if location.has_coordinates:
        parts.append("\n    ")
        if locator:
            ring = "" if locator.ring_to_scale else f"{t['ring_larger']} "
            parts.append(
                '\n    <figure class="evidence-map-figure">'
                f"\n        {escape(locator.svg)}"
                '\n        <figcaption class="evidence-map-figure__caption">'
                f"{ring}{t['boundaries']}</figcaption>\n    </figure>"
            )
        parts.append(
            '\n    <details class="evidence-location__maps">'
            f"\n        <summary>{t['open_in_map']}</summary>"
            '\n        <ul class="evidence-location__map-links">'
        )
        for link in location.map_links:
            parts.append(
                f'\n            <li><a href="{escape(link.url)}" {LINK_ATTRIBUTES}>'
                f"{escape(link.name)}</a></li>"
            )
        parts.append("\n        </ul>\n    </details>\n    ")
    parts.append("\n</div>\n")
    return "".join(parts)


def credits_html(card):
    """``<div class="evidence-credits">``, or "" when nobody is credited."""
    rows = card.credit_rows
    if not rows:
        return ""
    items = "".join(
        f'<li class="evidence-credit evidence-credit--{escape(credit.role)}">'
        f'<span class="evidence-credit__role">{escape(credit.role_text)}</span> '
        f"{escape(credit.names)}</li>"
        for credit in rows
    )
    return mark_safe(  # noqa: S308 - every value escaped here
        '\n<div class="evidence-credits">'
        '\n    <h4 class="evidence-credits__heading">'
        f"{card.phrases['credits']}</h4>"
        f'\n    <ul class="evidence-credits__list">\n        {items}'
        "\n    </ul>\n</div>\n"
    )


def appearances_html(card):
    """``<div class="evidence-appearances">``, or "" when there is none."""
    rows = card.appearance_rows
    if not rows:
        return ""
    t = card.phrases
    parts = []
    for appearance in rows:
        parts.append(
            f'<li class="evidence-appearance">\n            {escape(appearance.where)}'
        )
        if appearance.date:
            parts.append(
                '\n            <span class="evidence-appearance__date">'
                f"{escape(appearance.date)}</span>"
            )
        if appearance.note:
            parts.append(
                '\n            <span class="evidence-appearance__note" dir="auto">'
                f"{escape(appearance.note)}</span>"
            )
        if appearance.archives:
            links = "".join(
                f' <a href="{escape(url)}" {LINK_ATTRIBUTES}>{escape(copy)}</a>'
                for url, copy in appearance.archives
            )
            parts.append(
                '\n            <span class="evidence-appearance__archives">'
                f"{t['archived']}{links}</span>"
            )
        parts.append("\n        </li>")
    return mark_safe(  # noqa: S308 - every value escaped above
        '\n<div class="evidence-appearances">'
        '\n    <h4 class="evidence-appearances__heading">'
        f"{t['where_it_appeared']}</h4>"
        '\n    <ol class="evidence-appearances__list">\n        '
        f"{''.join(parts)}\n    </ol>\n</div>\n"
    )


def history_html(card):
    """``<div class="evidence-history">``, or "" when there is no history to show."""
    lines = card.history
    if not lines:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return mark_safe(  # noqa: S308 - every value escaped here
        '\n<div class="evidence-history">'
        '\n    <h4 class="evidence-history__heading">'
        f"{card.phrases['verification_history']}</h4>"
        f'\n    <ul class="evidence-history__list">\n        {items}'
        "\n    </ul>\n</div>\n"
    )
