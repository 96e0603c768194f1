"""The media box of an evidence block, written in Python: what
includes/media_or_archive.html and includes/media.html write, character for
character, from what reader.card.EvidenceCard prepares.

The two includes were the largest part of the template engine's work in a cold
render (two template lookups, some thirty variables and conditions per block).
They stay the package's templates, and the reference: blocks/evidence.html
includes them whenever a site overrides either (reader.overrides), and a test
renders every kind of media through both and compares. Values are escaped as
the template engine escapes them (conditional_escape); the phrases are escaped
already (reader.phrases).
"""

from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from wagtail_evidence.i18n import isolate
from wagtail_evidence.media.weburls import display_host
from wagtail_evidence.reader.card_html import LINK_ATTRIBUTES
from wagtail_evidence.reader.escaping import escape
from wagtail_evidence.reader.sources import reader_media_source


def media_or_archive_html(card):
    """The media box, or, when the media's source is gone, our own words and
    the archived copy: includes/media_or_archive.html."""
    source = reader_media_source(card.item)
    if source is not None and source.gone:
        html = source_gone_html(card, source)
    else:
        html = media_html(card)
    return mark_safe(html + "\n")  # noqa: S308 - every value escaped below


def source_gone_html(card, source):
    t, item = card.phrases, card.item
    parts = [
        "\n\n"
        '<div class="evidence-media evidence-media--link-only evidence-media--source-gone"'
        " data-evidence-source-gone>"
        '\n    <div class="evidence-media__layer evidence-media__tile">\n        '
    ]
    if item.is_warned:
        graphic = item.warning_level == "graphic"
        title = t["source_gone_graphic" if graphic else "source_gone_disturbing"]
        parts.append(
            f'<p class="evidence-media__warning-title"><strong>{title}</strong></p>'
        )
    parts.append("\n        ")
    if item.description:
        parts.append(
            '<p class="evidence-media__description" dir="auto">'
            f"{escape(item.description)}</p>"
        )
    removed = t["source_deleted"] if source.status == "deleted" else t["source_refuses"]
    parts.append(
        '\n        <p class="evidence-media__source-gone"><strong>'
        f"{removed}</strong></p>\n    </div>\n</div>"
        '\n<p class="evidence-media__outbound evidence-media__archive">'
    )
    copy = source.latest_copy
    if copy and copy.safe_url:
        date = date_format(template_localtime(copy.captured_at), "DATE_FORMAT")
        words = t["archived_copy_on"] % {
            "host": isolate(copy.host),
            "date": escape(date),
        }
        parts.append(f'<a href="{escape(copy.safe_url)}" {LINK_ATTRIBUTES}>{words}</a>')
    elif source.pasted:
        url = source.pasted[0]
        words = t["archived_copy_at"] % {"host": isolate(display_host(url))}
        parts.append(f'<a href="{escape(url)}" {LINK_ATTRIBUTES}>{words}</a>')
    else:
        parts.append(t["no_archived_copy"])
    parts.append("</p>\n")
    return "".join(parts)


def media_html(card):
    """The media box and the outbound link below it: includes/media.html."""
    t, item, outbound = card.phrases, card.item, card.outbound
    link_only, warned = card.link_only, item.is_warned
    parts = [
        f'\n<div class="evidence-media {escape(card.aspect_class)}',
        " evidence-media--link-only" if link_only else "",
        " evidence-media--warned" if warned else "",
        '" data-evidence-media',
    ]
    if card.covered:
        parts.append(
            " data-evidence-warned data-evidence-categories="
            f'"{escape(card.value.choice_categories)}"'
        )
    if item.is_photosensitive:
        parts.append(" data-evidence-photosensitive")
    parts.append(">\n    ")
    if warned:
        parts.append(cover_html(card, t, item, link_only))
    parts.append("\n    ")
    if card.shows_media:
        parts.append(ready_html(card, t, item, outbound, warned))
    parts.append("\n    \n    ")
    if card.can_hide:
        parts.append(
            '<button type="button" class="evidence-media__button evidence-media__hide"'
            f' data-evidence-action="hide" hidden>{t["hide"]}</button>'
        )
    parts.append("\n    ")
    if card.loads_after_consent:
        parts.append(
            f"<template data-evidence-player>{escape(card.player_html)}</template>"
            '\n    <div class="evidence-media__layer evidence-media__slot"'
            " data-evidence-slot hidden></div>"
        )
    parts.append("\n</div>\n")
    if outbound.url:
        parts.append(
            '<p class="evidence-media__outbound">'
            f'<a href="{escape(outbound.url)}" {LINK_ATTRIBUTES}>'
            f"{escape(outbound.label)}</a>"
        )
        if link_only:
            parts.append(
                ' <span class="evidence-media__link-only-note">'
                f"{t['link_only_note']}</span>"
            )
        parts.append("</p>")
    parts.append("\n")
    return "".join(parts)


def cover_html(card, t, item, link_only):
    """The warning that covers a warned item."""
    parts = [
        '<div class="evidence-media__layer evidence-media__cover" data-evidence-cover>'
        '\n        <p class="evidence-media__warning-title"><strong>'
        f"{card.warning_title}</strong>"
    ]
    if card.warning_categories:
        parts.append(
            ' <span class="evidence-media__categories">'
            f"{card.warning_categories}</span>"
        )
    parts.append(
        "</p>\n        \n"
        '        <div class="evidence-media__stack">'
        '<p class="evidence-media__description" dir="auto">'
        f"{escape(item.description)}</p>"
    )
    if not link_only:
        parts.append(
            f'<p class="evidence-media__hidden-note">{t["hidden_by_choice"]}</p>'
        )
    parts.append("</div>\n        ")
    if item.is_photosensitive:
        parts.append(
            f'<p class="evidence-media__photosensitive">{t["photosensitive"]}</p>'
        )
    parts.append("\n        ")
    if not link_only:
        parts.append(
            '<p class="evidence-media__actions"><button type="button"'
            ' class="evidence-media__button evidence-js-only"'
            f' data-evidence-action="show">{t["show"]}</button>'
            "\n            " + choices_button(t) + "</p>"
        )
    parts.append("\n    </div>")
    return "".join(parts)


def choices_button(t):
    return (
        '<button type="button" class="evidence-media__choices evidence-choices-only"'
        f' data-evidence-open-choices aria-haspopup="dialog">{t["your_choices"]}'
        "</button>"
    )


def ready_html(card, t, item, outbound, warned):
    """What the box shows once uncovered: our own video, or our poster (or a
    tile) with the choice to load the platform's player."""
    plays_own_file = card.plays_own_file
    parts = [
        '<div class="evidence-media__layer evidence-media__ready',
        " evidence-media__ready--own-file" if plays_own_file else "",
        '" data-evidence-ready',
        " hidden" if warned else "",
        ">\n        ",
        "<template data-evidence-ready-content>" if warned else "",
        "\n        \n        ",
    ]
    if plays_own_file:
        if card.description_id:
            parts.append(
                '<p class="evidence-media__description"'
                f' id="{escape(card.description_id)}" dir="auto">'
                f"{escape(item.description)}</p>"
            )
        parts.append(escape(card.player_html))
    else:
        parts.append("\n            ")
        poster = card.poster
        if poster:
            parts.append(escape(poster))
        else:
            parts.append(
                f'<div class="evidence-media__tile"><p>{escape(outbound.kind)}</p>'
            )
            if item.description:
                parts.append(
                    '<p class="evidence-media__description" dir="auto">'
                    f"{escape(item.description)}</p>"
                )
            parts.append("</div>")
        parts.append("\n            ")
        if card.loads_after_consent:
            parts.append(
                '<div class="evidence-media__consent evidence-js-only">'
                '\n                <div class="evidence-media__stack">'
                '<div class="evidence-media__load-choice"><button type="button"'
                ' class="evidence-media__button" data-evidence-action="load">'
                f"{card.load_from}</button>"
                '\n                    <p class="evidence-media__consent-note">'
                f"{card.connects_to}</p></div>"
                '\n                    <p class="evidence-media__no-players">'
                f"{card.no_players}</p></div>"
                '\n                <p class="evidence-media__actions">'
                f"{choices_button(t)}</p>\n            </div>"
            )
        parts.append("\n        ")
    parts.append("\n        ")
    if warned:
        parts.append("</template>")
    parts.append("\n    </div>")
    return "".join(parts)
