"""Import and export of Evidence records (CSV and JSON): the command, the admin
view, the file shape, validation, permissions, atomicity and idempotence."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from tests.exchange_files import (
    IMPORT_URL,
    csv_file,
    refused_import_stderr,
    run_import,
    state,
    upload,
)
from tests.factories import in_order, make_evidence
from wagtail_evidence.exchange import KEYS, export_evidence
from wagtail_evidence.exchange.codecs import split_line
from wagtail_evidence.management.commands import import_evidence as import_command
from wagtail_evidence.models import Appearance, Credit, Evidence


pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("wagtail_evidence:export")
ARABIC_TITLE = "قافلة في هوراديز"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Helpers


def run_export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_evidence", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def make_record(tags=(), appearances=(), credits=(), publish=True, **fields):
    evidence = Evidence(live=False, **fields)
    evidence.appearances = in_order(appearances)
    evidence.credits = in_order(credits)
    evidence.tags.set(list(tags))
    evidence.full_clean()
    evidence.save()
    revision = evidence.save_revision()
    if publish:
        revision.publish()
    return Evidence.objects.get(pk=evidence.pk)


@pytest.fixture
def rich(users):
    """Records using every kind of column, with Arabic (right-to-left) text and
    values a spreadsheet would run as formulas."""
    convoy = make_record(
        media_url="https://t.me/demo_observers/2533",
        title=ARABIC_TITLE,
        description="شاحنات تقل رجالاً مسلحين.\nA second line.",
        place="هوراديز",
        region="Fuzuli district",
        country="Azerbaijan",
        latitude=Decimal("39.448"),
        longitude=Decimal("-47.336001"),
        location_precision="vicinity",
        location_status="confirmed",
        location_method="=cmd|' /C calc'!A0",
        filmed_on=datetime.date(2020, 9, 26),
        filmed_on_precision="approximate",
        date_status="confirmed",
        date_method="+1 day",
        identified="@SUM(1+1)*cmd",
        identity_status="disputed",
        identity_method="-2+3",
        authenticity_category="EditedOrCroppedContent",
        authenticity_status="not_established",
        verdict="misleading",
        verdict_note="'quoted note",
        warning_level="graphic",
        warning_categories=["dead_or_injured", "violence"],
        appearances=[
            Appearance(
                platform="telegram",
                account="قناة | Channel",
                url="https://t.me/demo_observers/2533",
                first_seen=datetime.date(2020, 9, 27),
                first_seen_precision="approximate",
                archive_urls="https://archive.ph/abc12\nhttps://web.archive.org/web/2020/https://t.me/demo_observers/2533",
                note="Relayed twice:\nonce | twice \\ back",
            ),
            Appearance(
                platform="x", account="@someone", url="https://x.com/someone/status/1"
            ),
            Appearance(
                platform="news_site",
                account="Aleppo News",
                first_seen=datetime.date(2020, 10, 1),
                first_seen_precision="month",
            ),
        ],
        credits=[
            Credit(
                name="=1+1",
                role="geolocation",
                organisation="Bellingcat",
                url="https://www.bellingcat.com/",
            ),
            Credit(name="محمد", role="verification"),
            Credit(name="A | B", role="translation", organisation="Org, Inc."),
        ],
        tags=["Horadiz", "Syrian National Army", "Aleppo, north", "=tag"],
    )
    plain = make_record(
        media_url="https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
        title="Plain",
        display="link",
    )
    drafted = make_record(
        media_url="https://aleppo-news.example/2020/10/03/video",
        title="Live with a draft",
        display="link",
        appearances=[Appearance(platform="news_site", account="Aleppo News")],
    )
    drafted.title = "Live with a newer draft title"
    drafted.save_revision(user=users["editor"])
    return {"convoy": convoy, "plain": plain, "drafted": drafted}


# The file shape


def test_the_export_has_every_column_in_order_and_one_row_per_record(rich):
    exported, err = run_export()
    assert exported.startswith("\ufeff")  # spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff"), newline="")))
    assert rows[0] == KEYS
    assert [row[1] for row in rows[1:]] == [
        "Live with a newer draft title",
        "Plain",
        ARABIC_TITLE,
    ]
    assert err == ""


def test_the_export_is_the_latest_version_as_editors_see_it(rich):
    data = json.loads(run_export("--format", "json")[0])
    assert [record["title"] for record in data] == [
        "Live with a newer draft title",
        "Plain",
        ARABIC_TITLE,
    ]
    assert (
        Evidence.objects.get(pk=rich["drafted"].pk).title == "Live with a draft"
    )  # what readers see


def test_json_export_has_the_same_keys_with_lists_and_numbers(rich):
    record = json.loads(run_export("--format", "json")[0])[2]
    assert list(record) == KEYS
    assert record["latitude"] == 39.448 and record["longitude"] == -47.336001
    assert record["warning_categories"] == [
        "violence",
        "dead_or_injured",
    ]  # in the choices' order
    assert record["tags"] == [
        "=tag",
        "Aleppo, north",
        "Horadiz",
        "Syrian National Army",
    ]
    assert record["archive_urls"] == [
        "https://archive.ph/abc12",
        "https://web.archive.org/web/2020/https://t.me/demo_observers/2533",
    ]
    assert record["more_appearances"][1] == {
        "platform": "news_site",
        "account": "Aleppo News",
        "url": "",
        "first_seen": "2020-10-01",
        "first_seen_precision": "month",
        "archive_urls": [],
        "note": "",
    }
    assert record["credits"][1] == {
        "name": "محمد",
        "role": "verification",
        "organisation": "",
        "url": "",
    }


def test_appearances_and_credits_are_one_per_line_with_escaped_pipes(rich):
    rows = list(
        csv.DictReader(io.StringIO(run_export()[0].removeprefix("\ufeff"), newline=""))
    )
    convoy = rows[2]
    assert convoy["account"] == "قناة | Channel"  # its own column: nothing to escape
    assert (
        convoy["more_appearances"]
        == "x | @someone | https://x.com/someone/status/1\nnews_site | Aleppo News |  | 2020-10-01 | month"
    )
    assert (
        convoy["credits"]
        == "'=1+1 | geolocation | Bellingcat | https://www.bellingcat.com/\nمحمد | verification\nA \\| B | translation | Org, Inc."
    )
    assert convoy["archive_urls"].splitlines() == [
        "https://archive.ph/abc12",
        "https://web.archive.org/web/2020/https://t.me/demo_observers/2533",
    ]
    assert split_line("Relayed \\| twice\\nagain \\\\ x | b") == [
        "Relayed | twice\nagain \\ x",
        "b",
    ]


def test_formula_cells_are_neutralised_in_the_csv_and_restored_by_the_import(
    rich, users, tmp_path
):
    exported = run_export()[0]
    rows = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff"), newline="")))
    convoy = dict(zip(rows[0], rows[3], strict=True))
    assert convoy["location_method"] == "'=cmd|' /C calc'!A0"
    assert convoy["date_method"] == "'+1 day"
    assert convoy["identified"] == "'@SUM(1+1)*cmd"
    assert convoy["identity_method"] == "'-2+3"
    assert (
        convoy["verdict_note"] == "''quoted note"
    )  # a leading apostrophe of its own survives too
    assert convoy["tags"] == '\'=tag, "Aleppo, north", Horadiz, Syrian National Army'
    assert convoy["longitude"] == "-47.336001"  # a plain number is not a formula
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or cell == "-47.336001", cell

    out, _err = run_import(tmp_path, exported, "--user", "verifier")
    assert out.splitlines()[-1] == "0 created, 0 updated, 3 unchanged."
    convoy = Evidence.objects.get(pk=rich["convoy"].pk)
    assert (
        convoy.location_method == "=cmd|' /C calc'!A0"
        and convoy.verdict_note == "'quoted note"
    )


# Round trips and idempotence


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_import_into_an_empty_database_export_gives_the_same_file(
    rich, users, tmp_path, file_format
):
    first, _err = run_export("--format", file_format)
    Evidence.objects.all().delete()

    out, err = run_import(
        tmp_path, first, "--user", "verifier", name=f"evidence.{file_format}"
    )

    assert err == ""
    assert out.splitlines()[-1] == "3 created, 0 updated, 0 unchanged."
    assert run_export("--format", file_format)[0] == first
    convoy = Evidence.objects.get(title=ARABIC_TITLE)
    assert not convoy.live  # imports are drafts unless published
    assert [a.note for a in convoy.appearances.all()][
        0
    ] == "Relayed twice:\nonce | twice \\ back"
    assert [(c.name, c.role) for c in convoy.credits.all()] == [
        ("=1+1", "geolocation"),
        ("محمد", "verification"),
        ("A | B", "translation"),
    ]
    assert sorted(convoy.tags.names()) == [
        "=tag",
        "Aleppo, north",
        "Horadiz",
        "Syrian National Army",
    ]
    assert (convoy.latitude, convoy.longitude) == (
        Decimal("39.448000"),
        Decimal("-47.336001"),
    )


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_importing_an_export_changes_nothing(rich, tmp_path, file_format):
    exported = run_export("--format", file_format)[0]
    before = state()

    out, _err = run_import(
        tmp_path, exported, "--user", "editor", name=f"evidence.{file_format}"
    )

    assert out.splitlines()[-1] == "0 created, 0 updated, 3 unchanged."
    assert state() == before  # no new record, revision or log entry


def test_importing_the_same_file_twice_changes_nothing_the_second_time(users, tmp_path):
    content = csv_file(
        ["media_url", "title", "tags"],
        ["https://youtu.be/Zx8cV2bN4mQ", "A clip", "Syria, Horadiz"],
    )
    run_import(tmp_path, content, "--user", "editor")
    before = state()

    out, _err = run_import(tmp_path, content, "--user", "editor")

    assert (
        out
        == "line 2: unchanged “A clip” <https://youtu.be/Zx8cV2bN4mQ>\n0 created, 0 updated, 1 unchanged.\n"
    )
    assert state() == before


# Dry run, errors, atomicity


def test_a_dry_run_reports_each_row_and_writes_nothing(users, tmp_path):
    make_evidence(title="Camp", media_url="https://t.me/demo_observers/2501")
    content = csv_file(
        ["media_url", "title", "description"],
        ["https://t.me/demo_observers/2501", "Camp", "Another description."],
        ["https://youtu.be/Zx8cV2bN4mQ", "New clip", ""],
    )
    before = state()

    out, err = run_import(tmp_path, content, "--user", "editor", "--dry-run")

    assert out.splitlines() == [
        "line 2: would be updated “Camp” <https://t.me/demo_observers/2501>: description",
        "line 3: would be created “New clip” <https://youtu.be/Zx8cV2bN4mQ>",
        "Dry run: 1 would be created, 1 would be updated, 0 unchanged. Nothing was written.",
    ]
    assert err == ""
    assert state() == before


BAD_ROWS = csv_file(
    [
        "media_url",
        "title",
        "description",
        "warning_level",
        "latitude",
        "longitude",
        "first_seen",
        "platform",
    ],
    [
        "https://t.me/demo_observers/1",
        "Good row",
        "Line one\nline two",
        "none",
        "",
        "",
        "",
        "",
    ],
    ["javascript:alert(1)", "Bad scheme", "", "", "", "", "", ""],
    ["https://t.me/demo_observers/3", "Warned", "", "graphic", "", "", "", ""],
    ["https://t.me/demo_observers/4", "Half coordinates", "", "", "36.5", "", "", ""],
    ["https://t.me/demo_observers/5", "Bad date", "", "", "", "", "25/09/2020", ""],
    ["https://t.me/demo_observers/6", "Bad platform", "", "", "", "", "", "myspace"],
    ["https://t.me/demo_observers/1", "Twice", "", "", "", "", "", ""],
    ["", "No address", "", "", "", "", "", ""],
    ["https://t.me/demo_observers/9", "Future", "", "", "", "", "2999-01-01", ""],
    ["https://t.me/demo_observers/10", "", "", "", "", "", "", ""],
)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    users, tmp_path
):
    before = state()

    with pytest.raises(CommandError) as refusal:
        run_import(tmp_path, BAD_ROWS, "--user", "verifier")

    assert str(refusal.value) == "Nothing was imported: 9 rows with errors."
    assert refusal.value.returncode == 1
    assert state() == before  # not even the good row on lines 2-3


def test_bad_rows_go_to_stderr_as_line_field_reason(users, tmp_path):
    err = refused_import_stderr(
        tmp_path, BAD_ROWS, "--user", "verifier", name="bad.csv"
    )
    lines = err.splitlines()
    assert (
        lines[0]
        == "line 4: media_url: Only web addresses starting with http:// or https:// are accepted."
    )
    assert (
        lines[1]
        == "line 5: description: Media behind a warning needs a safe description: readers see it before they choose to reveal the media."
    )
    assert (
        lines[2] == "line 6: longitude: Give both latitude and longitude, or neither."
    )
    assert (
        lines[3]
        == "line 7: first_seen: Enter the date as YYYY-MM-DD, for example 2020-09-25."
    )
    assert lines[4].startswith(
        "line 8: platform: “myspace” is not one of: youtube, x, telegram,"
    )
    assert (
        lines[5]
        == "line 9: media_url: This address is also on line 2. Give each record once."
    )
    assert (
        lines[6]
        == "line 10: media_url: Every record needs its media address: it is how records are matched."
    )
    assert (
        lines[7]
        == "line 11: first_seen: This date is in the future. Check the year, or leave it empty."
    )
    assert lines[8] == "line 12: title: This field cannot be blank."
    assert len(lines) == 9


def test_the_exit_status_is_1_and_0(users, tmp_path, monkeypatch, capsys):
    # run_from_argv is what manage.py runs; it closes connections when done.
    monkeypatch.setattr(
        "django.core.management.base.connections.close_all", lambda: None
    )
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD_ROWS, encoding="utf-8")
    good.write_text(
        csv_file(["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", "Fine"]),
        encoding="utf-8",
    )

    with pytest.raises(SystemExit) as exit_status:
        import_command.Command().run_from_argv(
            ["manage.py", "import_evidence", str(bad), "--user", "verifier"]
        )
    assert exit_status.value.code == 1
    assert (
        "CommandError: Nothing was imported: 9 rows with errors."
        in capsys.readouterr().err
    )

    import_command.Command().run_from_argv(
        ["manage.py", "import_evidence", str(good), "--user", "verifier", "--dry-run"]
    )
    assert "1 would be created" in capsys.readouterr().out


def test_a_failure_while_writing_undoes_the_rows_written_before_it(
    users, tmp_path, monkeypatch
):
    content = csv_file(
        ["media_url", "title"],
        ["https://youtu.be/Zx8cV2bN4mQ", "First"],
        ["https://t.me/demo_observers/7", "Second"],
    )
    real_serializable_data = Evidence.serializable_data

    def fail_on_second(self, *args, **kwargs):  # as its revision is made
        if self.title == "Second":
            from django.core.exceptions import ValidationError

            raise ValidationError("disk on fire")
        return real_serializable_data(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "serializable_data", fail_on_second)
    before = state()

    err = refused_import_stderr(
        tmp_path, content, "--user", "verifier", match="writing failed and was undone"
    )

    assert err == "disk on fire\n"
    assert state() == before
    assert not Evidence.objects.filter(title="First").exists()


def test_unreadable_files_and_unknown_columns_are_refused(users, tmp_path):
    with pytest.raises(CommandError, match="the file cannot be read"):
        run_import(
            tmp_path,
            csv_file(["media_url", "plase"], ["https://youtu.be/Zx8cV2bN4mQ", "x"]),
            "--user",
            "editor",
        )
    with pytest.raises(CommandError, match="the file cannot be read"):
        run_import(tmp_path, b"media_url\n\xff\xfe", "--user", "editor")
    with pytest.raises(CommandError, match="No user “nobody”"):
        run_import(tmp_path, "media_url\n", "--user", "nobody")
    with pytest.raises(CommandError, match="--format"):
        run_import(tmp_path, "media_url\n", "--user", "editor", name="evidence.txt")


def test_a_csv_saved_with_semicolons_is_read_too(users, tmp_path):
    content = "media_url;title;tags\r\nhttps://youtu.be/Zx8cV2bN4mQ;Une vidéo, à Horadiz;Horadiz, Syrie\r\n"
    run_import(tmp_path, content, "--user", "editor")
    record = Evidence.objects.get()
    assert record.title == "Une vidéo, à Horadiz" and sorted(record.tags.names()) == [
        "Horadiz",
        "Syrie",
    ]


def test_json_errors_name_the_line_each_record_starts_on(users, tmp_path):
    content = json.dumps(
        [
            {"media_url": "https://youtu.be/Zx8cV2bN4mQ", "title": "Fine"},
            {
                "media_url": "https://t.me/demo_observers/8",
                "title": "Bad",
                "tags": "Syria",
            },
            ["not", "an object"],
        ],
        indent=2,
    )
    err = refused_import_stderr(
        tmp_path, content, "--user", "editor", name="evidence.json"
    )
    assert err.splitlines() == [
        "line 6: tags: Expected a list of texts.",
        'line 11: Each record is a JSON object: {"media_url": …}.',
    ]
    with pytest.raises(CommandError, match="the file cannot be read"):
        run_import(
            tmp_path, '[{"media_url": "x",}]', "--user", "editor", name="broken.json"
        )


def test_half_a_utf16_pair_is_an_error_where_it_is_not_a_crash(login, tmp_path):
    """JSON may escape half of a surrogate pair on its own; no database stores
    it and no terminal prints it."""
    content = (
        '[{"media_url": "https://youtu.be/Zx8cV2bN4mQ", "title": "A \\ud800 title",'
        ' "tags": ["Horadiz", "\\udfff"], "\\ud83d": "x"}]'
    )
    reason = (
        "This text holds half of a UTF-16 pair (a \\uD800 to \\uDFFF escape on its"
        " own), which is not a character: write the character itself, or both"
        " halves."
    )
    err = refused_import_stderr(
        tmp_path, content, "--user", "editor", name="evidence.json"
    )
    assert err.splitlines() == [
        f"line 1: title: {reason}",
        f"line 1: tags: {reason}",
        "line 1: \\ud83d: This key is not one the import knows.",
    ]
    # In the address, it is that one error, not also "no address".
    bad_address = '[{"media_url": "https://t.me/x/\\udfff", "title": "A"}]'
    err = refused_import_stderr(
        tmp_path, bad_address, "--user", "editor", name="address.json"
    )
    assert err.splitlines() == [f"line 1: media_url: {reason}"]
    response = upload(login("editor"), content, name="evidence.json")
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()
    # Both halves, escaped, are the character they pair into.
    run_import(
        tmp_path,
        '[{"media_url": "https://youtu.be/Zx8cV2bN4mQ", "title": "\\ud83d\\udcf9"}]',
        "--user",
        "editor",
        name="paired.json",
    )
    assert Evidence.objects.get().get_latest_revision_as_object().title == "📹"


def test_a_column_the_file_leaves_out_is_left_as_it_is(users, tmp_path):
    record = make_evidence(
        title="Camp", media_url="https://t.me/demo_observers/2501", place="Hawar Kilis"
    )
    content = csv_file(
        ["media_url", "place"], ["https://t.me/demo_observers/2501", "Hawar Kilis camp"]
    )

    out, _err = run_import(tmp_path, content, "--user", "editor")

    assert "updated “Camp” <https://t.me/demo_observers/2501>: place" in out
    edited = Evidence.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert edited.place == "Hawar Kilis camp"
    assert [c.name for c in edited.credits.all()] == [
        "Obretix"
    ]  # no credits column: kept
    assert [a.account for a in edited.appearances.all()] == ["A channel"]


def test_a_compact_line_with_too_many_fields_is_an_error(users, tmp_path):
    content = csv_file(
        ["media_url", "title", "credits"],
        [
            "https://youtu.be/Zx8cV2bN4mQ",
            "Clip",
            "Obretix | geolocation | x | https://a.example/ | extra",
        ],
    )
    err = refused_import_stderr(tmp_path, content, "--user", "editor")
    assert err.startswith(
        "line 2: credits[1]: 5 fields where at most 4 are expected (name | role | organisation | url)."
    )


# The editorial model: drafts, the desk, the audit trail


def test_an_editors_import_is_a_draft_revision_logged_as_the_admin_logs_it(
    users, tmp_path
):
    record = make_evidence(title="Camp", media_url="https://t.me/demo_observers/2501")
    content = csv_file(
        ["media_url", "description", "warning_level"],
        ["https://t.me/demo_observers/2501", "Young men train.", "disturbing"],
    )

    run_import(tmp_path, content, "--user", "editor")

    record = Evidence.objects.get(pk=record.pk)
    assert record.live and record.has_unpublished_changes
    assert (
        record.description == "Young men train at an outdoor camp."
    )  # readers still see the published one
    latest = record.latest_revision
    assert (
        latest.user == users["editor"]
        and latest.as_object().description == "Young men train."
    )
    entries = ModelLogEntry.objects.filter(object_id=str(record.pk)).order_by("pk")
    assert [(e.action, e.user) for e in entries.filter(user=users["editor"])] == [
        ("wagtail.edit", users["editor"]),
        ("wagtail_evidence.warning_level", users["editor"]),
    ]
    warning = entries.get(action="wagtail_evidence.warning_level")
    assert warning.data["before"] == "none" and warning.data["after"] == "disturbing"
    assert warning.data["reason"].startswith("Imported from ") and warning.data[
        "reason"
    ].endswith("evidence.csv.")


def test_an_editor_cannot_change_a_status_the_verdict_or_a_verification_credit(
    users, tmp_path
):
    make_evidence(title="Camp", media_url="https://t.me/demo_observers/2501")
    content = csv_file(
        ["media_url", "title", "location_status", "verdict", "credits"],
        [
            "https://t.me/demo_observers/2501",
            "Camp",
            "disputed",
            "verified",
            "Obretix | geolocation",
        ],
        ["https://youtu.be/Zx8cV2bN4mQ", "New", "unchecked", "verified", ""],
        [
            "https://t.me/demo_observers/77",
            "New with a credit",
            "",
            "",
            "Afrin Post | verification",
        ],
        ["https://x.com/a/status/1", "Fine", "", "", "Obretix | geolocation"],
    )
    before = state()

    err = refused_import_stderr(
        tmp_path, content, "--user", "editor", match="3 rows with errors"
    )

    assert err.splitlines() == [
        "line 2: location_status: Only the verification desk can change facet statuses and the verdict (here from “confirmed” to “disputed”).",
        "line 3: verdict: Only the verification desk can change facet statuses and the verdict (here from “pending” to “verified”).",
        "line 4: credits: Only the verification desk can add, change or remove a credit whose role is Verification.",
    ]
    assert state() == before  # the fine row waits for the others

    out, _err = run_import(tmp_path, content, "--user", "verifier")  # the desk may
    assert out.splitlines()[-1] == "3 created, 1 updated, 0 unchanged."


def test_the_desk_can_publish_what_it_imports_and_editors_cannot(users, tmp_path):
    content = csv_file(
        ["media_url", "title", "verdict"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "verified"],
    )
    with pytest.raises(CommandError, match="You may not publish evidence records."):
        run_import(tmp_path, content, "--user", "editor", "--publish")

    out, _err = run_import(tmp_path, content, "--user", "verifier", "--publish")

    assert out.splitlines()[-1] == "1 created, 0 updated, 0 unchanged (1 published)."
    record = Evidence.objects.get(media_url="https://youtu.be/Zx8cV2bN4mQ")
    assert record.live and not record.has_unpublished_changes
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(record.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["wagtail.create", "wagtail_evidence.verdict", "wagtail.publish"]


def test_a_record_locked_by_someone_else_is_refused(users, tmp_path):
    record = make_evidence(title="Camp", media_url="https://t.me/demo_observers/2501")
    Evidence.objects.filter(pk=record.pk).update(
        locked=True, locked_by=users["verifier"]
    )
    content = csv_file(
        ["media_url", "place"], ["https://t.me/demo_observers/2501", "Elsewhere"]
    )

    with pytest.raises(CommandError, match="1 row with errors"):
        run_import(tmp_path, content, "--user", "editor")


# The admin view


def test_an_editor_previews_then_confirms_an_import(login):
    client = login("editor")
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    assert (
        'name="dry_run"' in page.content.decode()
        and 'name="publish"' not in page.content.decode()
    )
    content = csv_file(
        ["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", ARABIC_TITLE]
    )

    preview = upload(client, content, dry_run="on")

    html = preview.content.decode()
    assert (
        preview.status_code == 200
        and "would be created" in html
        and ARABIC_TITLE in html
    )
    assert not Evidence.objects.exists()
    from bs4 import BeautifulSoup

    confirm = {
        i["name"]: i.get("value", "")
        for i in BeautifulSoup(html, "html.parser").select(
            "form input[name=payload], form input[name=fingerprint], form input[name=csrfmiddlewaretoken]"
        )
    }
    done = client.post(IMPORT_URL, confirm)
    assert done.status_code == 200 and "What was imported" in done.content.decode()
    record = Evidence.objects.get()
    assert (
        record.title == ARABIC_TITLE
        and not record.live
        and record.latest_revision.user.username == "editor"
    )

    again = client.post(
        IMPORT_URL, confirm
    ).content.decode()  # the same confirmation twice changes nothing
    assert (
        Evidence.objects.count() == 1
        and Revision.objects.filter(object_id=str(record.pk)).count() == 1
    )
    assert (
        "The records changed since the preview" in again
        and 'name="payload"' not in again
    )


def test_a_confirmation_is_refused_when_tampered_with_or_out_of_date(login):
    client = login("editor")
    content = csv_file(["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", "Clip"])
    from bs4 import BeautifulSoup

    html = upload(client, content, dry_run="on").content.decode()
    confirm = {
        i["name"]: i.get("value", "")
        for i in BeautifulSoup(html, "html.parser").select(
            "form input[name=payload], form input[name=fingerprint]"
        )
    }

    response = client.post(
        IMPORT_URL, {**confirm, "payload": confirm["payload"][:-2] + "xx"}
    )
    assert (
        "The confirmation was not valid" in response.content.decode()
        and not Evidence.objects.exists()
    )

    make_evidence(title="Made meanwhile", media_url="https://youtu.be/Zx8cV2bN4mQ")
    response = client.post(IMPORT_URL, confirm)
    assert "The records changed since the preview" in response.content.decode()
    assert Evidence.objects.get().title == "Made meanwhile"


def test_the_admin_reports_refused_and_bad_rows(login):
    make_evidence(title="Camp", media_url="https://t.me/demo_observers/2501")
    content = csv_file(
        ["media_url", "title", "location_status", "first_seen"],
        ["https://t.me/demo_observers/2501", "Camp", "disputed", ""],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "", "tomorrow"],
    )
    before = state()

    response = upload(login("editor"), content)  # no dry run: it would import at once

    html = response.content.decode()
    assert "2 rows have errors, so nothing was imported." in html
    assert (
        "Refused" in html
        and "Only the verification desk can change facet statuses" in html
    )
    assert "Enter the date as YYYY-MM-DD" in html
    assert state() == before


def test_the_desk_imports_and_publishes_from_the_admin(login):
    client = login("verifier")
    assert 'name="publish"' in client.get(IMPORT_URL).content.decode()
    content = json.dumps(
        [
            {
                "media_url": "https://youtu.be/Zx8cV2bN4mQ",
                "title": "Clip",
                "verdict": "verified",
            }
        ]
    )

    response = upload(client, content, name="evidence.json", publish="on")

    assert (
        "Imported: 1 created, 0 updated, 0 unchanged. 1 published."
        in response.content.decode()
    )
    assert Evidence.objects.get().live


def test_an_editor_cannot_publish_by_posting_the_box(login):
    upload(
        login("editor"),
        csv_file(["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", "Clip"]),
        publish="on",
    )
    assert not Evidence.objects.get().live


@pytest.mark.parametrize("method", ["get", "post"])
def test_people_without_evidence_rights_are_refused(
    client, users, django_user_model, method
):
    content = csv_file(["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", "Clip"])
    data = (
        {"file": SimpleUploadedFile("e.csv", content.encode())}
        if method == "post"
        else {}
    )
    anonymous = getattr(client, method)(IMPORT_URL, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    outsider = Client()
    outsider.force_login(
        django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    )
    from django.contrib.auth.models import Permission

    outsider_user = django_user_model.objects.get(username="outsider")
    outsider_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    data = (
        {"file": SimpleUploadedFile("e.csv", content.encode())}
        if method == "post"
        else {}
    )
    # Wagtail's admin turns a refusal into a redirect to the dashboard, with a message.
    refused = getattr(outsider, method)(IMPORT_URL, data)
    assert refused.status_code == 302 and refused["Location"] == reverse(
        "wagtailadmin_home"
    )
    exported = outsider.get(EXPORT_URL)
    assert exported.status_code == 302 and exported["Location"] == reverse(
        "wagtailadmin_home"
    )
    assert not Evidence.objects.exists()


def test_the_admin_export_downloads_the_same_file_as_the_command(login, rich):
    response = login("editor").get(EXPORT_URL, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="evidence-')
    assert (
        response.content.decode()
        == export_evidence("json").content
        == run_export("--format", "json")[0]
    )


def test_the_register_links_to_the_import(login):
    page = login("editor").get(reverse("wagtail_evidence:register")).content.decode()
    assert f'href="{IMPORT_URL}"' in page
