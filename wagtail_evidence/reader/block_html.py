"""A live record's evidence block, written in Python: what blocks/evidence.html
writes for it, character for character, from reader.card.EvidenceCard.

With its sections (reader.card_html) and its media box (reader.media_html)
written in Python, what was left of the template engine's work was the block
template itself: loading it, a context, some twenty-five variables and the
Content Credentials include, for every block. The template stays the
reference, and what a site gets when it overrides it or one of its includes
(reader.overrides, EvidenceCard.writes_block); tests render both and compare.
"""

from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from wagtail_evidence.reader.content_credentials import reader_credentials
from wagtail_evidence.reader.escaping import escape


CREDENTIALS_TEMPLATE = "wagtail_evidence/includes/content_credentials.html"


def block_html(card):
    """blocks/evidence.html for the live record of ``card``."""
    t, item, value = card.phrases, card.item, card.value
    dom_id = escape(card.dom_id)
    badge = escape(item.badge)
    parts = [
        f'\n\n<section class="evidence evidence--{badge}',
        f" evidence--warned evidence--{escape(item.warning_level)}"
        if item.is_warned
        else "",
        f'" id="{dom_id}" aria-labelledby="{dom_id}-heading">'
        '\n    \n    <div class="evidence__card">'
        f'\n    <h3 class="evidence__heading" id="{dom_id}-heading" dir="auto">'
        f"{escape(value.heading_text)}</h3>"
        '\n    <figure class="evidence__figure">'
        f"\n        {card.media_html}\n        ",
    ]
    if value.get("caption"):
        parts.append(
            '<figcaption class="evidence__caption" dir="auto">'
            f"{linebreaksbr(value['caption'], autoescape=True)}</figcaption>"
        )
    parts.append(
        "\n    </figure>"
        '\n    <div class="evidence__facts">'
        f'\n    <div class="evidence-badge evidence-badge--{badge}">'
        '\n    <p class="evidence-badge__label"><span class="evidence-badge__pill">'
        f"{escape(card.badge_label)}</span></p>"
        f'\n    <p class="evidence-badge__summary">{escape(card.badge_summary)}'
    )
    if card.legend_url:
        parts.append(
            ' <a class="evidence-badge__legend-link"'
            f' href="{escape(card.legend_url)}">{t["legend_link"]}</a>'
        )
    parts.append(f"</p>\n    {card.facets_html}\n</div>\n    ")
    if value.get("disclosure"):
        parts.append(
            '<p class="evidence__disclosure" dir="auto">'
            f"{linebreaksbr(value['disclosure'], autoescape=True)}</p>"
        )
    parts.append(
        f"\n    {credentials_html(item)}"
        f"\n    {card.credits_html}"
        f"\n    {card.appearances_html}"
        f"\n    {card.history_html}"
        "\n    </div>\n    </div>\n</section>\n\n"
    )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def credentials_html(item):
    """includes/content_credentials.html: most records have no line to show,
    and then it writes only its last line's end."""
    if not reader_credentials(item):
        return "\n"
    return render_to_string(CREDENTIALS_TEMPLATE, {"item": item})
