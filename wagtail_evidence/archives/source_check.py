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

import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urljoin, urlsplit
from urllib.request import (
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    ProxyHandler,
    Request,
    build_opener,
)

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
URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


@dataclass(frozen=True)
class Finding:
    status: str  # a SourceStatus value
    detail: str  # what was seen, for the desk


class PrivateAddress(Exception):
    """The host's name resolves to an address that is not a public one."""


def check_url(url):
    """Ask ``url`` what became of it; return a Finding. Each redirect hop is
    checked as the first address is, and asked the same way. The whole check,
    every hop and name lookup included, ends within ``SOURCE_CHECK_TIMEOUT``
    seconds, however slowly a source or a name server answers."""
    deadline = Deadline(get_setting("SOURCE_CHECK_TIMEOUT"))
    for _hop in range(MAX_REDIRECTS + 1):
        address = safe_web_url(url)
        if not address:
            return Finding(SourceStatus.UNKNOWN, "not a public web address")
        try:
            status, location = ask(address, deadline)
        except PrivateAddress:
            # A name an editor typed must not make the server call its own network.
            return Finding(
                SourceStatus.UNKNOWN, "its name resolves to a private address"
            )
        except TimeoutError:  # the deadline, or a socket timeout set to it
            return Finding(SourceStatus.UNKNOWN, deadline.missed())
        except (OSError, http.client.HTTPException) as error:
            return Finding(SourceStatus.UNKNOWN, f"no answer: {error}"[:255])
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
        if 200 <= status < 300:
            return Finding(SourceStatus.AVAILABLE, f"HTTP {status}")
        return finding_for_status(status)
    return Finding(SourceStatus.UNKNOWN, "too many redirects")


def ask(address, deadline):
    """GET ``address`` (http(s), checked by safe_web_url) without following a
    redirect, by the deadline; return its status and its Location header."""
    proxy = get_setting("SOURCE_CHECK_PROXY")
    if proxy:
        # The newsroom's proxy resolves the names and answers for where it
        # connects; the server itself looks nothing up.
        return ask_through(proxy, address, deadline)
    return ask_pinned(address, deadline)


# The time a check may take. A socket's timeout bounds each read only: a source
# that sends its answer a byte at a time, each in time, would hold the worker
# for as long as it liked. So every connect, send and read is given what is
# left of one deadline for the address, across its redirect hops.


class Deadline:
    def __init__(self, seconds):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self):
        """The seconds left; TimeoutError (an OSError) once there are none."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError(self.missed())
        return left

    def missed(self):
        return f"no answer within {self.seconds} s"


class DeadlineSocket:
    """A connected socket (plain or TLS) whose every send and receive ends by
    the deadline: what http.client uses of a socket, and no more."""

    def __init__(self, sock, deadline):
        self.sock, self.deadline = sock, deadline
        self.files = 0
        self.closed = False

    def sendall(self, data):
        self.sock.settimeout(self.deadline.left())
        return self.sock.sendall(data)

    def recv_into(self, buffer, nbytes=0):
        self.sock.settimeout(self.deadline.left())
        return self.sock.recv_into(buffer, nbytes)

    def fileno(self):
        return self.sock.fileno()

    def makefile(self, mode="rb", *args, **kwargs):
        # As socket.makefile: the socket stays open until its files close too.
        self.files += 1
        return io.BufferedReader(socket.SocketIO(self, "rb"))

    def _decref_socketios(self):  # called by socket.SocketIO.close
        self.files -= 1
        if self.closed and self.files <= 0:
            self.sock.close()

    def close(self):
        self.closed = True
        if self.files <= 0:
            self.sock.close()


# Without a proxy: the name is resolved once, here, and the request goes to the
# address that was checked. Letting the HTTP library resolve it again would
# leave a window (DNS rebinding) in which a name that answered with a public
# address the first time answers with one of the server's own the second.


# IPv6 forms whose last 32 bits are an IPv4 address that a translator, a
# tunnel or the server's own stack connects to.
CARRY_IPV4 = [
    ipaddress.ip_network(prefix)
    for prefix in (
        "64:ff9b::/96",  # NAT64, the well-known prefix (RFC 6052)
        "::ffff:0:0/96",  # IPv4-mapped (RFC 4291)
        "::ffff:0:0:0/96",  # IPv4-translated, SIIT (RFC 2765)
        "::/96",  # IPv4-compatible, deprecated (RFC 4291)
    )
]
# Local-use NAT64 (RFC 8215): the prefix of a network's own translator, which
# may embed the IPv4 address at any of several places: never a public address.
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def is_public(text):
    """Whether an address is a public one, and so is the IPv4 address an IPv6
    one carries (6to4, NAT64, SIIT, IPv4-mapped or -compatible), which
    Python's is_global does not look into."""
    ip = ipaddress.ip_address(text)
    if ip.version == 6:
        if ip in LOCAL_NAT64:
            return False
        if ip.sixtofour is not None:
            ip = ip.sixtofour
        elif any(ip in prefix for prefix in CARRY_IPV4):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global


# getaddrinfo takes no timeout, and a name server that does not answer would hold
# the worker for as long as the system's resolver retries: each lookup runs in a
# daemon thread of its own, waited for until the deadline. One that never
# answers keeps its thread until the resolver gives up; the check goes on
# without it, and other lookups never queue behind it (a pool would make them
# miss their own deadlines, and would not survive a fork).


def looked_up(host, port, deadline):
    """socket.getaddrinfo's answer by the deadline; TimeoutError after it."""
    left = deadline.left()
    answer, done = {}, threading.Event()

    def look_up():
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as error:  # noqa: BLE001 (raised in the caller's thread)
            answer["error"] = error
        finally:
            done.set()

    threading.Thread(target=look_up, name="source-check-lookup", daemon=True).start()
    if not done.wait(left):
        raise TimeoutError(deadline.missed())
    if "error" in answer:
        raise answer["error"]
    return answer["infos"]


def public_addresses(host, port, deadline):
    """The socket addresses ``host`` resolves to by the deadline, if every one
    is public."""
    infos = looked_up(host, port, deadline)
    if not infos or not all(is_public(info[4][0]) for info in infos):
        raise PrivateAddress(host)
    return infos


def connect_pinned(infos, deadline):
    """A socket connected to the first of the checked addresses that answers."""
    error = OSError("no address to connect to")
    for family, type_, proto, _name, sockaddr in infos:
        sock = socket.socket(family, type_, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
        except OSError as failure:
            sock.close()
            error = failure
            continue
        return sock
    raise error


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends the original Host header, connects to the address checked."""

    def __init__(self, host, port, infos, deadline):
        super().__init__(host, port)
        self.infos, self.deadline = infos, deadline

    def connect(self):
        self.sock = DeadlineSocket(
            connect_pinned(self.infos, self.deadline), self.deadline
        )


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As PinnedHTTPConnection, with TLS for the original host name: it is
    the name sent for SNI and the name the certificate must be valid for."""

    def __init__(self, host, port, infos, tls, deadline):
        super().__init__(host, port, context=tls)
        self.infos, self.tls, self.deadline = infos, tls, deadline

    def connect(self):
        sock = connect_pinned(self.infos, self.deadline)
        try:
            # The handshake is bounded as a whole by the socket's timeout.
            sock.settimeout(self.deadline.left())
            tls_sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = DeadlineSocket(tls_sock, self.deadline)


def tls_context():
    """Certificates checked against the system's trusted authorities."""
    return ssl.create_default_context()


def ask_pinned(address, deadline):
    parts = urlsplit(address)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    infos = public_addresses(parts.hostname, port, deadline)
    if https:
        connection = PinnedHTTPSConnection(
            parts.hostname, port, infos, tls_context(), deadline
        )
    else:
        connection = PinnedHTTPConnection(parts.hostname, port, infos, deadline)
    # The request line is ASCII: what is not is percent-encoded, what is
    # already encoded stays as it is.
    target = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=URL_SAFE)
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


# Through the newsroom's proxy


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each hop is checked here, not followed blindly


class DeadlineHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self):
        super().connect()  # to the proxy, each step within what is left
        self.sock = DeadlineSocket(self.sock, self.deadline)


class DeadlineHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self):
        super().connect()  # the proxy's tunnel, then TLS with the source
        self.sock = DeadlineSocket(self.sock, self.deadline)


class DeadlineHTTPHandler(HTTPHandler):
    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(DeadlineHTTPConnection, req, deadline=self.deadline)


class DeadlineHTTPSHandler(HTTPSHandler):
    def __init__(self, deadline):
        super().__init__(context=tls_context())
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(
            DeadlineHTTPSConnection, req, context=self._context, deadline=self.deadline
        )


def ask_through(proxy, address, deadline):
    client = build_opener(
        NoRedirects(),
        ProxyHandler({"http": proxy, "https": proxy}),
        DeadlineHTTPHandler(deadline),
        DeadlineHTTPSHandler(deadline),
    )
    # safe_web_url lets http(s) through only, to a public host name.
    request = Request(address, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with client.open(request, timeout=deadline.left()) as answer:
            return answer.status, answer.headers.get("Location", "")
    except HTTPError as error:
        location = error.headers.get("Location", "") if error.headers else ""
        error.close()
        return error.code, location
    except URLError as error:
        if isinstance(error.reason, OSError):  # a timeout stays one
            raise error.reason from error
        raise OSError(error.reason) from error


def finding_for_status(status):
    if status in (404, 410):
        return Finding(SourceStatus.DELETED, f"HTTP {status}")
    if status == 451:
        return Finding(SourceStatus.GEO_BLOCKED, f"HTTP {status}")
    return Finding(SourceStatus.UNKNOWN, f"HTTP {status}: cannot tell")
