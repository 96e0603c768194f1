"""The words of an evidence block, translated once per language.

A block says the same few dozen things whatever the record ("Hide again",
"Credits", "Location", "Confirmed"...). Asking gettext for each, in each block,
was the largest part of a cold render (two catalog look-ups and two context
variable reads per phrase), so they are translated once per language and
process, then read from a dict. Bounded: one entry per language, and per long-
lived lazy string (module constants: choices' labels, facet labels), never per
record. Cleared when the settings that change translations change (tests).
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail_evidence.reader.escaping import escape


# The block's fixed words, by name. Placeholders are filled by fill(), which
# escapes the values; the phrases themselves are escaped once, when translated.
# The message ids and contexts are those the templates used, so existing
# translations still apply.
BLOCK_PHRASES = {
    # The media box
    "warning_graphic": _("Warning: graphic content"),
    "warning_disturbing": _("Warning: disturbing content"),
    "warning_categories": pgettext_lazy(
        "the kinds of content a warning is for", "(%(categories)s)"
    ),
    "hidden_by_choice": _("Hidden, as you chose for items like this one."),
    "photosensitive": _(
        "It has flashing or strobing lights: it stays covered even if you choose "
        "to see warned items, and it never plays by itself."
    ),
    "show": _("Show this item"),
    "your_choices": _("Your choices"),
    "load_from": _("Load from %(platform)s"),
    "connects_to": _("Loading it connects you to %(host)s."),
    "no_players": _(
        "You chose not to load players from other sites: the link below opens it "
        "on %(platform)s."
    ),
    "hide": _("Hide again"),
    "link_only_note": _("We link to this item rather than show it."),
    # The media box when the source is gone
    "source_gone_graphic": _("Warning: graphic content"),
    "source_gone_disturbing": _("Warning: disturbing content"),
    "source_deleted": _("The source has removed this media."),
    "source_refuses": _(
        "The source no longer allows this media to be played on other sites."
    ),
    "archived_copy_on": _("See the archived copy on %(host)s, captured on %(date)s"),
    "archived_copy_at": _("See the archived copy on %(host)s"),
    "no_archived_copy": _("No archived copy of it is known."),
    # The badge and its facets
    "legend_link": _("What the badges mean"),
    "how_we_know": _("How we know"),
    "precision": pgettext_lazy("how precise a location is", "Precision: %(precision)s"),
    "coordinates": _("Coordinates:"),
    "coordinates_withheld": _("Coordinates withheld to protect people on the ground."),
    "ring_larger": _("The ring is drawn larger than scale."),
    "boundaries": _("Boundaries: Natural Earth."),
    "open_in_map": _("Open in a map"),
    # Credits, appearances, history
    "credits": _("Credits"),
    "credit_role": pgettext_lazy("a credit's role, before the names", "%(role)s:"),
    "where_it_appeared": _("Where it appeared"),
    "platform_account": pgettext_lazy(
        "where media appeared: a platform and an account on it",
        "%(platform)s, %(account)s",
    ),
    "online_since_month": pgettext_lazy(
        "the earliest known posting, in a month", "online since %(date)s"
    ),
    "online_since_around": pgettext_lazy(
        "the earliest known posting, around a day", "online since around %(date)s"
    ),
    "online_since": pgettext_lazy(
        "the earliest known posting, on a day", "online since %(date)s"
    ),
    "archived": _("Archived:"),
    "archived_copy": _("copy on %(host)s"),
    "verification_history": _("Verification history"),
    "history_badge": _("On %(date)s the badge changed from %(before)s to %(after)s."),
    "history_facet": _("On %(date)s “%(facet)s” changed from %(before)s to %(after)s."),
    "history_warning": _(
        "On %(date)s the content warning changed from %(before)s to %(after)s."
    ),
}

# As includes/media_or_archive.html writes them: {% translate "..." %} and
# {% blocktranslate %} print a translation as it is (only the values filled in
# are escaped), so an apostrophe in a translation stays one.
AS_TRANSLATE_WRITES = {
    "source_gone_graphic",
    "source_gone_disturbing",
    "source_deleted",
    "source_refuses",
    "archived_copy_on",
    "archived_copy_at",
    "no_archived_copy",
}

LANGUAGES_KEPT = 32  # far more than a site publishes in


def phrases():
    """BLOCK_PHRASES in the active language, escaped: safe to print as they are."""
    return _phrases_in(translation.get_language())


@lru_cache(maxsize=LANGUAGES_KEPT)
def _phrases_in(language):
    with translation.override(language):
        return {
            name: mark_safe(str(text))  # noqa: S308 - see AS_TRANSLATE_WRITES
            if name in AS_TRANSLATE_WRITES
            else conditional_escape(text)
            for name, text in BLOCK_PHRASES.items()
        }


def fill(pattern, **values):
    """A phrase (already escaped) with its placeholders filled, each value
    escaped unless already safe HTML."""
    return mark_safe(  # noqa: S308 - the pattern is escaped, and so is each value
        pattern % {name: escape(value) for name, value in values.items()}
    )


TRANSLATION_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}


@receiver(setting_changed)
def _forget_translations(setting, **kwargs):
    if setting in TRANSLATION_SETTINGS:
        _phrases_in.cache_clear()
