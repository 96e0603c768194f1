"""What in a piece of HTML could run script, read the way a browser reads it.

html5lib implements the WHATWG parsing algorithm, so what it builds is the tree a
browser would build, mutation XSS included. Deliberately independent of
wagtail_evidence.sanitize, which it checks.
"""

import json
import re
from urllib.parse import urlsplit

import html5lib

from tests.paths import SECURITY_DATA


URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "ping",
    "xlink:href",
    "srcset",
}
SCRIPTING_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "template",
    "noscript",
    "form",
    "portal",
    "xmp",
    "noembed",
    "noframes",
}
EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20]")


def load_corpus(name):
    """The rows of ``../shared/security/<name>``; None when the folder is absent."""
    path = SECURITY_DATA / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def executable_url(value):
    # Browsers drop C0 controls and spaces around a URL and tabs and newlines in it.
    return _INVISIBLE.sub("", value).lower().startswith(EXECUTABLE_SCHEMES)


def where(value):
    """An address's origin when it has one (a player's host, whatever the video),
    else the value itself (a path on this site, a type)."""
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else value


def local_name(tag):
    return tag.rsplit("}", 1)[-1].lower()


def sinks(markup, allowed_tags=None, fragment=True):
    """Every element or attribute in ``markup`` that could run script: each as a
    short description, for the failure message. With ``allowed_tags``, any other
    element counts too."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(markup, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if element is tree or not isinstance(element.tag, str):
            continue  # the fragment itself, or a comment
        tag = local_name(element.tag)
        if tag in SCRIPTING_ELEMENTS or (
            allowed_tags is not None and tag not in allowed_tags
        ):
            # What it loads or is, so that a page's own script or player (which a
            # baseline subtracts) never masks an injected one.
            detail = "".join(
                f" {name}={where(element.attrib[name])!r}"
                for name in ("src", "href", "type", "rel")
                if name in element.attrib
            )
            found.append(f"<{tag}{detail}>")
        for name, value in element.attrib.items():
            name = local_name(name)
            if name.startswith("on") or name in {"style", "srcdoc"}:
                found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and executable_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found
