"""Import robustness: formula cells in every export, nested JSON, values the admin
form refuses, the admin's row limit and memory that does not grow with the file.
Each point is checked through the admin (HTTP, as an editor) and the commands."""

import csv
import io
import json
import weakref

import pytest
from django.urls import reverse

from tests.exchange_files import (
    IMPORT_URL,
    confirmation,
    csv_file,
    json_records,
    many_rows,
    run_import_catching,
    state,
    upload,
)
from tests.factories import make_evidence
from wagtail_evidence.conf import DEFAULTS
from wagtail_evidence.exchange import codecs, importer
from wagtail_evidence.management.commands import import_evidence as import_command
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("wagtail_evidence:export")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUL_MESSAGE = (
    "Null characters are not allowed."  # Django's, from the admin form's CharField
)


# Formula cells: one escaping for every export, undone by the import


def test_the_package_export_escapes_every_formula_start_and_the_import_restores_them(
    login,
):
    client = login("verifier")  # the record's statuses are the desk's to import
    values = {
        "title": '=HYPERLINK("https://evil.example/","Click")',
        "description": "+1 more",
        "place": "-2+3",
        "identified": "@SUM(1+1)",
        "location_method": "'quoted",
        "date_method": "\t=cmd",
        "verdict_note": "\r=cmd",
    }
    record = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", **values)

    exported = client.get(EXPORT_URL, {"format": "csv"}).content.decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == '\'=HYPERLINK("https://evil.example/","Click")'
    assert (row["description"], row["place"], row["identified"]) == (
        "'+1 more",
        "'-2+3",
        "'@SUM(1+1)",
    )
    assert (row["date_method"], row["verdict_note"]) == ("'\t=cmd", "'\r=cmd")
    formula_cells = [cell for cell in row.values() if cell.startswith(FORMULA_STARTS)]
    assert formula_cells == []

    Evidence.objects.all().delete()
    before = state()
    response = upload(client, exported)  # no dry run: imports at once

    assert "Imported: 1 created" in response.content.decode()
    assert state() != before
    imported = Evidence.objects.get().get_latest_revision_as_object()
    for name in ("title", "description", "place", "identified", "location_method"):
        assert getattr(imported, name) == values[name], name
    # A leading tab or line break is restored by the file and then trimmed, as
    # the admin form trims every text it saves.
    assert (imported.date_method, imported.verdict_note) == ("=cmd", "=cmd")
    assert record.pk != imported.pk


def test_the_csv_codec_round_trips_every_formula_start_exactly():
    values = [start + "cmd|' /C calc'!A0" for start in FORMULA_STARTS] + [
        "'apostrophe",
        "-47.336",
    ]
    rows = [
        {
            **dict.fromkeys(codecs.KEYS, ""),
            "media_url": f"https://t.me/x/{n}",
            "title": value,
            "description": value,
            "more_appearances": [],
            "credits": [],
            "archive_urls": [],
            "warning_categories": [],
            "tags": [],
        }
        for n, value in enumerate(values)
    ]

    read = list(codecs.read(codecs.write(rows, "csv"), "csv"))

    assert [(row.values["title"], row.values["description"]) for row in read] == [
        (value, value) for value in values
    ]


def test_the_export_command_and_the_register_share_the_exchange_escaping():
    from wagtail_evidence.admin.views import register

    assert register.escape_formula is codecs.escape_formula


REGISTER_URL = reverse("wagtail_evidence:register")
REGISTER_VALUES = {
    "title": '=HYPERLINK("https://evil.example/","Click")',
    "place": "+1 more",
    "region": "-2+3",
    "country": "@SUM(1+1)",
}


@pytest.fixture
def formula_record():
    return make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", **REGISTER_VALUES)


def test_the_register_csv_escapes_formula_cells(login, formula_record):
    response = login("editor").get(REGISTER_URL, {"export": "csv"})
    exported = b"".join(response.streaming_content).decode()

    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert len(rows) == 1
    row = rows[0]
    assert row["Working title"] == "'" + REGISTER_VALUES["title"]
    assert (row["Place"], row["Region"], row["Country"]) == (
        "'+1 more",
        "'-2+3",
        "'@SUM(1+1)",
    )
    assert [cell for cell in row.values() if cell.startswith(FORMULA_STARTS)] == []


def test_the_register_escapes_tab_and_carriage_return_starts(login):
    make_evidence(
        media_url="https://youtu.be/Zx8cV2bN4mQ", title="\t=1+1", place="\r=1+1"
    )
    response = login("editor").get(REGISTER_URL, {"export": "csv"})
    row = next(
        csv.DictReader(
            io.StringIO(b"".join(response.streaming_content).decode(), newline="")
        )
    )
    assert (row["Working title"], row["Place"]) == ("'\t=1+1", "'\r=1+1")


def test_the_register_xlsx_stores_formula_cells_as_escaped_text(login, formula_record):
    import openpyxl

    response = login("editor").get(REGISTER_URL, {"export": "xlsx"})
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert len(cells) > 20
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    headings = [cell.value for cell in sheet[1]]
    values = dict(zip(headings, [cell.value for cell in sheet[2]], strict=True))
    assert values["Working title"] == "'" + REGISTER_VALUES["title"]
    assert (values["Place"], values["Region"], values["Country"]) == (
        "'+1 more",
        "'-2+3",
        "'@SUM(1+1)",
    )
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []


# Nested JSON: a clear error, never a RecursionError


DEEP_LIST = "[" * 100_000 + "]" * 100_000
DEEP_TITLE = (
    '[\n{"media_url": "https://youtu.be/Zx8cV2bN4mQ",\n "title": '
    + "[" * 100_000
    + "]" * 100_000
    + "}\n]"
)


@pytest.mark.parametrize(
    ("content", "line"),
    [(DEEP_LIST, 1), (DEEP_TITLE, 2)],
    ids=["deep list", "deep title"],
)
def test_the_admin_refuses_deeply_nested_json(login, content, line):
    before = state()

    response = upload(login("editor"), content, name="evidence.json")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: the file cannot be read." in html
    assert f"Line {line}" in html and "nested too deeply" in html
    assert state() == before


@pytest.mark.parametrize(
    ("content", "line"),
    [(DEEP_LIST, 1), (DEEP_TITLE, 2)],
    ids=["deep list", "deep title"],
)
def test_the_command_refuses_deeply_nested_json_without_a_traceback(
    users, tmp_path, content, line
):
    before = state()

    _out, err, error = run_import_catching(
        tmp_path, content, "--user", "editor", name="evidence.json"
    )

    assert error is not None and error.returncode == 1
    assert str(error) == "Nothing was imported: the file cannot be read."
    assert err.startswith(f"line {line}: ") and "nested too deeply" in err
    assert "Traceback" not in err
    assert state() == before


def test_the_command_exits_1_on_nested_json_from_the_shell(
    users, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(
        "django.core.management.base.connections.close_all", lambda: None
    )
    path = tmp_path / "evidence.json"
    path.write_text(DEEP_LIST, encoding="utf-8")

    with pytest.raises(SystemExit) as exit_status:
        import_command.Command().run_from_argv(
            ["manage.py", "import_evidence", str(path), "--user", "editor"]
        )

    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert (
        "nested too deeply" in err
        and "Traceback" not in err
        and "RecursionError" not in err
    )


# Values the admin form refuses are refused by the import


NUL_ROWS = [
    ("title", ["media_url", "title"], ["https://youtu.be/Zx8cV2bN4mQ", "A\x00clip"]),
    (
        "description",
        ["media_url", "title", "description"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "Men\x00train."],
    ),
    (
        "place",
        ["media_url", "title", "place"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "Hawar\x00Kilis"],
    ),
    (
        "verdict_note",
        ["media_url", "title", "verdict_note"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "\x00"],
    ),
    (
        "account",
        ["media_url", "title", "account"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "A\x00channel"],
    ),
    (
        "credits[1].name",
        ["media_url", "title", "credits"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "Obre\x00tix | geolocation"],
    ),
    (
        "tags",
        ["media_url", "title", "tags"],
        ["https://youtu.be/Zx8cV2bN4mQ", "Clip", "Hora\x00diz"],
    ),
]


@pytest.mark.parametrize(
    ("column", "header", "row"), NUL_ROWS, ids=[case[0] for case in NUL_ROWS]
)
def test_the_command_refuses_null_characters_as_the_admin_form_does(
    users, tmp_path, column, header, row
):
    before = state()

    _out, err, error = run_import_catching(
        tmp_path, csv_file(header, row), "--user", "editor"
    )

    assert (
        error is not None and str(error) == "Nothing was imported: 1 row with errors."
    )
    assert err.splitlines() == [f"line 2: {column}: {NUL_MESSAGE}"]
    assert state() == before


def test_the_admin_upload_refuses_null_characters_in_json(login):
    content = json.dumps(
        [
            {
                "media_url": "https://youtu.be/Zx8cV2bN4mQ",
                "title": "Clip",
                "more_appearances": [{"platform": "x", "note": "a\u0000b"}],
            }
        ]
    )
    before = state()

    html = upload(login("editor"), content, name="evidence.json").content.decode()

    assert "1 row has errors, so nothing was imported." in html
    assert "more_appearances[1].note" in html and NUL_MESSAGE in html
    assert state() == before


def test_the_import_uses_the_admin_forms_own_fields(users, tmp_path):
    """A check the admin form makes and the model does not (here, in the form's
    field) is one the import makes too, with the form's message."""
    from wagtail_evidence.exchange import validation

    form_class = Evidence.snippet_viewset.get_edit_handler().get_form_class()
    assert (
        validation.admin_form_fields(Evidence)["title"].__class__
        is form_class.base_fields["title"].__class__
    )
    assert (
        validation.admin_form_fields(Evidence)["place"].validators
        == form_class.base_fields["place"].validators
    )


# The admin's row limit


def test_the_row_limit_has_a_default_of_2000():
    assert DEFAULTS["UPLOAD_MAX_ROWS"] == 2000


def test_the_admin_refuses_a_file_over_the_row_limit_and_names_the_command(
    login, settings
):
    settings.WAGTAIL_EVIDENCE = {"UPLOAD_MAX_ROWS": 3}
    client = login("editor")
    before = state()

    response = upload(client, many_rows(4), name="big file.csv", dry_run="on")

    html = response.content.decode()
    assert "This file holds more than 3 records" in html
    assert (
        "python manage.py import_evidence &#x27;big file.csv&#x27; --user editor"
        in html
    )
    assert (
        "What the import would do" not in html
    )  # refused in the form, before any planning
    assert state() == before

    accepted = upload(client, many_rows(3), dry_run="on").content.decode()
    assert "3 would be created" in accepted


def test_the_command_has_no_row_limit(users, tmp_path, settings):
    settings.WAGTAIL_EVIDENCE = {"UPLOAD_MAX_ROWS": 3}

    out, _err, error = run_import_catching(
        tmp_path, many_rows(5), "--user", "editor", "--dry-run"
    )

    assert error is None
    assert (
        out.splitlines()[-1]
        == "Dry run: 5 would be created, 0 would be updated, 0 unchanged. Nothing was written."
    )


# Memory: rows are read and planned in batches, the report is bounded


def alive(refs):
    return sum(1 for ref in refs if ref() is not None)


@pytest.fixture
def batches(monkeypatch):
    """Small batches; records the most source rows and planned results alive at once
    (rows and results hold no reference cycles, so they die as soon as dropped)."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 20, raising=False)
    rows, results = [], []
    peaks = {"rows": 0, "results": 0, "planned": 0}

    class CountingRow(codecs.SourceRow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            rows.append(weakref.ref(self))

    monkeypatch.setattr(codecs, "SourceRow", CountingRow)
    real_plan_row = importer.plan_row

    def plan_row(result, *args, **kwargs):
        results.append(weakref.ref(result))
        peaks["planned"] += 1
        peaks["rows"] = max(peaks["rows"], alive(rows))
        peaks["results"] = max(peaks["results"], alive(results))
        return real_plan_row(result, *args, **kwargs)

    monkeypatch.setattr(importer, "plan_row", plan_row)
    return peaks


def test_the_command_plans_rows_in_batches_and_keeps_none_of_them(
    users, tmp_path, batches
):
    out, _err, error = run_import_catching(
        tmp_path, many_rows(150), "--user", "editor", "--dry-run"
    )

    assert error is None and "150 would be created" in out
    assert batches["planned"] == 150
    assert batches["rows"] <= 40, batches  # at most about two batches read ahead
    assert batches["results"] <= 40, batches


def test_the_admin_reads_the_upload_in_batches(login, batches):
    html = upload(login("editor"), many_rows(150), dry_run="on").content.decode()

    assert "150 would be created" in html
    assert batches["planned"] == 150
    assert batches["rows"] <= 40, batches


def test_the_admin_previews_and_confirms_an_upload_kept_on_disk(login, settings):
    """A large upload is a temporary file on disk: planned from it, then carried
    to the confirmation compressed, chunk by chunk, and planned again from a
    spool, never read whole."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = login("editor")
    content = json_records(300)
    assert len(content) > 64 * 1024  # more than one chunk of each reading

    preview = upload(client, content, name="evidence.json", dry_run="on")

    assert "300 would be created" in preview.content.decode()
    assert not Evidence.objects.exists()
    done = client.post(IMPORT_URL, confirmation(preview.content.decode()))
    assert "What was imported" in done.content.decode()
    assert Evidence.objects.count() == 300
    assert Evidence.objects.get(media_url="https://t.me/demo_observers/299").title == (
        "Convoy 299"
    )


def test_the_command_reports_the_first_problems_and_counts_the_rest(users, tmp_path):
    limit = importer.MAX_PROBLEMS
    content = many_rows(limit + 150, title="")  # every row lacks its title

    _out, err, error = run_import_catching(tmp_path, content, "--user", "editor")

    assert str(error) == f"Nothing was imported: {limit + 150} rows with errors."
    lines = err.splitlines()
    assert len(lines) == limit + 1
    assert lines[0] == "line 2: title: This field cannot be blank."
    assert lines[-1] == "… and 150 more rows with errors."


def test_the_report_holds_at_most_the_first_problems(users):
    limit = importer.MAX_PROBLEMS
    report = importer.import_evidence(
        many_rows(limit + 50, title=""),
        "csv",
        users["editor"],
        dry_run=True,
        list_rows=0,
    )

    assert report.bad_count == limit + 50
    assert len(report.problems) == limit
    assert report.rows == []
    assert not report.ok


def test_the_report_of_a_large_file_keeps_its_first_rows_and_counts_the_rest(
    users, monkeypatch
):
    """Whatever the file's size, the report keeps the first ``list_rows`` rows'
    details and counts the others by action; every row is in the counts."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 20)
    report = importer.import_evidence(
        many_rows(130), "csv", users["editor"], dry_run=True, list_rows=25
    )

    assert report.total == 130
    assert report.count("created") == 130
    assert len(report.rows) == 25
    assert [row.line for row in report.rows] == list(range(2, 27))
    assert report.unlisted == 105
    assert report.ok


def test_the_admin_preview_of_a_large_file_lists_its_first_rows(
    login, settings, monkeypatch
):
    from bs4 import BeautifulSoup

    from wagtail_evidence.admin.views import exchange as exchange_views

    settings.WAGTAIL_EVIDENCE = {"UPLOAD_MAX_ROWS": None}  # rows listed: LISTED_ROWS
    monkeypatch.setattr(exchange_views, "LISTED_ROWS", 25)
    monkeypatch.setattr(importer, "BATCH_SIZE", 20)

    html = upload(login("editor"), many_rows(130), dry_run="on").content.decode()

    page = BeautifulSoup(html, "html.parser")
    assert len(page.select("table.listing tbody tr")) == 25
    assert "130 would be created, 0 would be updated, 0 unchanged." in html
    assert "105 more rows are not listed." in html
    assert page.select("input[name=fingerprint]")  # still confirmable
    assert not Evidence.objects.exists()


def test_a_repeated_address_far_down_a_file_names_its_first_line(
    users, tmp_path, monkeypatch
):
    """The first line of each address is kept for the whole file (on disk), so a
    repeat many batches later is refused with the line it repeats."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 20)
    content = many_rows(130) + "https://t.me/demo_observers/7,Again\n"

    _out, err, error = run_import_catching(tmp_path, content, "--user", "editor")

    assert str(error) == "Nothing was imported: 1 row with errors."
    assert err == (
        "line 132: media_url: This address is also on line 8. Give each record once.\n"
    )
    assert not Evidence.objects.exists()


def test_a_confirmation_whose_plan_changed_undoes_the_batches_it_wrote(
    login, monkeypatch
):
    """Writing plans the file again, in one pass, in the transaction; a record
    made since the preview changes the last batch's plan, so the batches
    written before it are undone too."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 5)
    client = login("editor")
    confirm = confirmation(upload(client, many_rows(12), dry_run="on").content.decode())
    make_evidence(title="Made meanwhile", media_url="https://t.me/demo_observers/12")
    before = state()

    html = client.post(IMPORT_URL, confirm).content.decode()

    assert "The records changed since the preview" in html
    assert state() == before
    assert list(Evidence.objects.values_list("title", flat=True)) == ["Made meanwhile"]
