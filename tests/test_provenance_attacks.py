"""The provenance work (#14) under attack: hostile files through the import,
hostile addresses and names on their way to readers and the desk, and odd
trust lists. Each test names what must hold; an ``xfail(strict=True)`` one is
a defect found and not fixed yet (its reason says what happens today).

Doors that other test modules already prove are not tried again here
(tests/test_archiver_import.py, test_source_status.py, test_archive_doors.py,
test_content_credentials.py, test_check_trust_anchors.py, test_weburls.py).
"""

import csv
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from tests.exchange_files import (
    csv_file,
    refused_import_stderr,
    run_import,
    upload,
)
from tests.factories import make_evidence
from tests.paths import SOURCE
from wagtail_evidence.archives import tasks
from wagtail_evidence.models import Appearance, ArchivedCopy, SourceCheck


pytestmark = pytest.mark.django_db

MEDIA = "https://t.me/demo_observers/2501"
ARCHIVER_HEADER = [
    "Link",
    "Archive status",
    "Archive location",
    "Archive date",
    "Upload title",
]
WHEN = "2026-12-06T10:15:00+00:00"


def archiver_sheet(*rows):
    """Every cell quoted, so a carriage return stays inside its cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerows([ARCHIVER_HEADER, *rows])
    return out.getvalue()


def archiver_row(location, date=WHEN, link=MEDIA, title=""):
    return [link, "telegram_archiver: success", location, date, title]


@pytest.fixture
def record(users):
    return make_evidence(
        media_url=MEDIA,
        appearances=[Appearance(platform="telegram", account="A channel", url=MEDIA)],
    )


# The import: hostile cells


@pytest.mark.parametrize(
    "location",
    [
        "javascript:alert(document.domain)",
        "data:text/html,<script>alert(1)</script>",
        "https://user:pass@storage.example.org/a.mp4",
        "https://аpple.com/a.mp4",  # a Cyrillic "а"
        "http://127.0.0.1/a.mp4",
        "http://[::ffff:127.0.0.1]/a.mp4",
        "http://169.254.169.254/latest/meta-data/",
        '=HYPERLINK("javascript:alert(1)","click")',
        '=IMAGE("http://127.0.0.1/x.png")',
        "https://storage.example.org/a.mp4\rSet-Cookie: x=1",
    ],
)
def test_a_hostile_archive_location_is_a_line_error_and_nothing_is_written(
    tmp_path, record, location
):
    err = refused_import_stderr(
        tmp_path, archiver_sheet(archiver_row(location)), "--user", "editor"
    )

    assert "line 2: Archive location:" in err
    assert not ArchivedCopy.objects.exists()


@pytest.mark.parametrize("date", ["1e18", "-1e18"])
def test_an_archive_date_out_of_range_is_a_line_error_not_a_crash(
    tmp_path, record, date
):
    err = refused_import_stderr(
        tmp_path,
        archiver_sheet(archiver_row("https://storage.example.org/a.mp4", date)),
        "--user",
        "editor",
    )

    assert "line 2: Archive date:" in err
    assert not ArchivedCopy.objects.exists()


def test_the_admins_preview_of_an_archive_date_out_of_range_names_the_line(
    users, record
):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(users["editor"])

    response = upload(
        client,
        archiver_sheet(archiver_row("https://storage.example.org/a.mp4", "1e18")),
        dry_run="on",
    )

    assert response.status_code == 200
    assert "Archive date" in response.content.decode()


def test_an_archive_address_too_long_to_store_is_a_line_error(tmp_path, record):
    long_address = "https://storage.example.org/" + "a" * 2100

    err = refused_import_stderr(
        tmp_path, archiver_sheet(archiver_row(long_address)), "--user", "editor"
    )

    assert "line 2: Archive location:" in err
    assert not ArchivedCopy.objects.exists()


def test_an_import_cannot_set_a_status_for_an_address_the_record_does_not_have(
    tmp_path, record
):
    content = csv_file(
        ["media_url", "source_statuses"],
        [MEDIA, "https://elsewhere.example.org/post | deleted"],
    )

    err = refused_import_stderr(tmp_path, content, "--user", "verifier")

    assert "line 2: source_statuses[1].url:" in err
    assert not SourceCheck.objects.exists()


def test_an_import_cannot_add_a_copy_of_an_address_the_record_does_not_have(
    tmp_path, record
):
    content = csv_file(
        ["media_url", "archived_copies"],
        [
            MEDIA,
            "https://web.archive.org/web/1/https://elsewhere.example.org/post | "
            f"https://elsewhere.example.org/post | Wayback | {WHEN}",
        ],
    )

    err = refused_import_stderr(tmp_path, content, "--user", "editor")

    assert "line 2: archived_copies[1].url:" in err
    assert not ArchivedCopy.objects.exists()


def test_a_copy_of_the_media_typed_otherwise_reaches_readers(tmp_path, record, users):
    from django.template.loader import render_to_string

    archived = f"https://web.archive.org/web/1/{MEDIA}"
    content = csv_file(
        ["media_url", "archived_copies"],
        [MEDIA, f"{archived} | HTTPS://T.ME/demo_observers/2501 | Wayback | {WHEN}"],
    )
    run_import(tmp_path, content, "--user", "editor")
    tasks.set_status(record, MEDIA, "deleted", users["verifier"])
    item = type(record).objects.get(pk=record.pk)

    html = render_to_string(
        "wagtail_evidence/includes/media_or_archive.html", {"item": item}
    )

    link = BeautifulSoup(html, "html.parser").select_one(".evidence-media__archive a")
    assert link is not None and link["href"] == archived


def test_a_dry_run_of_copies_and_statuses_in_our_own_file_writes_nothing(
    tmp_path, record
):
    content = csv_file(
        ["media_url", "archived_copies", "source_statuses"],
        [
            MEDIA,
            f"https://web.archive.org/web/1/{MEDIA} | {MEDIA} | Wayback | {WHEN}",
            f"{MEDIA} | deleted",
        ],
    )

    out, _err = run_import(tmp_path, content, "--user", "verifier", "--dry-run")

    assert "would be updated" in out
    assert not ArchivedCopy.objects.exists() and not SourceCheck.objects.exists()


def test_a_locked_record_gets_no_copies_or_statuses_from_a_file(
    tmp_path, record, users
):
    record.locked, record.locked_by = True, users["admin"]
    record.save(update_fields=["locked", "locked_by"])
    content = csv_file(
        ["media_url", "archived_copies", "source_statuses"],
        [
            MEDIA,
            f"https://web.archive.org/web/1/{MEDIA} | {MEDIA} | Wayback | {WHEN}",
            f"{MEDIA} | deleted",
        ],
    )

    err = refused_import_stderr(tmp_path, content, "--user", "verifier")

    assert "is locked" in err
    assert not ArchivedCopy.objects.exists() and not SourceCheck.objects.exists()


def test_each_dangerous_address_of_the_security_corpus_is_refused_as_an_archive_location(
    tmp_path, users
):
    """The shared corpus's addresses a reader must never be sent to, each the
    archive location of its own row: each row is a line error of that column."""
    from tests.paths import SECURITY_DATA, SECURITY_DATA_ABSENT
    from tests.test_security_urls import MUST_REFUSE

    corpus = SECURITY_DATA / "bad-urls.jsonl"
    if not corpus.exists():
        pytest.skip(SECURITY_DATA_ABSENT)
    prefixes = tuple(prefix for group in MUST_REFUSE.values() for prefix in group)
    hostile = [
        case["url"]
        for case in map(json.loads, corpus.read_text().splitlines())
        if case["category"].lower().startswith(prefixes)
    ]
    assert len(hostile) >= 30  # the corpus as CONTRIBUTING.md describes it
    rows = [
        archiver_row(url, link=f"https://news.example.org/story/{number}")
        for number, url in enumerate(hostile)
    ]

    err = refused_import_stderr(tmp_path, archiver_sheet(*rows), "--user", "editor")

    # One error a row (a cell holding a line break spans two lines of the file).
    refused = set(re.findall(r"line (\d+): Archive location:", err))
    assert len(refused) == len(hostile)
    assert not ArchivedCopy.objects.exists()


def test_confirming_a_preview_never_overwrites_a_status_the_desk_set_since(
    login, record, users
):
    from tests.exchange_files import IMPORT_URL, confirmation

    client = login("verifier")
    content = csv_file(["media_url", "source_statuses"], [MEDIA, f"{MEDIA} | deleted"])
    preview = upload(client, content, dry_run="on")
    assert "would be updated" in preview.content.decode()
    # A colleague finds the source is there after all, on the Sources page.
    tasks.set_status(record, MEDIA, "available", users["admin"])

    done = client.post(IMPORT_URL, confirmation(preview.content.decode()))

    assert SourceCheck.objects.get().status == "available"
    assert "The records changed since the preview" in done.content.decode()


# Exports: what a spreadsheet would run


def test_no_exported_cell_starts_a_formula_whatever_the_archiver_and_services_wrote(
    tmp_path, users
):
    """A title, a service name and addresses from a hostile sheet and file,
    exported again: no cell of the CSV starts as a formula would."""
    run_import(
        tmp_path,
        archiver_sheet(
            archiver_row(
                "https://storage.example.org/a.mp4",
                title='=HYPERLINK("https://evil.example","x")',
            )
        ),
        "--user",
        "verifier",
    )
    run_import(
        tmp_path,
        csv_file(
            ["media_url", "archived_copies", "source_statuses"],
            [
                MEDIA,
                f"https://web.archive.org/web/1/x | {MEDIA} | @SUM(1+1)*cmd | {WHEN}",
                f"{MEDIA} | deleted",
            ],
        ),
        "--user",
        "verifier",
    )
    assert ArchivedCopy.objects.filter(service__startswith="@").exists()

    out = io.StringIO()
    call_command("export_evidence", "--format", "csv", stdout=out)

    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert any("=HYPERLINK" in cell for cell in cells)
    assert [
        cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")
    ] == []


# Readers: the archived copy of a gone source


@pytest.mark.parametrize(
    "language, words, date",
    [
        ("en", "See the archived copy on web.archive.org", "Oct. 3, 2020"),
        ("fr", "Voir la copie archivée sur web.archive.org", "3 octobre 2020"),
        ("ar", "عرض النسخة المؤرشفة على web.archive.org", "أكتوبر"),
    ],
)
def test_readers_get_the_archived_copy_as_a_safe_link_with_its_date_in_their_language(
    users, record, language, words, date
):
    """The reader's include, as a page in that language renders it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    copy = ArchivedCopy.objects.create(
        evidence=record,
        captured_url=MEDIA,
        archive_url=f"https://web.archive.org/web/20201003120000/{MEDIA}?a=1&b=2",
        service="<b>Internet Archive</b>",
        captured_at=datetime(2020, 10, 3, 12, tzinfo=UTC),
    )
    tasks.set_status(record, MEDIA, "deleted", users["verifier"])
    item = type(record).objects.get(pk=record.pk)

    with translation.override(language):
        html = render_to_string(
            "wagtail_evidence/includes/media_or_archive.html", {"item": item}
        )

    page = BeautifulSoup(html, "html.parser")
    (link,) = page.select(".evidence-media__archive a")
    assert link["href"] == copy.archive_url
    assert "&amp;b=2" in html  # escaped in the attribute
    assert set(link["rel"]) >= {"noopener", "noreferrer"}
    text = " ".join(link.get_text().split())
    assert words in text and date in text
    assert "<b>" not in html


# Content Credentials: the signer's words in the admin, an odd trust list


def test_the_admin_panel_escapes_and_isolates_what_a_hostile_manifest_says(login):
    pytest.importorskip("c2pa", reason='needs "wagtail-evidence[c2pa]"')
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from tests import c2pa_signing
    from tests.test_admin_evidence import edit_url

    chain = c2pa_signing.make_chain(
        signer="<b>\u202eEvil</b>", organisation="<i>Org\u2067</i>"
    )
    hostile = c2pa_signing.sign(
        c2pa_signing.small_jpeg(),
        chain,
        c2pa_signing.manifest(tool="<img src=x onerror=alert(1)>", edited_with="<s>"),
    )
    document = get_document_model().objects.create(
        title="Hostile", file=ContentFile(hostile, name="hostile.jpg")
    )
    evidence = make_evidence(title="Convoy in Horadiz", original_file=document)

    html = login("editor").get(edit_url(evidence)).content.decode()

    start = html.index('class="evidence-content-credentials"')
    panel = html[start : html.index("</section>", start)]
    assert "<b>" not in panel and "<img" not in panel and "<s>" not in panel
    assert "<bdi>&lt;b&gt;\u202eEvil&lt;/b&gt;</bdi>" in panel
    assert "<bdi>&lt;img src=x onerror=alert(1)&gt;" in panel


def test_a_trust_list_that_never_ends_is_an_error_not_a_hang(tmp_path):
    """The setting names a link to /dev/zero: ``manage.py check`` says the file
    cannot be used, in bounded time and memory. Run in a child process with
    its address space capped, so that today's behaviour harms nothing."""
    import resource

    anchors = tmp_path / "anchors.pem"
    anchors.symlink_to("/dev/zero")
    (tmp_path / "endless_anchors_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        f"WAGTAIL_EVIDENCE = {{'C2PA_TRUST_ANCHORS': {str(anchors)!r}}}\n"
    )
    cap = 1536 * 2**20

    def capped():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    root = str(SOURCE)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--settings",
            "endless_anchors_settings",
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), root])},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=capped,  # noqa: PLW1509 - only sets a limit
    )

    assert "MemoryError" not in done.stderr
    assert "wagtail_evidence.E002" in done.stderr


def test_a_trust_list_with_utf8_comments_is_accepted(tmp_path, settings):
    from django.core.checks import run_checks

    from tests import c2pa_signing
    from wagtail_evidence import checks

    root = c2pa_signing.make_chain(organisation="Desk").root_pem
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes("# Főtanúsítvány\n".encode() + root)
    settings.WAGTAIL_EVIDENCE = {"C2PA_TRUST_ANCHORS": str(anchors)}

    messages = [
        message.id
        for message in run_checks(tags=[checks.TAG], databases=[])
        if message.id.startswith("wagtail_evidence.E")
    ]

    assert messages == []


# Source checks: where the pinned connection may go, and for how long


@pytest.mark.parametrize("address", ["64:ff9b:1::a00:7", "::ffff:0:a00:7", "::a00:7"])
def test_other_ipv6_forms_of_a_private_address_are_refused(monkeypatch, address):
    from wagtail_evidence.archives.source_check import check_url

    resolve_as(monkeypatch, {"relay.example.org": [address]})
    connected = []
    monkeypatch.setattr(
        socket.socket, "connect", lambda sock, where: connected.append(where)
    )

    finding = check_url("http://relay.example.org/")

    assert connected == []
    assert (finding.status, finding.detail) == (
        "unknown",
        "its name resolves to a private address",
    )


def test_a_source_that_trickles_its_answer_is_given_up_on_in_time(
    monkeypatch, settings
):
    """A fake source on 127.0.0.1 sends its status line a byte every 0.2 s
    for 6 s; with a 1 s timeout the check must give up long before."""
    from wagtail_evidence.archives.source_check import check_url

    settings.WAGTAIL_EVIDENCE = {"SOURCE_CHECK_TIMEOUT": 1}
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            deadline = time.monotonic() + 6
            for byte in itertools.cycle(b"HTTP/1.1 200 OK"):
                if stop.is_set() or time.monotonic() > deadline:
                    break
                connection.sendall(bytes([byte]))
                time.sleep(0.2)

    server = threading.Thread(target=trickle, daemon=True)
    server.start()
    resolve_as(monkeypatch, {"relay.example.org": ["93.184.215.14"]})
    real_connect = socket.socket.connect
    monkeypatch.setattr(
        socket.socket,
        "connect",
        lambda sock, where: real_connect(sock, listener.getsockname()),
    )
    started = time.monotonic()
    try:
        finding = check_url("http://relay.example.org/")
    finally:
        stop.set()
        server.join(10)
        listener.close()

    assert time.monotonic() - started < 3
    assert finding.status == "unknown"


def resolve_as(monkeypatch, answers):
    """socket.getaddrinfo answering each name with its addresses (as
    tests/test_source_status.py's, without the rebinding)."""

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
