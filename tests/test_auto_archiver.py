"""One row of Bellingcat's auto-archiver output, mapped to the appearance, the
archived copies and the file hash it means, with an error per column that
cannot be read (wagtail_evidence.exchange.auto_archiver)."""

from datetime import UTC, datetime

from wagtail_evidence.exchange.auto_archiver import CopyFound, map_row


DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def sheet_row(**cells):
    """A row as the Google Sheets feeder/database writes it."""
    return {
        "Link": "https://t.me/demo_observers/2533",
        "Archive status": "telegram_archiver: success",
        "Archive location": "https://storage.example.org/aa/video.mp4\n"
        "https://storage.example.org/aa/page.html",
        "Archive date": "2026-12-06T10:15:00+00:00",
        "Upload timestamp": "2020-09-27T08:00:00+00:00",
        "Upload title": "Convoy in Horadiz",
        "Hash": f"SHA-256:{DIGEST}",
        "Screenshot": "https://storage.example.org/aa/screenshot.png",
        "Thumbnail": '=IMAGE("https://storage.example.org/aa/thumb.jpg")',
        "WACZ": "https://storage.example.org/aa/capture.wacz",
        "ReplayWebpage": "",
        **cells,
    }


def test_a_successful_row_means_an_appearance_its_copies_and_its_hash():
    row = map_row(sheet_row())
    assert row.is_valid, row.errors
    assert (row.url, row.platform, row.title, row.archived) == (
        "https://t.me/demo_observers/2533",
        "telegram",
        "Convoy in Horadiz",
        True,
    )
    assert row.first_seen == datetime(2020, 9, 27, 8, tzinfo=UTC)
    captured = datetime(2026, 12, 6, 10, 15, tzinfo=UTC)
    assert row.copies == [
        CopyFound(
            "https://storage.example.org/aa/video.mp4", "Archive location", captured
        ),
        CopyFound(
            "https://storage.example.org/aa/page.html", "Archive location", captured
        ),
        CopyFound(
            "https://storage.example.org/aa/screenshot.png", "Screenshot", captured
        ),
        CopyFound("https://storage.example.org/aa/thumb.jpg", "Thumbnail", captured),
        CopyFound("https://storage.example.org/aa/capture.wacz", "WACZ", captured),
    ]
    assert row.file_sha256 == DIGEST


def test_headers_are_matched_loosely_and_missing_columns_are_fine():
    row = map_row({"  LINK ": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})
    assert row.is_valid
    assert (row.url, row.platform, row.copies, row.file_sha256) == (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        [],
        "",
    )


def test_a_site_no_provider_knows_is_other():
    assert map_row({"link": "https://news.example.org/a"}).platform == "other"


def test_each_unreadable_column_gets_its_own_error():
    row = map_row(
        sheet_row(
            Link="javascript:alert(1)",
            **{
                "Archive date": "yesterday",
                "Hash": "SHA3-512:" + "ab" * 64,
                "Screenshot": "http://127.0.0.1/screenshot.png",
            },
        )
    )
    assert not row.is_valid
    assert set(row.errors) == {"Link", "Archive date", "Hash", "Screenshot"}
    assert "SHA3-512" in row.errors["Hash"] and "SHA-256" in row.errors["Hash"]
    assert row.url == "" and row.file_sha256 == ""
    # The readable copies are still listed; the local one is not.
    assert "http://127.0.0.1/screenshot.png" not in [c.archive_url for c in row.copies]


def test_a_missing_address_is_an_error_of_the_link_column():
    assert map_row({"Link": " ", "Archive status": ""}).errors == {
        "Link": "The address archived is missing."
    }


def test_a_failed_archive_is_reported_and_not_taken_for_archived():
    row = map_row(sheet_row(**{"Archive status": "Archive failed timeout"}))
    assert row.archived is False
    assert "Archive status" in row.errors


def test_nothing_archived_is_not_an_error_but_not_archived_either():
    row = map_row(sheet_row(**{"Archive status": "nothing archived"}))
    assert row.archived is False and "Archive status" not in row.errors


def test_a_hash_not_calculated_is_no_hash():
    assert map_row(sheet_row(Hash="not-calculated")).file_sha256 == ""


def test_a_short_sha256_is_refused():
    row = map_row(sheet_row(Hash="SHA-256:abcd"))
    assert row.errors == {"Hash": "A SHA-256 has 64 hexadecimal digits."}


def test_a_unix_timestamp_is_read_too():
    row = map_row(sheet_row(**{"Upload timestamp": "1601193600"}))
    assert row.first_seen == datetime(2020, 9, 27, 8, tzinfo=UTC)


def test_the_csv_reports_url_column_is_the_address_too():
    assert map_row({"url": "https://t.me/demo_observers/1"}).url == (
        "https://t.me/demo_observers/1"
    )
