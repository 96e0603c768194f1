"""Bellingcat's auto-archiver's sheet through the import, as a desk runs it
(the command) and as an editor uploads it (the admin): each row finds its
record by its link, or makes a draft; its copies become archived copies; its
hash the record's SHA-256 where it has none. All or nothing, dry run,
"line N: column: reason", and a second import of the same file changes nothing."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Revision

from tests.admin_forms import form_data
from tests.exchange_files import (
    IMPORT_URL,
    confirmation,
    csv_file,
    refused_import_stderr,
    run_import,
    state,
    upload,
)
from tests.factories import make_evidence
from wagtail_evidence.models import Appearance, ArchivedCopy, Evidence, SourceCheck


pytestmark = pytest.mark.django_db

DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
OTHER_DIGEST = "0" * 64
HEADER = [
    "Link",
    "Archive status",
    "Archive location",
    "Archive date",
    "Upload timestamp",
    "Upload title",
    "Hash",
    "Screenshot",
    "Thumbnail",
    "WACZ",
]
MEDIA = "https://t.me/demo_observers/2501"
RELAY = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
NEWS = "https://news.example.org/2020/10/convoy"


def sheet_row(link, title="", digest=DIGEST, folder="aa"):
    """A row as the auto-archiver writes it into its Google Sheet."""
    store = f"https://storage.example.org/{folder}"
    return [
        link,
        "telegram_archiver: success",
        f"{store}/video.mp4\n{store}/page.html",
        "2026-12-06T10:15:00+00:00",
        "2020-09-27T08:00:00+00:00",
        title,
        f"SHA-256:{digest}" if digest else "",
        f"{store}/screenshot.png",
        f'=IMAGE("{store}/thumb.jpg")',
        f"{store}/capture.wacz",
    ]


def sheet(*rows):
    return csv_file(HEADER, *rows)


def everything():
    """What an import could write, archived copies included."""
    return (*state(), ArchivedCopy.objects.count(), Appearance.objects.count())


@pytest.fixture
def record(users):
    """A published record, relayed on YouTube."""
    return make_evidence(
        media_url=MEDIA,
        appearances=[
            Appearance(platform="telegram", account="A channel", url=MEDIA),
            Appearance(platform="youtube", account="A relay", url=RELAY, sort_order=1),
        ],
    )


def test_a_link_no_record_has_makes_a_draft_with_its_appearance_copies_and_hash(
    tmp_path, users
):
    out, _err = run_import(
        tmp_path, sheet(sheet_row(NEWS, "Convoy in Horadiz")), "--user", "editor"
    )

    assert "1 created, 0 updated, 0 unchanged." in out
    evidence = Evidence.objects.get()
    # A draft the desk has not looked at: the import sets none of its fields.
    assert (evidence.live, evidence.verdict, evidence.location_status) == (
        False,
        "pending",
        "unchecked",
    )
    assert (evidence.title, evidence.media_url, evidence.display) == (
        "Convoy in Horadiz",
        NEWS,
        "link",  # no provider plays a news site's page
    )
    assert (evidence.original_file_sha256, evidence.original_file_hashed_from) == (
        DIGEST,
        "auto-archiver",
    )
    appearance = evidence.appearances.get()
    assert (appearance.platform, appearance.url, str(appearance.first_seen)) == (
        "other",
        NEWS,
        "2020-09-27",
    )
    copies = list(evidence.archived_copies.all())  # newest first, as readers get them
    assert [copy.archive_url for copy in copies] == [
        "https://storage.example.org/aa/video.mp4",
        "https://storage.example.org/aa/page.html",
        "https://storage.example.org/aa/screenshot.png",
        "https://storage.example.org/aa/thumb.jpg",
        "https://storage.example.org/aa/capture.wacz",
    ]
    assert {(c.service, c.captured_url, c.captured_at.isoformat()) for c in copies} == {
        ("auto-archiver", NEWS, "2026-12-06T10:15:00+00:00")
    }


def test_importing_the_same_sheet_twice_changes_nothing_the_second_time(
    tmp_path, record
):
    content = sheet(sheet_row(MEDIA), sheet_row(NEWS, "A news page", folder="bb"))
    run_import(tmp_path, content, "--user", "editor")
    before = everything()

    out, _err = run_import(tmp_path, content, "--user", "editor")

    assert "0 created, 0 updated, 2 unchanged." in out
    assert everything() == before


def test_a_dry_run_writes_nothing(tmp_path, record):
    before = everything()

    out, _err = run_import(
        tmp_path,
        sheet(sheet_row(MEDIA), sheet_row(NEWS, "News")),
        "--user",
        "editor",
        "--dry-run",
    )

    assert "line 2: would be updated" in out and "archived_copies" in out
    # Line 4: the archive location cell above holds two lines.
    assert "line 4: would be created" in out
    assert everything() == before


def test_the_media_address_given_otherwise_finds_the_record_and_fills_its_hash(
    tmp_path, record
):
    revisions = Revision.objects.count()
    link = "HTTPS://T.ME/demo_observers/2501#top"  # the same post, typed otherwise

    out, _err = run_import(tmp_path, sheet(sheet_row(link)), "--user", "editor")

    assert "0 created, 1 updated" in out
    assert Evidence.objects.count() == 1
    draft = Evidence.objects.get().get_latest_revision_as_object()
    assert draft.original_file_sha256 == DIGEST
    # The desk's fields are as the desk left them.
    assert (draft.verdict, draft.location_status) == ("verified", "confirmed")
    assert Revision.objects.count() == revisions + 1
    # The copies name the address as the record has it: the reader finds them.
    assert set(record.archived_copies.values_list("captured_url", flat=True)) == {MEDIA}
    assert record.archived_copies.count() == 5


def test_the_media_link_becomes_an_appearance_when_none_has_it(tmp_path, users):
    evidence = make_evidence(
        media_url=MEDIA, appearances=[Appearance(platform="x", account="Someone")]
    )

    run_import(tmp_path, sheet(sheet_row(MEDIA)), "--user", "editor")

    evidence.refresh_from_db()
    draft = evidence.get_latest_revision_as_object()
    assert [
        (a.platform, a.url, str(a.first_seen)) for a in draft.appearances.all()
    ] == [
        ("x", "", "None"),
        ("telegram", MEDIA, "2020-09-27"),
    ]


def test_readers_of_a_gone_source_get_the_archived_media_the_sheet_listed(
    tmp_path, record, client, users
):
    from bs4 import BeautifulSoup

    from tests.factories import evidence_block, make_article
    from wagtail_evidence.archives import tasks

    run_import(
        tmp_path,
        sheet(sheet_row("http://t.me/demo_observers/2501")),
        "--user",
        "editor",
    )
    tasks.set_status(record, MEDIA, "deleted", users["verifier"])
    article = make_article([evidence_block(Evidence.objects.get(pk=record.pk))])

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    link = page.select_one(".evidence-media__archive a")
    assert link["href"] == "https://storage.example.org/aa/video.mp4"


def test_an_appearances_link_adds_its_copies_only(tmp_path, record):
    revisions = Revision.objects.count()

    out, _err = run_import(
        tmp_path, sheet(sheet_row(RELAY, digest=OTHER_DIGEST)), "--user", "editor"
    )

    assert "0 created, 1 updated" in out
    # Copies sit beside the record: no revision, and the relay's file (a
    # platform's re-encoding) is not the record's original.
    assert Revision.objects.count() == revisions
    record.refresh_from_db()
    assert record.original_file_sha256 == "" and not record.has_unpublished_changes
    assert set(record.archived_copies.values_list("captured_url", flat=True)) == {RELAY}


def test_the_history_says_which_copies_a_file_brought_and_only_once(
    tmp_path, record, login
):
    content = sheet(sheet_row(RELAY))
    run_import(tmp_path, content, "--user", "editor")
    run_import(tmp_path, content, "--user", "editor")  # nothing new the second time

    history = (
        login("editor")
        .get(
            reverse(
                "wagtailsnippets_wagtail_evidence_evidence:history", args=[record.pk]
            )
        )
        .content.decode()
    )
    # The media, its page, the screenshot, the thumbnail and the WACZ.
    assert history.count("5 archived copies imported from a file.") == 1
    assert (
        "https://storage.example.org/aa/video.mp4 https://storage.example.org/aa/page.html"
        in history
    )


def test_an_appearance_only_in_the_latest_draft_finds_its_record(tmp_path, record):
    draft = record.get_latest_revision_as_object()
    draft.appearances.add(Appearance(platform="other", url=NEWS, sort_order=2))
    draft.save_revision()  # a draft: the live row does not have it

    out, _err = run_import(tmp_path, sheet(sheet_row(NEWS)), "--user", "editor")

    assert "0 created, 1 updated" in out
    assert Evidence.objects.count() == 1
    assert set(record.archived_copies.values_list("captured_url", flat=True)) == {NEWS}


def test_a_link_two_records_have_is_an_error_and_nothing_is_written(tmp_path, record):
    make_evidence(
        title="Another record",
        media_url="https://t.me/demo_observers/2600",
        appearances=[Appearance(platform="youtube", url=RELAY)],
    )
    before = everything()

    err = refused_import_stderr(
        tmp_path,
        sheet(sheet_row(NEWS, "Fine on its own"), sheet_row(RELAY)),
        "--user",
        "editor",
        match="1 row with errors",
    )

    assert "line 4: Link: 2 records have this address" in err
    assert "Another record" in err
    assert everything() == before  # the good row is not written either


def test_a_different_hash_is_a_line_error_never_an_overwrite(tmp_path, record):
    run_import(tmp_path, sheet(sheet_row(MEDIA)), "--user", "editor")
    before = everything()

    err = refused_import_stderr(
        tmp_path,
        sheet(sheet_row(MEDIA, digest=OTHER_DIGEST, folder="cc")),
        "--user",
        "editor",
    )

    assert f"line 2: Hash: The record's SHA-256 is {DIGEST}" in err
    assert everything() == before
    draft = Evidence.objects.get().get_latest_revision_as_object()
    assert draft.original_file_sha256 == DIGEST


def test_the_archivers_hash_survives_publication(tmp_path, users):
    run_import(tmp_path, sheet(sheet_row(NEWS, "News")), "--user", "verifier")
    evidence = Evidence.objects.get()

    evidence.latest_revision.publish()

    evidence.refresh_from_db()
    assert evidence.live and evidence.original_file_sha256 == DIGEST


def test_a_link_given_twice_is_an_error(tmp_path, users):
    err = refused_import_stderr(
        tmp_path,
        sheet(sheet_row(NEWS), sheet_row(NEWS + "#again", folder="bb")),
        "--user",
        "editor",
    )

    assert "line 4: Link: This address is also on line 2." in err
    assert not Evidence.objects.exists()


def test_a_failed_archive_names_its_line_and_column(tmp_path, users):
    row = sheet_row(NEWS)
    row[1] = "Archive failed timeout"

    err = refused_import_stderr(tmp_path, sheet(row), "--user", "editor")

    assert "line 2: Archive status: The auto-archiver says it failed" in err
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["Link", "Archive status", "media_url"], "mixes the import's own columns"),
        (["Link", "Archive locaton"], "“Archive locaton” is not a column"),
        (["Archive status", "Archive location"], "needs its “link” column"),
        (["Link", "url"], "not both"),
    ],
)
def test_a_header_that_is_not_clearly_the_archivers_is_refused(
    tmp_path, users, header, message
):
    err = refused_import_stderr(
        tmp_path,
        csv_file(header, [NEWS] + [""] * (len(header) - 1)),
        "--user",
        "editor",
        match="the file cannot be read",
    )

    assert "line 1: " in err and message in err
    assert not Evidence.objects.exists()


def test_the_sheets_unused_columns_are_accepted(tmp_path, users):
    content = csv_file(
        ["Link", "Archive status", "Text content", "Perceptual hashes"],
        [NEWS, "", "A post's text", "abc"],
    )

    out, _err = run_import(tmp_path, content, "--user", "editor")

    assert "1 created" in out
    assert Evidence.objects.get().title == NEWS  # no title: the link stands for it


def test_only_someone_who_may_change_records_adds_copies(tmp_path, record, users):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("reader", "reader@example.org", "x")
    from django.contrib.auth.models import Permission

    reader = get_user_model().objects.get(username="reader")
    reader.user_permissions.add(
        Permission.objects.get(
            codename="add_evidence", content_type__app_label="wagtail_evidence"
        )
    )

    err = refused_import_stderr(tmp_path, sheet(sheet_row(RELAY)), "--user", "reader")

    assert "line 2: You may not change evidence records." in err
    assert not ArchivedCopy.objects.exists()


# The admin


def test_an_editor_previews_then_confirms_an_archiver_sheet(login, record):
    client = login("editor")
    content = sheet(sheet_row(RELAY), sheet_row(NEWS, "A news page", folder="bb"))

    preview = upload(client, content, dry_run="on")

    html = preview.content.decode()
    assert "would be updated" in html and "would be created" in html
    assert not ArchivedCopy.objects.exists()
    done = client.post(IMPORT_URL, confirmation(html))
    assert done.status_code == 200 and "What was imported" in done.content.decode()
    assert ArchivedCopy.objects.filter(evidence=record).count() == 5
    assert Evidence.objects.get(media_url=NEWS).archived_copies.count() == 5


def test_the_admin_reports_an_archiver_rows_error_by_line_and_column(login, record):
    response = upload(login("editor"), sheet(sheet_row(MEDIA, digest="SHA3-512")))

    html = response.content.decode()
    assert response.status_code == 200 and "Hash" in html
    assert not ArchivedCopy.objects.exists()


# Our own export carries what is beside the record, and reads it back


def export(file_format):
    out = io.StringIO()
    call_command("export_evidence", "--format", file_format, stdout=out)
    return out.getvalue()


def copies_in(copies):
    """An ArchivedCopy queryset as comparable tuples, in a stable order."""
    return sorted(
        copies.values_list("archive_url", "captured_url", "service", "captured_at")
    )


def moved_to_another_site(tmp_path, content, file_format):
    """The records gone, then ``content`` imported as another site would: the
    record it makes."""
    Evidence.objects.all().delete()
    run_import(tmp_path, content, "--user", "verifier", name=f"evidence.{file_format}")
    return Evidence.objects.get()


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_export_carries_copies_and_the_desks_statuses_back_into_a_new_site(
    tmp_path, record, file_format
):
    run_import(tmp_path, sheet(sheet_row(RELAY)), "--user", "verifier")
    SourceCheck.objects.create(
        evidence=record, url=MEDIA, status="deleted", set_by="desk"
    )
    # A status a check found is the check's to find again: not exported.
    SourceCheck.objects.create(
        evidence=record, url=RELAY, status="available", set_by="check"
    )
    content = export(file_format)
    copies = copies_in(ArchivedCopy.objects.all())

    # Another site: the same file makes the same record, with its copies and
    # the desk's status.
    evidence = moved_to_another_site(tmp_path, content, file_format)

    assert copies_in(evidence.archived_copies) == copies
    assert list(evidence.source_checks.values_list("url", "status", "set_by")) == [
        (MEDIA, "deleted", "desk")
    ]
    assert export(file_format) == content  # and it exports as it came in
    out, _err = run_import(
        tmp_path, content, "--user", "verifier", name=f"evidence.{file_format}"
    )
    assert "0 created, 0 updated, 1 unchanged." in out


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_export_leaves_out_what_belongs_to_an_address_the_record_no_longer_has(
    tmp_path, record, file_format
):
    """The relay was archived and given a status, then removed from the record:
    its copies and status stay in the database, but the file, which an import
    would refuse them in, carries only those of the record's own addresses."""
    run_import(
        tmp_path,
        sheet(sheet_row(RELAY), sheet_row(MEDIA, folder="bb")),
        "--user",
        "verifier",
    )
    SourceCheck.objects.create(
        evidence=record, url=RELAY, status="deleted", set_by="desk"
    )
    SourceCheck.objects.create(
        evidence=record, url=MEDIA, status="geo_blocked", set_by="desk"
    )
    latest = Evidence.objects.get(pk=record.pk).get_latest_revision_as_object()
    latest.appearances = [a for a in latest.appearances.all() if a.url != RELAY]
    latest.save_revision().publish()
    kept = copies_in(record.archived_copies.filter(captured_url=MEDIA))
    assert len(kept) == 5 and record.archived_copies.count() == 10

    content = export(file_format)

    assert RELAY not in content
    evidence = moved_to_another_site(tmp_path, content, file_format)
    assert copies_in(evidence.archived_copies) == kept
    assert list(evidence.source_checks.values_list("url", "status", "set_by")) == [
        (MEDIA, "geo_blocked", "desk")
    ]


def test_an_export_carries_no_status_readers_do_not_get(tmp_path, record):
    """A status kept for the media's address as typed before an edit (another
    spelling of the same post) is not what readers get, so the file, which
    would give it to them on another site, leaves it out."""
    SourceCheck.objects.create(
        evidence=record,
        url=MEDIA.replace("t.me", "T.ME"),
        status="deleted",
        set_by="desk",
    )

    assert "deleted" not in export("csv")


def test_only_the_desk_sets_a_source_status_by_import(tmp_path, record):
    content = csv_file(["media_url", "source_statuses"], [MEDIA, f"{MEDIA} | deleted"])

    err = refused_import_stderr(tmp_path, content, "--user", "editor")

    assert (
        "line 2: source_statuses[1].status: Only the verification desk can set "
        "the status of a source." in err
    )
    assert not SourceCheck.objects.exists()
    out, _err = run_import(tmp_path, content, "--user", "verifier")
    assert "0 created, 1 updated" in out
    assert SourceCheck.objects.get().status == "deleted"
    assert record.revisions.count() == 1  # beside the record: no new revision


def test_a_bad_copy_in_our_own_file_names_its_field(tmp_path, record):
    content = csv_file(
        ["media_url", "archived_copies"],
        [MEDIA, "javascript:alert(1) | https://t.me/a/1 | x | yesterday"],
    )

    err = refused_import_stderr(tmp_path, content, "--user", "editor")

    assert "line 2: archived_copies[1].archive_url:" in err
    assert "line 2: archived_copies[1].captured_at:" in err
    assert not ArchivedCopy.objects.exists()


# What a row may add beside a record


WHEN = "2026-12-06T10:15:00+00:00"


def copies_cell(count, of=MEDIA):
    """Our own file's archived_copies cell: ``count`` copies of ``of``."""
    return "\n".join(
        f"https://web.archive.org/web/{n}/{MEDIA} | {of} | Wayback | {WHEN}"
        for n in range(1, count + 1)
    )


def test_a_row_of_our_own_file_adds_fifty_archived_copies_at_most(tmp_path, record):
    content = csv_file(["media_url", "archived_copies"], [MEDIA, copies_cell(51)])

    err = refused_import_stderr(tmp_path, content, "--user", "editor")

    assert (
        "line 2: archived_copies: A row adds 50 archived copies at most; "
        "this one would add 51." in err
    )
    assert not ArchivedCopy.objects.exists()
    content = csv_file(["media_url", "archived_copies"], [MEDIA, copies_cell(50)])
    out, _err = run_import(tmp_path, content, "--user", "editor")
    assert "0 created, 1 updated" in out
    assert record.archived_copies.count() == 50


def test_an_archiver_row_adds_fifty_archived_copies_at_most(tmp_path, users):
    row = sheet_row(NEWS)
    row[2] = "\n".join(f"https://storage.example.org/aa/{n}.mp4" for n in range(51))
    row[7:] = ["", "", ""]  # the archive location's copies only

    err = refused_import_stderr(tmp_path, sheet(row), "--user", "editor")

    assert (
        "line 2: Archive location: A row adds 50 archived copies at most; "
        "this one would add 51." in err
    )
    assert not Evidence.objects.exists() and not ArchivedCopy.objects.exists()


def test_a_status_for_the_media_typed_otherwise_is_set_on_the_records_address(
    tmp_path, record
):
    content = csv_file(
        ["media_url", "source_statuses"],
        [MEDIA, "HTTPS://T.ME/demo_observers/2501#top | deleted"],
    )

    run_import(tmp_path, content, "--user", "verifier")

    # Where the Sources page and the reader look the status up.
    assert list(SourceCheck.objects.values_list("url", "status", "set_by")) == [
        (MEDIA, "deleted", "desk")
    ]


def test_a_status_for_an_appearance_the_row_adds_is_accepted(tmp_path, users):
    """A new record's own addresses are those its row gives it: the export of
    one site imports into another with its statuses."""
    content = csv_file(
        ["media_url", "title", "display", "appearance_url", "source_statuses"],
        [NEWS, "A news page", "link", RELAY, f"{RELAY} | geo_blocked"],
    )

    run_import(tmp_path, content, "--user", "verifier")

    assert list(SourceCheck.objects.values_list("url", "status")) == [
        (RELAY, "geo_blocked")
    ]


def test_a_locked_record_gets_no_copies_from_an_archiver_row_for_its_appearance(
    tmp_path, record, users
):
    record.locked, record.locked_by = True, users["admin"]
    record.save(update_fields=["locked", "locked_by"])

    err = refused_import_stderr(tmp_path, sheet(sheet_row(RELAY)), "--user", "editor")

    assert "line 2: “" in err and "is locked" in err
    assert not ArchivedCopy.objects.exists()
    # The editor who holds the lock may.
    out, _err = run_import(tmp_path, sheet(sheet_row(RELAY)), "--user", "admin")
    assert "0 created, 1 updated" in out


# A file attached later: its hash does not silently take the archiver's place,
# on any path (models.custody), and only the desk may say it should.

OTHER_FILE = b"re-encoded"


def capture(payload, name="capture.mp4"):
    return get_document_model().objects.create(
        title="Capture", file=ContentFile(payload, name=name)
    )


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def archived_then_edited(tmp_path, login, payload, user="editor"):
    """A record the auto-archiver's sheet made, with the archiver's hash (of
    b"test"), and its edit form in ``user``'s browser with ``payload`` attached
    as the original file: (client, record, form data)."""
    run_import(
        tmp_path, sheet(sheet_row(NEWS, "Convoy in Horadiz")), "--user", "editor"
    )
    evidence = Evidence.objects.get()
    client = login(user)
    data = form_data(client.get(edit_url(evidence)))
    data["original_file"] = str(capture(payload).pk)
    return client, evidence, data


def latest(evidence):
    return Evidence.objects.get(pk=evidence.pk).get_latest_revision_as_object()


def refusal(attached):
    return (
        f"This file's SHA-256 is {attached}; the auto-archiver recorded {DIGEST} "
        "for the file it captured, so they are not the same file. Attach the file "
        "the archiver captured. Only the verification desk may keep this one "
        "instead, with “Replace the auto-archiver's SHA-256 with this file's” "
        "under Chain of custody."
    )


def history(client, evidence):
    return client.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[evidence.pk])
    ).content.decode()


def test_a_file_whose_hash_is_not_the_archivers_is_refused_with_both_hashes(
    tmp_path, login
):
    client, evidence, data = archived_then_edited(tmp_path, login, OTHER_FILE)
    data["title"] = "Convoy in Horadiz, near the bridge"

    response = client.post(edit_url(evidence), data)

    assert response.status_code == 200  # the form again, with what was typed
    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    assert response.context["form"].errors["original_file"] == [refusal(attached)]
    assert "Convoy in Horadiz, near the bridge" in response.content.decode()
    draft = latest(evidence)
    assert (draft.original_file_id, draft.original_file_sha256) == (None, DIGEST)
    assert draft.original_file_hashed_from == "auto-archiver"


def test_the_archivers_own_file_confirms_its_hash_which_then_outlives_a_swap_and_a_detach(
    tmp_path, login
):
    client, evidence, data = archived_then_edited(tmp_path, login, b"test")
    assert "replace_archiver_hash" not in data  # an editor is not offered it

    assert client.post(edit_url(evidence), data).status_code == 302
    draft = latest(evidence)
    assert draft.original_file_sha256 == DIGEST
    assert draft.original_file_hashed_from.startswith(
        f"auto-archiver:{draft.original_file_id}:"
    )
    assert not draft.original_file_changed

    # Another file in its place is still refused: the archiver's hash stands.
    data = form_data(client.get(edit_url(evidence)))
    data["original_file"] = str(capture(OTHER_FILE, "other.mp4").pk)
    response = client.post(edit_url(evidence), data)
    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    assert response.context["form"].errors["original_file"] == [refusal(attached)]

    # Detaching the file keeps the archiver's hash.
    data["original_file"] = ""
    assert client.post(edit_url(evidence), data).status_code == 302
    draft = latest(evidence)
    assert (draft.original_file_id, draft.original_file_sha256) == (None, DIGEST)
    assert draft.original_file_hashed_from == "auto-archiver"


def test_the_desk_may_replace_the_archivers_hash_and_the_history_keeps_both(
    tmp_path, login
):
    client, evidence, data = archived_then_edited(
        tmp_path, login, OTHER_FILE, user="verifier"
    )
    data["replace_archiver_hash"] = "on"

    assert client.post(edit_url(evidence), data).status_code == 302

    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    draft = latest(evidence)
    assert (draft.original_file_sha256, draft.original_file_hashed_from) == (
        attached,
        f"{draft.original_file_id}:{draft.original_file.file_hash or draft.original_file.file.name}",
    )
    assert (
        f"The original file attached has SHA-256 {attached}; it replaces {DIGEST}, "
        "which the auto-archiver recorded for the file it captured."
    ) in history(client, evidence)


def test_a_desk_copy_may_replace_the_archivers_hash_and_the_copys_history_keeps_both(
    tmp_path, login
):
    """The copy starts with the original's custody (the archiver's hash stands
    on it too); a copy is created, so the replacement is logged on creation."""
    client, evidence, edited = archived_then_edited(
        tmp_path, login, OTHER_FILE, user="verifier"
    )
    copy_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:copy", args=[evidence.pk]
    )
    data = form_data(client.get(copy_url))
    data["media_url"] = "https://t.me/demo_observers/2534"  # the copy's own media
    data["original_file"] = edited["original_file"]
    attached = hashlib.sha256(OTHER_FILE).hexdigest()

    response = client.post(copy_url, data)  # without the box: refused
    assert response.context["form"].errors["original_file"] == [refusal(attached)]
    assert Evidence.objects.count() == 1

    data["replace_archiver_hash"] = "on"
    assert client.post(copy_url, data).status_code == 302

    copy = Evidence.objects.exclude(pk=evidence.pk).get()
    assert latest(copy).original_file_sha256 == attached
    assert (
        f"The original file attached has SHA-256 {attached}; it replaces {DIGEST}, "
        "which the auto-archiver recorded for the file it captured."
    ) in history(client, copy)
    assert latest(evidence).original_file_sha256 == DIGEST  # the original's stands
    assert "it replaces" not in history(client, evidence)


def test_an_editor_who_ticks_the_box_anyway_is_refused(tmp_path, login):
    client, evidence, data = archived_then_edited(tmp_path, login, OTHER_FILE)
    data["replace_archiver_hash"] = "on"  # not offered to an editor: posted by hand

    response = client.post(edit_url(evidence), data)

    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    assert response.context["form"].errors["original_file"] == [refusal(attached)]
    assert latest(evidence).original_file_sha256 == DIGEST


def test_the_choice_is_offered_to_the_desk_only_where_the_archivers_hash_stands(
    tmp_path, login
):
    _client, evidence, _data = archived_then_edited(tmp_path, login, b"test")
    desk = login("verifier")
    assert (
        'name="replace_archiver_hash"' in desk.get(edit_url(evidence)).content.decode()
    )
    editor = login("editor")
    assert (
        'name="replace_archiver_hash"'
        not in editor.get(edit_url(evidence)).content.decode()
    )
    other = make_evidence(media_url=MEDIA)
    assert (
        'name="replace_archiver_hash"' not in desk.get(edit_url(other)).content.decode()
    )


def filed_before_the_archiver(tmp_path):
    """A record whose first version had another file, detached since, then
    given the archiver's hash by a sheet: (the record, the URL of the admin's
    revert to that first version)."""
    evidence = make_evidence(
        media_url=NEWS, display="link", original_file=capture(OTHER_FILE)
    )
    with_file = evidence.save_revision()
    evidence.original_file = None
    evidence.save_revision()
    run_import(tmp_path, sheet(sheet_row(NEWS)), "--user", "editor")
    revert = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[evidence.pk, with_file.pk],
    )
    return evidence, revert


def test_a_revert_to_a_version_with_another_file_is_refused(tmp_path, users, login):
    """The revert form starts from the old version, which never had the
    archiver's hash: the record as it stands does, and that is what counts."""
    evidence, revert = filed_before_the_archiver(tmp_path)
    assert latest(evidence).original_file_sha256 == DIGEST
    client = login("editor")

    response = client.post(revert, form_data(client.get(revert)))

    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    assert response.status_code == 200
    assert response.context["form"].errors["original_file"] == [refusal(attached)]
    assert latest(evidence).original_file_sha256 == DIGEST


def test_the_desk_may_revert_to_it_and_the_history_says_so(tmp_path, users, login):
    evidence, revert = filed_before_the_archiver(tmp_path)
    client = login("verifier")
    data = form_data(client.get(revert))
    data["replace_archiver_hash"] = "on"

    assert client.post(revert, data).status_code == 302

    attached = hashlib.sha256(OTHER_FILE).hexdigest()
    assert latest(evidence).original_file_sha256 == attached
    assert f"it replaces {DIGEST}" in history(client, evidence)


def test_code_that_attaches_another_file_is_refused_too(tmp_path, users):
    run_import(tmp_path, sheet(sheet_row(NEWS)), "--user", "editor")
    evidence = latest(Evidence.objects.get())
    evidence.original_file = capture(OTHER_FILE)

    with pytest.raises(ValidationError) as raised:
        evidence.full_clean()
    assert "original_file" in raised.value.message_dict
    with pytest.raises(ValidationError):
        evidence.save_revision()
    assert latest(evidence).original_file_sha256 == DIGEST

    evidence.replace_archiver_hash = True  # code that means it says so
    evidence.save_revision()
    assert (
        latest(evidence).original_file_sha256 == hashlib.sha256(OTHER_FILE).hexdigest()
    )


def test_a_sheet_imported_again_after_the_desk_replaced_the_hash_changes_nothing(
    tmp_path, login
):
    client, evidence, data = archived_then_edited(
        tmp_path, login, OTHER_FILE, user="verifier"
    )
    data["replace_archiver_hash"] = "on"
    client.post(edit_url(evidence), data)

    out, _err = run_import(
        tmp_path, sheet(sheet_row(NEWS, "Convoy in Horadiz")), "--user", "editor"
    )

    assert "0 created, 0 updated, 1 unchanged." in out
    assert (
        latest(evidence).original_file_sha256 == hashlib.sha256(OTHER_FILE).hexdigest()
    )


def test_a_document_whose_file_is_gone_is_a_form_error_not_a_server_error(
    tmp_path, login
):
    client, evidence, data = archived_then_edited(tmp_path, login, OTHER_FILE)
    document = get_document_model().objects.get(pk=data["original_file"])
    document.file.storage.delete(document.file.name)

    response = client.post(edit_url(evidence), data)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["original_file"]
    assert error.startswith("The file of this document cannot be read (")
    assert latest(evidence).original_file_sha256 == DIGEST
