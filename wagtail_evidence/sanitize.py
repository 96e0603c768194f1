"""The one place that sanitizes the HTML the package stores.

Rich text is sanitized when it is written (by a form, an import or code), never
when it is rendered. Plain-text fields are not sanitized at all: the template
engine escapes them.

Two backends sit behind ``sanitize_html``, chosen by the ``SANITIZER`` setting:
bleach (the default; no longer maintained since June 2026) and nh3 (Ammonia).
Both get the same allowlist, which leaves out every element and attribute that
known bleach bypasses rely on: no svg, math, noscript, style, iframe, template,
no raw-text or RCDATA element, no ``style`` attribute. Every link then passes
one post-check that reads its scheme as a browser does.
"""

import html
import re
from functools import cache

from django.core.exceptions import ImproperlyConfigured

from wagtail_evidence.conf import get_setting


# What Wagtail's rich text editor writes for the features the package offers
# (bold, italic, lists, headings, links), and nothing else.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "b",
        "strong",
        "i",
        "em",
        "a",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "hr",
    }
)
# Wagtail keys each block so that comments can follow it.
BLOCK_KEY_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "blockquote"})
# Wagtail stores links to its own pages and documents as <a linktype="page" id="3">,
# turned into a real address at render time.
INTERNAL_LINK_TYPES = frozenset({"page", "document"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# The URL standard's reading of an address: leading and trailing C0 controls and
# spaces are stripped, tabs and newlines anywhere are removed, and a scheme is
# a letter followed by letters, digits, "+", "-" or ".", ending at the first ":".
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_DIGITS = re.compile(r"^[0-9]+$")
_BLOCK_KEY = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def url_scheme(url):
    """The scheme a browser reads in ``url`` (lower case), or "" for a relative one."""
    url = _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def is_safe_link(url):
    # bleach hands over attribute values with their character references still
    # in; decoding them first only ever makes the check stricter. Control
    # characters have no business in a link, so they are refused outright rather
    # than left for each browser to read its own way. A relative address ("")
    # takes the scheme of the page it is on.
    url = html.unescape(url)
    return not _CONTROL.search(url) and url_scheme(url) in SAFE_SCHEMES | {""}


def keep_attribute(tag, name, value):
    """The post-check both backends share: is this attribute allowed, with this value?"""
    if name == "data-block-key":
        return tag in BLOCK_KEY_TAGS and bool(_BLOCK_KEY.match(value))
    if tag != "a":
        return False
    if name == "href":
        return is_safe_link(value)
    if name == "linktype":
        return value in INTERNAL_LINK_TYPES
    if name == "id":
        # Only the numeric id of an internal link; no id that could clobber the DOM.
        return bool(_DIGITS.match(value))
    return False


def allowed_attribute_names():
    return {
        "a": {"href", "linktype", "id"},
        **{tag: {"data-block-key"} for tag in BLOCK_KEY_TAGS},
    }


def clean_with_bleach(markup):
    import bleach

    # A form feed is whitespace beside a tag but an invisible character, which
    # bleach turns into "?", between letters: as a space it reads the same on
    # every pass, so sanitizing twice gives what sanitizing once gave.
    return bleach.clean(
        markup.replace("\x0c", " "),
        tags=ALLOWED_TAGS,
        attributes=keep_attribute,
        protocols=SAFE_SCHEMES,
        strip=True,
        strip_comments=True,
    )


def clean_with_nh3(markup):
    import nh3

    def attribute_filter(tag, name, value):
        return value if keep_attribute(tag, name, value) else None

    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes=allowed_attribute_names(),
        attribute_filter=attribute_filter,
        url_schemes=set(SAFE_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


BACKENDS = {"bleach": clean_with_bleach, "nh3": clean_with_nh3}


@cache
def get_backend(name):
    try:
        backend = BACKENDS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"WAGTAIL_EVIDENCE['SANITIZER'] must be one of {', '.join(sorted(BACKENDS))}, not {name!r}."
        ) from None
    return backend


def sanitize_html(markup, backend=None):
    """``markup`` with only the allowed elements, attributes and link schemes left."""
    if not markup:
        return ""
    cleaned = get_backend(backend or get_setting("SANITIZER"))(str(markup))
    # An HTML parser drops a byte order mark at the very start of its input, so
    # one that a removed tag left first would go on the next pass: drop it now,
    # and sanitizing twice gives what sanitizing once gave.
    return cleaned.lstrip("\ufeff")
