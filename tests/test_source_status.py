"""Source status: the desk's by hand (and only the desk's, on every path), or
found by "Check sources" from what each address answers, against fake
sources on 127.0.0.1; a check never overrides the desk."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import fake_archive_services
from tests.factories import make_evidence
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
    import socket

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
