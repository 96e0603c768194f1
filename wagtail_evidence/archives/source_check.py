"""What an address's HTTP answer says about its source, and no more.

404 and 410 mean the source deleted it; 451 ("unavailable for legal reasons")
is how a blocked country is answered. A redirect to a known age wall means an
age restriction. A redirect to a login page says nothing either way (some
platforms send every visitor without an account there), nor do 401, 403, 429
or a server error: those leave the status unknown, with what was seen, for
the desk to judge. A 2xx answer means the address answers; on platforms that
answer 200 for a removed post too, the desk's own status stays the word that
counts (a check never overrides it: see tasks.check_sources).
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

from wagtail_evidence.choices import SourceStatus
from wagtail_evidence.conf import get_setting
from wagtail_evidence.media.weburls import safe_web_url


MAX_REDIRECTS = 3
AGE_WALL = re.compile(
    r"/(over18|age[-_]?gate|age[-_]?verification|verify[-_]?age)(/|$|\?)", re.I
)
LOGIN_WALL = re.compile(
    r"/(login|signin|sign-in|accounts/login|i/flow/login)(/|$|\?)", re.I
)
USER_AGENT = "wagtail-evidence source check"


@dataclass(frozen=True)
class Finding:
    status: str  # a SourceStatus value
    detail: str  # what was seen, for the desk


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each hop is checked here, not followed blindly


def opener():
    handlers = [NoRedirects()]
    proxy = get_setting("SOURCE_CHECK_PROXY")
    if proxy:
        handlers.append(ProxyHandler({"http": proxy, "https": proxy}))
    return build_opener(*handlers)


def check_url(url):
    """Ask ``url`` what became of it; return a Finding."""
    client = opener()
    timeout = get_setting("SOURCE_CHECK_TIMEOUT")
    for _hop in range(MAX_REDIRECTS + 1):
        address = safe_web_url(url)
        if not address:
            return Finding(SourceStatus.UNKNOWN, "not a public web address")
        if not get_setting("SOURCE_CHECK_PROXY") and not resolves_to_public(address):
            # A name an editor typed must not make the server call its own network.
            return Finding(
                SourceStatus.UNKNOWN, "its name resolves to a private address"
            )
        # safe_web_url lets http(s) through only, to a public host name.
        request = Request(address, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with client.open(request, timeout=timeout) as response:
                return Finding(SourceStatus.AVAILABLE, f"HTTP {response.status}")
        except HTTPError as error:
            status = error.code
            location = error.headers.get("Location", "") if error.headers else ""
            error.close()
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return Finding(SourceStatus.UNKNOWN, f"no answer: {reason}"[:255])
        if 300 <= status < 400 and location:
            url = urljoin(address, location)
            path = urlsplit(url).path + ("?" if urlsplit(url).query else "")
            if AGE_WALL.search(path):
                return Finding(
                    SourceStatus.AGE_RESTRICTED, f"HTTP {status} to an age wall"
                )
            if LOGIN_WALL.search(path):
                return Finding(
                    SourceStatus.UNKNOWN, f"HTTP {status} to a login page: cannot tell"
                )
            continue
        return finding_for_status(status)
    return Finding(SourceStatus.UNKNOWN, "too many redirects")


def resolves_to_public(address):
    """Whether every address the host's name resolves to is a public one (a
    name that does not resolve is left to the request, which then fails)."""
    parts = urlsplit(address)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80)
    except OSError:
        return True
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def finding_for_status(status):
    if status in (404, 410):
        return Finding(SourceStatus.DELETED, f"HTTP {status}")
    if status == 451:
        return Finding(SourceStatus.GEO_BLOCKED, f"HTTP {status}")
    return Finding(SourceStatus.UNKNOWN, f"HTTP {status}: cannot tell")
