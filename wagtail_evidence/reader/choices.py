"""What a reader may choose about warned items, kept in their browser only:
per warning category, show at once, warn first (the default) or keep hidden;
and whether players from other sites may load at all. The dialog is the
server's HTML; evidence.js stores the choices and applies them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import WarningCategory


SHOW, WARN, HIDE = "show", "warn", "hide"

LEVEL_LABELS = {
    SHOW: _("Show without asking"),
    WARN: _("Warn me first"),
    HIDE: _("Keep hidden"),
}

# One flash can trigger a seizure (WCAG 2.3.1): these are never shown
# without the reader asking for each one, whatever the standing choice.
NEVER_SHOWN_AT_ONCE = {WarningCategory.FLASHING}


@dataclass(frozen=True)
class CategoryChoice:
    value: str
    label: str
    levels: tuple
    note: str = ""


def category_choices():
    """Every warning category the package has, with the levels a reader may
    pick for it, in the vocabulary's order."""
    return [
        CategoryChoice(
            value=category.value,
            label=category.label,
            levels=tuple(
                (level, LEVEL_LABELS[level])
                for level in (SHOW, WARN, HIDE)
                if not (level == SHOW and category in NEVER_SHOWN_AT_ONCE)
            ),
            note=_(
                "Each one stays covered until you show it yourself, and never plays by itself."
            )
            if category in NEVER_SHOWN_AT_ONCE
            else "",
        )
        for category in WarningCategory
    ]


def choices_context():
    return {"categories": category_choices(), "default_level": WARN}
