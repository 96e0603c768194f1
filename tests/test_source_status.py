"""Source status: the desk's by hand (and only the desk's, on every path), or
found by "Check sources" from what each address answers, against fake
sources on 127.0.0.1; a check never overrides the desk."""

import io
import socket
import threading
import time
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import fake_archive_services
from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.archives.source_check import check_url
from wagtail_evidence.models import Appearance, SourceCheck


pytestmark = pytest.mark.django_db
sources_web = fake_archive_services.sources_web

MEDIA = "http://news.example.org/2020/10/convoy-video"
RELAYS = {
    "/deleted": "http://relay.example.org/deleted",
    "/gone-for-good": "http://relay.example.org/gone-for-good",
    "/blocked": "http://relay.example.org/blocked",
    "/to-age-wall": "http://relay.example.org/to-age-wall",
    "/to-login": "http://relay.example.org/to-login",
    "/forbidden": "http://relay.example.org/forbidden",
}


@pytest.fixture
def record():
    return make_evidence(
        media_url=MEDIA,
        display="link",
        appearances=[
            Appearance(platform="other", url=url, sort_order=index)
            for index, url in enumerate(RELAYS.values())
        ],
    )


def sources_url(evidence):
    return reverse("wagtail_evidence:sources", args=[evidence.pk])


def statuses(evidence):
    return dict(
        SourceCheck.objects.filter(evidence=evidence).values_list("url", "status")
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302
        return client.get(response["Location"])

    return send


def answer_like_the_web(sources_web):
    sources_web.answers.update(
        {
            "/deleted": (404, ()),
            "/gone-for-good": (410, ()),
            "/blocked": (451, ()),
            "/to-age-wall": (302, [("Location", "/over18?dest=%2Fto-age-wall")]),
            "/to-login": (302, [("Location", "/accounts/login/?next=/x")]),
            "/forbidden": (403, ()),
        }
    )


def test_check_sources_reads_what_each_address_answers(
    login, record, sources_web, post
):
    answer_like_the_web(sources_web)
    page = post(login("editor"), sources_url(record), {"action": "check"})
    assert statuses(record) == {
        MEDIA: "available",
        RELAYS["/deleted"]: "deleted",
        RELAYS["/gone-for-good"]: "deleted",
        RELAYS["/blocked"]: "geo_blocked",
        RELAYS["/to-age-wall"]: "age_restricted",
        # A login page or a 403 tells nothing: left unknown, with what was seen.
        RELAYS["/to-login"]: "unknown",
        RELAYS["/forbidden"]: "unknown",
    }
    login_row = SourceCheck.objects.get(evidence=record, url=RELAYS["/to-login"])
    assert "login page" in login_row.checked_detail
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "Deleted by the source" in text and "Found by a check." in text
    # Each address asked once, through the proxy: no name was looked up here.
    assert sorted(r[1] for r in sources_web.requests if "relay" in r[1]) == sorted(
        RELAYS.values()
    )


def test_a_check_never_overrides_the_desk(login, record, sources_web, post):
    desk = login("verifier")
    post(
        desk,
        sources_url(record),
        {"action": "status", "url": MEDIA, "status": "deleted", "seen": ""},
    )
    post(desk, sources_url(record), {"action": "check"})
    row = SourceCheck.objects.get(evidence=record, url=MEDIA)
    assert (row.status, row.set_by, row.checked_status) == (
        "deleted",
        "desk",
        "available",
    )


def test_the_desk_sets_a_status_by_hand_and_the_history_says_so(
    login, record, post, users
):
    page = post(
        login("verifier"),
        sources_url(record),
        {
            "action": "status",
            "url": RELAYS["/blocked"],
            "status": "geo_blocked",
            "seen": "",
        },
    )
    assert statuses(record) == {RELAYS["/blocked"]: "geo_blocked"}
    row = SourceCheck.objects.get(evidence=record)
    assert (row.set_by, row.set_by_user) == ("desk", users["verifier"])
    assert "Source status saved." in page.content.decode()
    entry = ModelLogEntry.objects.get(
        object_id=str(record.pk), action="wagtail_evidence.source_status"
    )
    assert entry.data == {
        "url": RELAYS["/blocked"],
        "before": "unknown",
        "after": "geo_blocked",
    }
    assert entry.user == users["verifier"]


def test_an_editor_is_not_offered_the_status_and_cannot_post_it(login, record):
    editor = login("editor")
    page = editor.get(sources_url(record))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select('select[name="status"]') == []
    assert "Only the verification desk can change this." in soup.get_text(" ")
    response = editor.post(
        sources_url(record),
        {"action": "status", "url": MEDIA, "status": "deleted", "seen": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert statuses(record) == {}


def test_a_stale_status_form_is_refused(login, record, post):
    desk = login("verifier")
    form = {"action": "status", "url": MEDIA, "seen": ""}
    post(desk, sources_url(record), {**form, "status": "deleted"})
    # A second form opened before that save still says "seen: nothing".
    page = post(desk, sources_url(record), {**form, "status": "available"})
    assert statuses(record) == {MEDIA: "deleted"}
    assert "it changed since you opened this page" in page.content.decode()


def test_a_status_for_an_address_the_record_does_not_have_is_refused(
    login, record, post
):
    page = post(
        login("verifier"),
        sources_url(record),
        {
            "action": "status",
            "url": "http://elsewhere.example.org/",
            "status": "deleted",
            "seen": "",
        },
    )
    assert statuses(record) == {}
    text = BeautifulSoup(page.content, "html.parser").get_text(" ")
    assert "not one of this record's sources" in text


def test_an_address_that_does_not_answer_stays_unknown(settings):
    settings.WAGTAIL_EVIDENCE = {
        "SOURCE_CHECK_PROXY": "http://127.0.0.1:9",  # nothing listens there
        "SOURCE_CHECK_TIMEOUT": 1,
    }
    finding = check_url("http://relay.example.org/anything")
    assert finding.status == "unknown" and finding.detail.startswith("no answer")


def test_a_local_address_is_never_asked(sources_web):
    finding = check_url("http://127.0.0.1:8000/admin/")
    assert finding.status == "unknown"
    assert sources_web.requests == []


def test_a_name_that_resolves_to_a_private_address_is_not_asked(monkeypatch):
    """Without a proxy, the check resolves the name first: one that points into
    the server's own network is refused, and nothing connects."""
    connections = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *args, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))
        ],
    )
    monkeypatch.setattr(
        socket.socket, "connect", lambda sock, address: connections.append(address)
    )
    finding = check_url("http://intranet.example.org/")
    assert (finding.status, finding.detail) == (
        "unknown",
        "its name resolves to a private address",
    )
    assert connections == []


# "Not set": the desk withdraws its own status

PLAYED = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def played():
    """A live record whose media readers can play."""
    return make_evidence(
        media_url=PLAYED, appearances=[Appearance(platform="youtube", url=PLAYED)]
    )


def status_form(client, evidence, url):
    """The status form of one source, as the desk's page offers it now."""
    soup = BeautifulSoup(client.get(sources_url(evidence)).content, "html.parser")
    row = soup.select_one(f'tr[data-evidence-source="{url}"]')
    chosen = row.select_one('select[name="status"] option[selected]')
    return {
        "action": "status",
        "url": url,
        "seen": row.select_one('input[name="seen"]')["value"],
        "chosen": chosen["value"],
    }


def reader_item(client, evidence):
    article = make_article([evidence_block(evidence)])
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("section.evidence")


def test_the_desk_sets_a_status_back_to_not_set_and_readers_get_the_player_again(
    login, played, post, users, client
):
    desk = login("verifier")
    form = status_form(desk, played, PLAYED)
    assert form.pop("chosen") == "not_set"  # nobody at the desk has said anything
    post(desk, sources_url(played), {**form, "status": "deleted"})
    assert reader_item(client, played).select("[data-evidence-source-gone]")

    form = status_form(desk, played, PLAYED)
    assert form.pop("chosen") == "deleted"
    page = post(desk, sources_url(played), {**form, "status": "not_set"})
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "The desk's status is withdrawn" in text
    row = SourceCheck.objects.get(evidence=played, url=PLAYED)
    assert (row.status, row.set_by, row.set_by_user) == ("unknown", "", None)
    entry = ModelLogEntry.objects.filter(
        object_id=str(played.pk), action="wagtail_evidence.source_status"
    ).latest("pk")
    assert entry.user == users["verifier"]
    assert entry.data == {
        "url": PLAYED,
        "before": "deleted",
        "after": "unknown",
        "withdrawn": True,
    }
    assert "not set by the desk" in entry.message
    item = reader_item(client, played)
    assert item.select("[data-evidence-source-gone]") == []
    assert item.select("template[data-evidence-player]")


def test_not_set_lets_the_last_checks_finding_stand(login, record, sources_web, post):
    sources_web.answers["/deleted"] = (404, ())
    desk = login("verifier")
    relay = RELAYS["/deleted"]
    post(desk, sources_url(record), {"action": "check"})
    form = status_form(desk, record, relay)
    assert form.pop("chosen") == "not_set"  # the check's finding is not the desk's
    post(desk, sources_url(record), {**form, "status": "available"})
    assert statuses(record)[relay] == "available"
    form = status_form(desk, record, relay)
    assert form.pop("chosen") == "available"
    page = post(desk, sources_url(record), {**form, "status": "not_set"})
    row = SourceCheck.objects.get(evidence=record, url=relay)
    assert (row.status, row.set_by, row.checked_status) == (
        "deleted",
        "check",
        "deleted",
    )
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "Found by a check." in text
    # And the next check sets it again, the desk no longer holding it.
    sources_web.answers["/deleted"] = (200, ())
    post(desk, sources_url(record), {"action": "check"})
    assert statuses(record)[relay] == "available"


def test_an_editor_cannot_withdraw_the_desks_status(login, played, post):
    form = status_form(login("verifier"), played, PLAYED)
    form.pop("chosen")
    post(login("verifier"), sources_url(played), {**form, "status": "deleted"})
    seen = SourceCheck.objects.get(evidence=played).updated_at.isoformat()
    response = login("editor").post(
        sources_url(played),
        {"action": "status", "url": PLAYED, "status": "not_set", "seen": seen},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    row = SourceCheck.objects.get(evidence=played)
    assert (row.status, row.set_by) == ("deleted", "desk")


def test_a_stale_form_cannot_withdraw_the_desks_status(login, played, post):
    desk = login("verifier")
    form = status_form(desk, played, PLAYED)
    form.pop("chosen")
    post(desk, sources_url(played), {**form, "status": "deleted"})
    # The same form, opened before that save, now asks for "Not set".
    page = post(desk, sources_url(played), {**form, "status": "not_set"})
    assert "it changed since you opened this page" in page.content.decode()
    row = SourceCheck.objects.get(evidence=played)
    assert (row.status, row.set_by) == ("deleted", "desk")


def test_check_sources_in_bulk(login, record, sources_web, post):
    answer_like_the_web(sources_web)
    other = make_evidence(
        title="Convoy", media_url="http://news.example.org/other", display="link"
    )
    ids = f"id={record.pk}&id={other.pk}"
    url = (
        reverse(
            "wagtail_bulk_action",
            args=["wagtail_evidence", "evidence", "check_sources"],
        )
        + f"?{ids}&next="
        + reverse("wagtailsnippets_wagtail_evidence_evidence:list")
    )
    client = login("editor")
    confirm = BeautifulSoup(client.get(url).content, "html.parser")
    assert "Check sources: these 2 records." in confirm.get_text(" ", strip=True)
    assert sources_web.requests == []  # the confirmation page starts nothing
    page = post(client, url, {})
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "A check of the sources started for 2 records." in text
    assert statuses(record)[RELAYS["/deleted"]] == "deleted"
    assert statuses(other) == {"http://news.example.org/other": "available"}


# DNS rebinding: the request goes to the address that was checked

PUBLIC_IP = "93.184.215.14"  # a global address, standing in for a public server


def resolve_as(monkeypatch, answers):
    """socket.getaddrinfo answering each name with its next address in
    ``answers`` (the last one repeated), as a rebinding name server does;
    returns the names asked, in order."""
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        ips = answers[host]
        ip = ips[min(asked.count(host), len(ips)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture
def servers(monkeypatch):
    """Two fake sources: ``public``, reached by connecting to PUBLIC_IP:80,
    and ``local``, reached by connecting to 127.0.0.1:80 (a service of the
    server's own network). Other connections go through the suite's network
    guard as before."""
    public = fake_archive_services.FakeService(fake_archive_services.SourcesHandler)
    local = fake_archive_services.FakeService(fake_archive_services.SourcesHandler)
    stand_ins = {
        (PUBLIC_IP, 80): public.server.server_address,
        ("127.0.0.1", 80): local.server.server_address,
    }
    guarded_connect = socket.socket.connect

    def connect(sock, address):
        return guarded_connect(sock, stand_ins.get(tuple(address), address))

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield public, local
    public.stop()
    local.stop()


def test_a_name_that_rebinds_to_a_local_address_never_reaches_it(monkeypatch, servers):
    """The name answers with a public address when it is checked, then with
    127.0.0.1: the request still goes to the address checked, with the
    original Host header, and the local service is never asked."""
    public, local = servers
    asked = resolve_as(monkeypatch, {"relay.example.org": [PUBLIC_IP, "127.0.0.1"]})
    public.answers["/deleted"] = (404, ())
    local.answers["/deleted"] = (200, ())
    finding = check_url("http://relay.example.org/deleted")
    assert (finding.status, finding.detail) == ("deleted", "HTTP 404")
    assert asked == ["relay.example.org"]  # resolved once, never again
    assert local.requests == []
    ((method, path, headers, _form),) = public.requests
    assert (method, path) == ("GET", "/deleted")
    assert headers["Host"] == "relay.example.org"


def test_each_redirect_hop_is_checked_and_pinned_the_same_way(monkeypatch, servers):
    public, local = servers
    asked = resolve_as(
        monkeypatch,
        {
            "relay.example.org": [PUBLIC_IP, "127.0.0.1"],
            "cdn.example.org": [PUBLIC_IP, "127.0.0.1"],
            "intranet.example.org": ["127.0.0.1"],
        },
    )
    public.answers.update(
        {
            "/moved": (301, [("Location", "http://cdn.example.org/gone")]),
            "/gone": (410, ()),
            "/inside": (302, [("Location", "http://intranet.example.org/")]),
        }
    )
    finding = check_url("http://relay.example.org/moved")
    assert (finding.status, finding.detail) == ("deleted", "HTTP 410")
    assert asked == ["relay.example.org", "cdn.example.org"]
    assert [r[2]["Host"] for r in public.requests] == [
        "relay.example.org",
        "cdn.example.org",
    ]
    # A hop whose name resolves into the server's own network is not asked.
    finding = check_url("http://relay.example.org/inside")
    assert (finding.status, finding.detail) == (
        "unknown",
        "its name resolves to a private address",
    )
    assert local.requests == []


def certificate_for(name):
    """A throwaway authority and a certificate it signed for ``name``: PEM
    of the authority, of the certificate and of its key."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def made(subject, issuer, key, signing_key, extensions):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key, key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    authority = made(
        "Test authority",
        "Test authority",
        ca_key,
        ca_key,
        # Python 3.13 verifies strictly (VERIFY_X509_STRICT): an authority
        # names its key and may sign certificates, a leaf names its issuer's.
        [
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
            (
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                True,
            ),
        ],
    )
    certificate = made(
        name,
        "Test authority",
        key,
        ca_key,
        [
            (x509.SubjectAlternativeName([x509.DNSName(name)]), False),
            (
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                False,
            ),
        ],
    )
    pem = serialization.Encoding.PEM
    return (
        authority.public_bytes(pem).decode(),
        certificate.public_bytes(pem),
        key.private_bytes(
            pem,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


@pytest.fixture
def tls_server(monkeypatch, tmp_path):
    """A fake source over https with a certificate for relay.example.org,
    reached by connecting to PUBLIC_IP:443; the check trusts its authority.
    ``server_names`` records the name each client sent for SNI."""
    import ssl

    from wagtail_evidence.archives import source_check

    authority, certificate, key = certificate_for("relay.example.org")
    (tmp_path / "cert.pem").write_bytes(certificate)
    (tmp_path / "key.pem").write_bytes(key)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server_names = []
    server_side.sni_callback = lambda sock, name, context: server_names.append(name)
    fake = fake_archive_services.FakeService(
        fake_archive_services.SourcesHandler, tls=server_side
    )
    fake.server_names = server_names
    guarded_connect = socket.socket.connect

    def connect(sock, address):
        if tuple(address) == (PUBLIC_IP, 443):
            address = fake.server.server_address
        return guarded_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(
        source_check,
        "tls_context",
        lambda: ssl.create_default_context(cadata=authority),
    )
    yield fake
    fake.stop()


def test_https_is_checked_for_the_original_name_at_the_pinned_address(
    monkeypatch, tls_server
):
    """The connection goes to the address checked; TLS sends the original
    name for SNI and checks the certificate against it (it names no
    address, so a check against the address would fail)."""
    asked = resolve_as(monkeypatch, {"relay.example.org": [PUBLIC_IP, "127.0.0.1"]})
    tls_server.answers["/deleted"] = (404, ())
    finding = check_url("https://relay.example.org/deleted")
    assert (finding.status, finding.detail) == ("deleted", "HTTP 404")
    assert asked == ["relay.example.org"]
    assert tls_server.server_names == ["relay.example.org"]
    assert tls_server.requests[0][2]["Host"] == "relay.example.org"


def test_a_certificate_for_another_name_is_refused(monkeypatch, tls_server):
    resolve_as(monkeypatch, {"mirror.example.org": [PUBLIC_IP]})
    finding = check_url("https://mirror.example.org/deleted")
    assert finding.status == "unknown"
    assert finding.detail.startswith("no answer:")
    assert "certificate" in finding.detail.lower()
    assert tls_server.requests == []


@pytest.mark.parametrize(
    "address",
    ["10.0.0.7", "::ffff:127.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:7", "fe80::1"],
)
def test_a_private_address_is_refused_in_whatever_form_it_comes(
    monkeypatch, servers, address
):
    """Mapped, 6to4 and NAT64 forms of a private IPv4 address are private."""
    public, local = servers
    resolve_as(monkeypatch, {"relay.example.org": [address]})
    finding = check_url("http://relay.example.org/")
    assert (finding.status, finding.detail) == (
        "unknown",
        "its name resolves to a private address",
    )
    assert public.requests == local.requests == []


@pytest.mark.parametrize(
    "address", ["64:ff9b::5db8:d70e", "::ffff:93.184.215.14", "2606:4700::1111"]
)
def test_an_ipv6_form_of_a_public_address_is_still_asked(monkeypatch, address):
    """The forms refused above are refused for the address they carry, not
    for their form: one carrying a public address is connected to."""
    connected = []

    def connect(sock, where):
        connected.append(where[0])
        raise ConnectionRefusedError("stand-in")

    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *args, **kwargs: [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port))
        ],
    )
    monkeypatch.setattr(socket.socket, "connect", connect)

    finding = check_url("http://relay.example.org/")

    assert connected == [address]
    assert finding.detail.startswith("no answer")


# SOURCE_CHECK_TIMEOUT: one deadline per address, across all its hops


@pytest.fixture
def slow_source():
    """A fake source on 127.0.0.1 that answers each request with ``answer``
    after ``delay`` seconds, or a byte every ``delay`` seconds when
    ``trickle`` is set; ``requests`` counts the requests it read."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    source = SimpleNamespace(
        address=listener.getsockname(),
        answer=b"",
        delay=0.0,
        trickle=False,
        requests=0,
        stop=threading.Event(),
    )

    def answer(connection):
        with connection:
            connection.recv(65536)
            source.requests += 1
            if not source.trickle:
                source.stop.wait(source.delay)
                connection.sendall(source.answer)
                return
            for byte in source.answer:
                if source.stop.wait(source.delay):
                    return
                connection.sendall(bytes([byte]))

    def serve():
        while not source.stop.is_set():
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    yield source
    source.stop.set()
    server.join(5)
    listener.close()


def pinned_to(monkeypatch, address):
    """Names resolve to a public address; connections reach ``address``."""
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *args, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))
        ],
    )
    real_connect = socket.socket.connect
    monkeypatch.setattr(
        socket.socket, "connect", lambda sock, where: real_connect(sock, address)
    )


def test_the_timeout_holds_across_redirect_hops(monkeypatch, settings, slow_source):
    """Each hop answers a redirect in 0.4 s, within a 1 s timeout; the four
    hops allowed would take 1.6 s, so the check gives up at 1 s (during the
    third, on an idle machine)."""
    settings.WAGTAIL_EVIDENCE = {"SOURCE_CHECK_TIMEOUT": 1}
    slow_source.delay = 0.4
    slow_source.answer = (
        b"HTTP/1.1 302 Found\r\nLocation: /again\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    pinned_to(monkeypatch, slow_source.address)

    started = time.monotonic()
    finding = check_url("http://relay.example.org/")
    took = time.monotonic() - started

    assert (finding.status, finding.detail) == (
        "unknown",
        "no answer within 1 s",
    )
    assert slow_source.requests < 4  # gave up before the hops allowed ran out
    assert 1 <= took < 2


def test_a_source_trickling_through_the_proxy_is_given_up_on_in_time(
    settings, slow_source
):
    """Through the newsroom's proxy too, the timeout bounds the whole answer
    (here the proxy, a fake, relays a source that sends a byte each 0.2 s)."""
    host, port = slow_source.address
    settings.WAGTAIL_EVIDENCE = {
        "SOURCE_CHECK_PROXY": f"http://{host}:{port}",
        "SOURCE_CHECK_TIMEOUT": 1,
    }
    slow_source.trickle, slow_source.delay = True, 0.2
    slow_source.answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"

    started = time.monotonic()
    finding = check_url("http://relay.example.org/")

    assert time.monotonic() - started < 2.5  # the source takes 7.8 s
    assert (finding.status, finding.detail) == (
        "unknown",
        "no answer within 1 s",
    )


def test_a_name_server_that_never_answers_is_given_up_on_by_the_deadline(
    monkeypatch, settings
):
    """The lookup is part of the deadline: a resolver that never answers (here
    one that waits until the test ends) ends the check as unknown, and nothing
    connects."""
    settings.WAGTAIL_EVIDENCE = {"SOURCE_CHECK_TIMEOUT": 0.5}
    released, connections = threading.Event(), []

    def silent_resolver(host, port, *args, **kwargs):
        released.wait(30)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))]

    monkeypatch.setattr(socket, "getaddrinfo", silent_resolver)
    monkeypatch.setattr(
        socket.socket, "connect", lambda sock, address: connections.append(address)
    )
    try:
        finding = check_url("http://relay.example.org/")
    finally:
        released.set()

    assert (finding.status, finding.detail) == ("unknown", "no answer within 0.5 s")
    assert connections == []


@pytest.mark.parametrize(
    "seconds",
    [None, 0, -1, "10", True, float("inf"), float("nan"), 3601, Decimal("10")],
)
def test_a_timeout_that_is_not_a_number_of_seconds_stops_manage_py_check(
    settings, seconds
):
    settings.WAGTAIL_EVIDENCE = {"SOURCE_CHECK_TIMEOUT": seconds}

    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())

    assert (
        f"(wagtail_evidence.E005) WAGTAIL_EVIDENCE['SOURCE_CHECK_TIMEOUT'] is {seconds!r}: "
        "each address a source check asks is given that many seconds, so it must be "
        "a number greater than 0 and at most 3600."
    ) in str(raised.value)


@pytest.mark.parametrize("seconds", [10, 2.5, 3600, Fraction(5, 2)])
def test_a_number_of_seconds_passes_the_check(settings, seconds):
    settings.WAGTAIL_EVIDENCE = {"SOURCE_CHECK_TIMEOUT": seconds}
    out = io.StringIO()
    call_command("check", "--tag", "wagtail_evidence", stdout=out)
    assert "no issues" in out.getvalue()
