"""Strict parsing of the web addresses editors type.

Every URL field in the package accepts http(s) only, to a public host named the way
a browser would read it. Hosts are normalised with IDNA, so a look-alike host is
shown in its ASCII (``xn--``) form and never as the host it imitates.
"""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Hosts that only ever name the machine or network the reader is on.
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost"}
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".lan")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# WHATWG URL: a host whose last label is numeric is parsed as an IPv4 address,
# including the hex and octal forms (0x7f.1, 017700000001, 2130706433).
NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
# Scripts whose letters pass for Latin ones, and writing systems that mix
# scripts by nature (Japanese, Korean), for looks_alike().
LATIN_LOOKALIKE_SCRIPTS = {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}
MIXED_WRITING = [
    {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"},
    {"CJK", "HANGUL"},
]
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")
# Never part of an address as a browser copies it (it percent-encodes them), and
# the characters that break out of an HTML attribute or tag.
MARKUP_CHARACTERS = re.compile(r"[\"<>`]")
# A script or document address carried in the query or the fragment, where a
# page or a player may pass it on (?origin=javascript:…, ?href=data:text/html,…).
NESTED_SCRIPT = re.compile(
    r"(?:^|[=&?#])(?:javascript:|vbscript:|data:(?:[\w.+-]+/[\w.+-]+)?[;,])"
)


@dataclass(frozen=True)
class WebURL:
    """A URL that passed the checks, with its host in normalised ASCII form."""

    url: str
    scheme: str
    host: str
    path: str
    query: str


def _refuse(message, code):
    raise ValidationError(message, code=code)


# A reader's page asks about the same few addresses many times (each credit,
# appearance and archived copy, for its link and its host): the parse is a pure
# function of the text, so it is kept for the last addresses seen. Bounded, and
# only successes are kept (a refusal raises again each time, in the language then
# active).
PARSED_URLS_KEPT = 4096
HOSTS_KEPT = 1024


def parse_web_url(value):
    """Parse ``value`` strictly, or raise ValidationError with a message for editors."""
    return _parse_web_url((value or "").strip())


@lru_cache(maxsize=PARSED_URLS_KEPT)
def _parse_web_url(url):
    if not url:
        _refuse(_("Enter a web address."), "empty")
    if FORBIDDEN_CHARACTERS.search(url):
        _refuse(
            _(
                "Web addresses cannot contain spaces, control characters or backslashes."
            ),
            "characters",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        _refuse(_("This web address is malformed."), "malformed")
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        _refuse(
            _("Only web addresses starting with http:// or https:// are accepted."),
            "scheme",
        )
    if MARKUP_CHARACTERS.search(url):
        _refuse(
            _(
                "Web addresses cannot contain quotation marks, angle brackets or "
                "backticks. Copy the address from the browser's address bar."
            ),
            "characters",
        )
    if "@" in parts.netloc:
        _refuse(
            _("Web addresses with a user name or password in them are not accepted."),
            "userinfo",
        )
    if port is not None and port != DEFAULT_PORTS[scheme]:
        _refuse(_("Web addresses on unusual ports are not accepted."), "port")
    host = normalise_host(parts.hostname or "")
    if _carries_script(parts.query, parts.fragment):
        _refuse(
            _(
                "This web address carries a javascript:, vbscript: or data: address "
                "in it. Remove that part, or give the page's own address."
            ),
            "nested_script",
        )
    return WebURL(url=url, scheme=scheme, host=host, path=parts.path, query=parts.query)


def _carries_script(query, fragment):
    text = f"{query}#{fragment}"
    for _round in range(3):  # %253A is a colon encoded twice
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    # Browsers drop tabs and newlines inside a scheme, and spaces around it.
    text = re.sub(r"[\x00-\x20\x7f]", "", text).lower()
    return bool(NESTED_SCRIPT.search(text))


def normalise_host(hostname):
    """The host's IDNA (ASCII) form, lower-cased, if it names a public host."""
    host = _normalise_host(hostname.rstrip("."))
    if hostname.endswith("."):
        # Browsers keep the dot: www.youtube.com. is another origin than
        # www.youtube.com, so it can be matched or shown as neither.
        _refuse(
            _("The host name of this web address ends with a dot. Remove the dot."),
            "trailing_dot",
        )
    return host


@lru_cache(maxsize=HOSTS_KEPT)
def _normalise_host(hostname):
    """IDNA encoding and its checks, kept per host name (see PARSED_URLS_KEPT)."""
    if not hostname:
        _refuse(_("This web address has no host name."), "host")
    if hostname.startswith("[") or ":" in hostname:
        _refuse_ip(hostname.strip("[]"))
        return hostname
    try:
        host = hostname.encode("idna").decode("ascii").lower()
        round_trip = host.encode("ascii").decode("idna")
    except UnicodeError:
        _refuse(_("The host name of this web address is not valid."), "host")
    # Python's IDNA 2003 codec silently drops or maps some characters (a
    # zero-width joiner, "ß") that browsers keep under UTS #46. Such a host could
    # be shown as one site and open another, so it is refused outright.
    typed = (
        hostname.lower()
        if hostname.isascii()
        else unicodedata.normalize("NFC", hostname).lower()
    )
    expected = host if hostname.isascii() else round_trip
    # An ASCII (xn--) host must decode and encode back to itself; a Unicode one
    # must come back from ASCII unchanged.
    if typed != expected or round_trip.encode("idna").decode("ascii") != host:
        _refuse(
            _(
                "The host name of this web address contains characters that "
                "browsers may read differently. Type the address as the site shows it."
            ),
            "ambiguous_host",
        )
    if looks_alike(round_trip):
        _refuse(
            _(
                "The host name of this web address mixes alphabets, or imitates Latin "
                "letters with another alphabet's, as look-alikes of well-known sites "
                "do. Type the address as the site shows it."
            ),
            "look_alike",
        )
    labels = host.split(".")
    if NUMERIC_LABEL.match(labels[-1]):
        _refuse_ip(host)
        return host
    if host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES):
        _refuse(
            _("Web addresses on this computer or network are not accepted."), "local"
        )
    if len(labels) < 2 or len(host) > 253 or not all(map(HOST_LABEL.match, labels)):
        _refuse(_("The host name of this web address is not valid."), "host")
    return host


def scripts(label):
    """The scripts of a label's letters, named as Unicode names them (LATIN,
    CYRILLIC, CJK...); digits and hyphens belong to none."""
    return {
        unicodedata.name(character, "?").split(" ")[0]
        for character in label
        if character.isalpha()
    }


def looks_alike(unicode_host):
    """Whether a host is built the way look-alikes are: a label that mixes scripts
    (``аpple.com`` with a Cyrillic "а"), or one written in a script whose letters
    pass for Latin ones under a Latin top-level domain (``раураl.com``, all
    Cyrillic). ``пример.рф`` and ``bücher.example`` are not."""
    labels = unicode_host.split(".")
    top_level = scripts(labels[-1])
    for label in labels:
        found = scripts(label)
        if len(found) > 1 and not any(found <= writing for writing in MIXED_WRITING):
            return True
        if found & LATIN_LOOKALIKE_SCRIPTS and top_level == {"LATIN"}:
            return True
    return False


def _refuse_ip(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        _refuse(_("The host name of this web address is not valid."), "host")
    if not address.is_global:
        _refuse(
            _("Web addresses on this computer or network are not accepted."), "local"
        )


def validate_web_url(value):
    """Django validator for every URL field the package stores."""
    if value:
        parse_web_url(value)


def safe_web_url(url):
    """``url`` if it passes every check, else "": for output, so that an address
    stored without validation (code, an import, raw StreamField JSON) can never
    become a javascript: or look-alike link for a reader."""
    if not url or url.isspace():
        return ""  # the common case of a link not given: no refusal to raise
    try:
        return parse_web_url(url).url
    except ValidationError:
        return ""


def display_host(url):
    """The host a reader is sent to, for 'on example.org' labels; '' if invalid."""
    try:
        return parse_web_url(url).host.removeprefix("www.")
    except ValidationError:
        return ""
