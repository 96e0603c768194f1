"""Language helpers: what the package renders for readers is in the article's
language, and lists are whole translatable patterns, never fragments.

Evidence records are shared by every language's articles (they are not
translatable snippets), so the language of a rendered item comes from the page
citing it: its locale, when Wagtail's internationalisation is on. See
docs/how-to/translate.md.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext


def page_language(page):
    """The language code readers of ``page`` read, or None to keep the active one.

    That is the page's locale when ``WAGTAIL_I18N_ENABLED`` is on. As Wagtail does
    for page URLs, an active variant of that language (``fr-ca`` for ``fr``) is
    kept. Costs one query the first time a page's locale is read, then none."""
    if page is None or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    if getattr(page, "locale_id", None) is None:
        return None
    language = page.locale.language_code
    # Imported when first used: settings import this module (through media.providers).
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        if (
            get_supported_content_language_variant(translation.get_language())
            == language
        ):
            return translation.get_language()
    except LookupError:
        pass
    return language


@contextmanager
def reader_language(page):
    """Render what is inside in ``page``'s language (see page_language)."""
    language = page_language(page)
    if language is None or language == translation.get_language():
        yield  # already active: an evidence block of a page asks once per block
        return
    with translation.override(language):
        yield


def page_from_context(context):
    """The page a template context renders, if any (blocks rendered by
    ``{% include_block %}`` receive the page template's context)."""
    if not context:
        return None
    page = context.get("page")
    return page if hasattr(page, "locale_id") else None


def format_pattern(pattern, values, html=True):
    """A translated pattern with its named placeholders filled. For HTML the
    pattern is escaped (a translation cannot add markup), and so are the values
    unless already safe."""
    if not html:
        return pattern % {name: str(value) for name, value in values.items()}
    return mark_safe(  # noqa: S308 - every part is escaped here
        conditional_escape(pattern)
        % {name: conditional_escape(value) for name, value in values.items()}
    )


def format_list(items, html=True):
    """'A, B and C' in the active language, from whole patterns a translator can
    reorder. For HTML, items may be safe HTML (linked names); others are escaped.
    With ``html=False``, plain text for plain-text contexts."""
    items = [item for item in items if item not in (None, "")]
    if not items:
        return ""
    if len(items) == 1:
        return conditional_escape(items[0]) if html else str(items[0])
    if len(items) == 2:
        return format_pattern(
            # Translators: a list of exactly two names or things.
            pgettext("list of two", "%(first)s and %(second)s"),
            {"first": items[0], "second": items[1]},
            html,
        )
    text = format_pattern(
        # Translators: the last two of a list of three or more.
        pgettext("end of a list", "%(item)s and %(last)s"),
        {"item": items[-2], "last": items[-1]},
        html,
    )
    for item in reversed(items[:-2]):
        text = format_pattern(
            # Translators: an item of a list of three or more, followed by the rest of the list.
            pgettext("start of a list", "%(item)s, %(rest)s"),
            {"item": item, "rest": text},
            html,
        )
    return text


def join_labels(items, html=True):
    """'A, B, C' (a plain enumeration, no "and") with the language's comma."""
    # Translators: what separates the items of a plain enumeration, as in "Violence, Distress".
    separator = pgettext("enumeration separator", ", ")
    if not html:
        return separator.join(str(item) for item in items if item)
    return mark_safe(  # noqa: S308 - every part is escaped here
        conditional_escape(separator).join(
            conditional_escape(item) for item in items if item
        )
    )


def isolate(value):
    """``value`` in its own ``<bdi>``, escaped unless already safe HTML; "" for
    nothing.

    Every editor-written string printed in HTML goes through this (or sits alone
    in an element with ``dir="auto"``): an isolate keeps a U+202E override, an
    unclosed isolate control or right-to-left words from reordering the text
    around it, such as the badge or a translated sentence embedding it. In a
    translated pattern, isolate the value, never the pattern."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


# The explicit directional embeddings, overrides and isolates (LRE to RLO,
# LRI to PDI): a stray PDI inside a value would end the isolate around it.
DIRECTIONAL_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def isolate_text(value):
    """isolate() for plain text (a chooser's title, set as text by a script):
    ``value``, without directional controls of its own, between FIRST STRONG
    ISOLATE and POP DIRECTIONAL ISOLATE."""
    if value is None or value == "":
        return ""
    return f"\u2068{str(value).translate(DIRECTIONAL_CONTROLS)}\u2069"


def isolate_within(text, value):
    """Plain ``text``, escaped, with each occurrence of ``value`` in it isolated:
    for sentences built as plain text elsewhere (messages, checklist problems)
    that embed an editor-written ``value``."""
    if not value:
        return conditional_escape(text)
    # Split the raw text, so no escaped entity is ever cut in two.
    return mark_safe(  # noqa: S308 - every part is escaped here
        isolate(value).join(
            conditional_escape(part) for part in str(text).split(str(value))
        )
    )


# Lazy strings kept by identity: a module constant (a choice's label, a facet's
# label or sentence) is one object for the life of the process. The entry keeps
# the object itself, so its id cannot be reused by another while it is kept.
_translated = {}
LAZY_STRINGS_KEPT = 2048


def translated(text):
    """``text`` (a lazy string, or a plain one) in the active language, as str."""
    if isinstance(text, str):
        return text
    key = (translation.get_language(), id(text))
    kept = _translated.get(key)
    if kept is not None and kept[0] is text:
        return kept[1]
    if len(_translated) >= LAZY_STRINGS_KEPT:
        _translated.clear()  # per-record strings would be a misuse: stay bounded
    value = str(text)
    _translated[key] = (text, value)
    return value


@receiver(setting_changed)
def _forget_translated(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translated.clear()
