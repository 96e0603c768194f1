"""W003: a Content Security Policy that blocks the providers' players.

Not to be confused with ``wagtail_evidence.media.providers``, which gives a project the
players' origins for its policy.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from wagtail_evidence.checks.common import TAG, contains_subclass
from wagtail_evidence.media.providers import get_providers


CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
CSP_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
# The directives a browser reads for an iframe, in order (CSP Level 3, 6.8.3).
FRAME_DIRECTIVES = ("frame-src", "child-src", "default-src")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
SCHEME_SOURCE = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
HOST_SOURCE = re.compile(
    r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?"
    r"(?P<host>\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)"
    r"(?::(?P<port>\*|[0-9]+))?"
    r"(?P<path>/[^?#]*)?",
    re.IGNORECASE,
)


@register(Tags.security, TAG)
def check_player_csp(app_configs, **kwargs):
    # No policy at all blocks nothing, so nothing is said: whether a site should
    # have one is the project's call (docs/how-to/content-security-policy.md).
    if not contains_subclass(CSP_MIDDLEWARE, settings.MIDDLEWARE):
        return []
    try:
        from csp.utils import (
            build_policy,  # django-csp is the project's choice, not our dependency
        )

        providers = get_providers()
    except (ImportError, ImproperlyConfigured):
        return []  # a broken PROVIDERS setting fails loudly where it is used
    players = {
        provider.name: provider.player_origin
        for provider in providers
        if provider.player_origin
    }
    warnings = []
    for setting_name in CSP_SETTINGS:
        # django-csp's own rendering, so its defaults (default-src 'self' when a
        # policy names none) and value forms are read as it sends them.
        header = build_policy(report_only=setting_name.endswith("_REPORT_ONLY"))
        warning = policy_warning(setting_name, header, players)
        if warning:
            warnings.append(warning)
    return warnings


def policy_warning(setting_name, header, players):
    directive, sources = frame_sources(header)
    if directive is None:
        return None
    blocked = [
        f"{name} ({origin})"
        for name, origin in players.items()
        if not any(source_allows(source, origin) for source in sources)
    ]
    if not blocked:
        return None
    where = f"its {directive}"
    if directive != "frame-src":
        skipped = FRAME_DIRECTIVES[: FRAME_DIRECTIVES.index(directive)]
        where += f", which frames fall back to as it has no {' or '.join(skipped)},"
    if setting_name.endswith("_REPORT_ONLY"):
        effect = "reports the players of these providers as violations, and would block them once enforced"
    else:
        effect = "blocks the players of these providers"
    return Warning(
        f"The Content Security Policy in {setting_name} {effect}: {where} does not "
        f"allow {', '.join(blocked)}.",
        hint=f'Set "frame-src" in {setting_name}["DIRECTIVES"] to '
        "wagtail_evidence.media.providers.player_frame_sources(), passing it the classes of the "
        'providers in WAGTAIL_EVIDENCE["PROVIDERS"] if you changed them, or add '
        "these origins to it.",
        id="wagtail_evidence.W003",
    )


def frame_sources(header):
    """The directive that governs iframes in a policy header and its sources, or
    (None, None) when the policy does not restrict frames at all."""
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            # A repeated directive is ignored (CSP Level 3, 2.2.1).
            directives.setdefault(tokens[0].lower(), tokens[1:])
    for name in FRAME_DIRECTIVES:
        if name in directives:
            return name, directives[name]
    return None, None


def scheme_part_matches(expression_scheme, url_scheme):
    """CSP Level 3, 6.7.2.8: a source's scheme also allows its secure upgrade."""
    a, b = expression_scheme.lower(), url_scheme.lower()
    return (
        a == b
        or (a == "http" and b == "https")
        or (a == "ws" and b in ("wss", "http", "https"))
        or (a == "wss" and b == "https")
    )


def source_allows(source, origin):
    """Whether a source expression allows a frame from ``origin`` (a player's
    scheme, host and optional port), per CSP Level 3, 6.7.2.7.

    The page's own origin is not known here: a scheme-less source is taken to be
    on an http(s) page, and 'self' never allows a player (they are all on
    other origins). Paths are not compared: the players' paths vary by item.
    Keywords, nonces and hashes allow no frame; 'none' allows nothing, and next
    to other sources it is ignored, which this gives as well.
    """
    url = urlsplit(origin)
    scheme, host = url.scheme.lower(), (url.hostname or "").lower()
    port = url.port or DEFAULT_PORTS.get(scheme)
    if source == "*":
        return scheme in ("http", "https")
    if SCHEME_SOURCE.fullmatch(source):
        return scheme_part_matches(source[:-1], scheme)
    match = HOST_SOURCE.fullmatch(source)
    if match is None:
        return False  # a keyword, nonce or hash, or a source browsers ignore
    if match["scheme"]:
        if not scheme_part_matches(match["scheme"], scheme):
            return False
    elif scheme not in ("http", "https"):
        return False
    pattern = match["host"].lower()
    if pattern.startswith("*"):
        if not host.endswith(pattern[1:]):
            return False
    elif pattern != host:
        return False
    if match["port"] is None:
        return port == DEFAULT_PORTS.get(scheme)
    return match["port"] == "*" or int(match["port"]) == port
