"""The import at scale: writes in bulk, a CSV file read as it is planned, and
what the bulk writing must still give each record (revision, history, search
index, references, children and tags), through the command as a desk runs it.

The search index is written by a task once the import commits
(exchange/tasks.py): these tests run in a transaction that never commits, so
they run the import's commit callbacks themselves
(``django_capture_on_commit_callbacks``), as a commit would."""

import html
import io
import sqlite3
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import default_task_backend
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from tests.exchange_files import (
    HEADER,
    csv_file,
    json_records,
    new_rows,
    refused_import_stderr,
    run_import,
    run_import_catching,
    state,
    upload,
)
from tests.redis_server import queue, run_worker
from wagtail_evidence.exchange import codecs, first_lines, tasks
from wagtail_evidence.models import Evidence


pytestmark = [pytest.mark.django_db, pytest.mark.scale]


def found(words):
    return get_search_backend().search(words, Evidence).count()


@pytest.fixture
def committed(tmp_path, django_capture_on_commit_callbacks):
    """Import through the command, then run what its commit runs (the index
    task, with the suite's immediate backend); returns the command's stdout."""

    def run(content, *args):
        with django_capture_on_commit_callbacks(execute=True):
            out, _err = run_import(tmp_path, content, "--user", "verifier", *args)
        return out

    return run


def queries_to_import(tmp_path, content):
    with CaptureQueriesContext(connection) as queries:
        run_import(tmp_path, content, "--user", "verifier")
    return len(queries)


def test_a_new_row_costs_a_fraction_of_a_query_whatever_the_file_size(users, tmp_path):
    """Everything, the revisions included, is written once per batch of rows;
    what grows with the rows is only the number of inserts a database splits a
    bulk insert into (SQLite: about 18 records an insert, by its limit on
    parameters)."""
    small = queries_to_import(tmp_path, csv_file(HEADER, *new_rows(10)))
    large = queries_to_import(tmp_path, csv_file(HEADER, *new_rows(50, start=100)))

    assert Evidence.objects.count() == 60
    assert (large - small) / 40 <= 0.25, (small, large)


def test_an_unchanged_file_costs_no_query_per_row(users, tmp_path):
    run_import(tmp_path, csv_file(HEADER, *new_rows(50)), "--user", "verifier")
    small = queries_to_import(tmp_path, csv_file(HEADER, *new_rows(10)))
    large = queries_to_import(tmp_path, csv_file(HEADER, *new_rows(50)))

    assert large == small


def test_bulk_written_records_are_what_a_save_would_write(users, committed):
    out = committed(csv_file(HEADER, *new_rows(3)))

    assert out.splitlines()[-1] == "3 created, 0 updated, 0 unchanged."
    for record in Evidence.objects.order_by("pk"):
        assert not record.live and record.has_unpublished_changes
        assert record.provider == "telegram" and record.render_token
        assert record.latest_revision.as_object().title == record.title
        assert sorted(record.tags.names()) == ["Aleppo", "convoy"]
        assert [(c.name, c.role) for c in record.credits.all()] == [
            ("Obretix", "geolocation")
        ]
        assert [a.account for a in record.appearances.all()] == ["A channel"]
        actions = list(
            ModelLogEntry.objects.filter(object_id=str(record.pk))
            .order_by("pk")
            .values_list("action", "user__username", "revision_id")
        )
        assert actions == [
            ("wagtail.create", "verifier", record.latest_revision_id),
            ("wagtail_evidence.verdict", "verifier", None),
        ]
    # Found by the search backend, tags and credits included.
    assert found("Obretix") == 3
    assert found("convoy") == 3


def test_the_references_are_the_ones_wagtail_would_index(users, committed):
    committed(csv_file(HEADER, *new_rows(3)))

    def references():
        return sorted(
            ReferenceIndex.objects.values_list(
                "object_id", "to_content_type", "to_object_id", "content_path"
            )
        )

    imported = references()
    ReferenceIndex.objects.all().delete()
    for record in Evidence.objects.all():
        ReferenceIndex.create_or_update_for_object(record)
    assert imported == references()


def test_a_draft_updated_by_a_file_gets_its_new_children_tags_and_index(
    users, tmp_path, committed
):
    committed(csv_file(HEADER, *new_rows(2)))
    revisions = Revision.objects.count()
    changed = new_rows(2, title="Renamed {}", tags="Idlib")
    changed[0][5] = "Afrin Post | translation\nObretix | geolocation"

    out = committed(csv_file(HEADER, *changed))

    assert out.splitlines()[-1] == "0 created, 2 updated, 0 unchanged."
    assert Revision.objects.count() == revisions + 2
    first = Evidence.objects.get(media_url="https://t.me/demo_observers/0")
    assert first.title == "Renamed 0"  # a draft's row is its working copy
    assert list(first.tags.names()) == ["Idlib"]
    assert [c.name for c in first.credits.all()] == ["Afrin Post", "Obretix"]
    assert found("Renamed") == 2
    assert found("Convoy") == 0
    tags = ReferenceIndex.objects.filter(model_path="tagged_items.item.tag")
    assert sorted(tags.values_list("to_object_id", flat=True)) == sorted(
        str(record.tags.get().pk) for record in Evidence.objects.all()
    )  # the old tags' references gone with them

    again, _err = run_import(tmp_path, csv_file(HEADER, *changed), "--user", "verifier")
    assert again.splitlines()[-1] == "0 created, 0 updated, 2 unchanged."
    assert Revision.objects.count() == revisions + 2


def test_a_live_record_changed_by_a_file_keeps_its_row_for_readers(users, tmp_path):
    run_import(
        tmp_path, csv_file(HEADER, *new_rows(1)), "--user", "verifier", "--publish"
    )
    record = Evidence.objects.get()
    assert record.live and not record.has_unpublished_changes

    run_import(
        tmp_path,
        csv_file(HEADER, *new_rows(1, title="Draft title {}")),
        "--user",
        "verifier",
    )

    record = Evidence.objects.get()
    assert record.title == "Convoy 0" and record.has_unpublished_changes
    assert record.latest_revision.as_object().title == "Draft title 0"


def test_a_bad_row_among_many_batches_undoes_every_batch(users, tmp_path, monkeypatch):
    from wagtail_evidence.exchange import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 5)
    good = new_rows(23)
    before = (Evidence.objects.count(), Revision.objects.count())

    with pytest.raises(Exception, match="1 row with errors"):
        run_import(
            tmp_path,
            csv_file(HEADER, *good, ["https://t.me/x/1", "", "", "", "", "", ""]),
            "--user",
            "verifier",
        )

    assert (Evidence.objects.count(), Revision.objects.count()) == before


def test_a_repeated_address_in_another_batch_is_still_refused(
    users, tmp_path, monkeypatch
):
    from wagtail_evidence.exchange import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 5)
    content = csv_file(HEADER, *new_rows(12), new_rows(1)[0])

    err = refused_import_stderr(
        tmp_path, content, "--user", "verifier", match="1 row with errors"
    )

    assert err == (
        "line 14: media_url: This address is also on line 2. Give each record once.\n"
    )
    assert not Evidence.objects.exists()


# A file is read as it is planned, never whole, CSV or JSON


class CountingFile(io.RawIOBase):
    def __init__(self, content):
        self.source = io.BytesIO(content)
        self.read_bytes = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, *args):
        return self.source.seek(*args)

    def readinto(self, buffer):
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        self.read_bytes += len(data)
        return len(data)


def test_a_csv_file_is_read_as_its_rows_are_wanted():
    content = csv_file(HEADER, *new_rows(20_000)).encode()
    handle = io.BufferedReader(CountingFile(content))

    read = codecs.read(handle, "csv")
    first = next(read)

    assert first.line == 2 and first.values["title"] == "Convoy 0"
    assert handle.raw.read_bytes < 100_000 < len(content)
    assert sum(1 for _row in read) == 19_999
    assert not handle.closed  # the caller's file, left open for the second pass


def test_the_command_reads_standard_input_once_as_it_comes(users, monkeypatch):
    content = csv_file(HEADER, *new_rows(3)).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(content)))
    out = io.StringIO()

    call_command(
        "import_evidence", "-", "--user", "verifier", "--format", "csv", stdout=out
    )

    assert out.getvalue().splitlines()[-1] == "3 created, 0 updated, 0 unchanged."


def test_a_file_that_is_not_utf8_past_its_first_rows_names_its_line(users, tmp_path):
    content = csv_file(HEADER, *new_rows(3)).encode() + b"https://t.me/x/9,\xff\xfe\n"

    with pytest.raises(Exception, match="the file cannot be read"):
        run_import(tmp_path, content, "--user", "verifier")
    err = refused_import_stderr(
        tmp_path, content, "--user", "verifier", match="the file cannot be read"
    )
    assert err.startswith("line 5: The file is not UTF-8 text.")
    assert not Evidence.objects.exists()


def test_a_json_file_is_read_as_its_records_are_wanted():
    content = json_records(5_000).encode()
    handle = io.BufferedReader(CountingFile(content))

    read = codecs.read(handle, "json")
    first = next(read)

    assert first.line == 2 and first.values["title"] == "Convoy 0"
    assert handle.raw.read_bytes < 200_000 < len(content)
    rest = list(read)
    assert len(rest) == 4_999
    # Records cut by the chunks' edges are read whole, on the line they start on.
    assert [row.values["title"] for row in rest[-2:]] == ["Convoy 4998", "Convoy 4999"]
    lines = content.decode().splitlines()
    starts = [number for number, text in enumerate(lines, start=1) if text == "  {"]
    assert [row.line for row in rest[-2:]] == starts[-2:]


def test_a_large_json_file_imports_through_the_command(users, tmp_path):
    content = json_records(600)
    assert len(content) > 2 * codecs.CHUNK_SIZE  # records cut by chunk edges

    out, _err = run_import(
        tmp_path, content, "--user", "verifier", name="evidence.json"
    )

    assert out.splitlines()[-1] == "600 created, 0 updated, 0 unchanged."
    last = Evidence.objects.get(media_url="https://t.me/demo_observers/599")
    assert last.title == "Convoy 599" and str(last.latitude) == "36.200000"
    assert sorted(last.tags.names()) == ["Aleppo", "convoy"]


def broken_at_the_end(count):
    """(A JSON file of ``count`` good records then a broken one, its line)."""
    good = json_records(count)
    head = good[: good.rindex("}") + 1]
    line = head.count("\n") + 2
    return head + ',\n  {"media_url": "https://t.me/x/1", "title": tru}\n]\n', line


def test_malformed_json_at_the_end_of_a_large_file_names_its_line_and_writes_nothing(
    users, tmp_path
):
    content, line = broken_at_the_end(600)
    before = state()

    with pytest.raises(CommandError, match="the file cannot be read") as error:
        run_import(tmp_path, content, "--user", "verifier", name="evidence.json")

    assert str(error.value) == "Nothing was imported: the file cannot be read."
    err = refused_import_stderr(
        tmp_path, content, "--user", "verifier", name="again.json"
    )
    assert err == f"line {line}: This is not valid JSON: Expecting value\n"
    assert state() == before


def test_the_admin_names_the_line_of_malformed_json_at_the_end_of_a_large_file(login):
    content, line = broken_at_the_end(600)
    before = state()

    response = upload(login("verifier"), content, name="evidence.json")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: the file cannot be read." in html
    assert f"Line {line}" in html and "This is not valid JSON: Expecting value" in html
    assert state() == before


def test_a_bad_row_at_the_end_of_a_large_file_writes_nothing(
    users, tmp_path, django_capture_on_commit_callbacks
):
    """Two batches of 500 rows are written before the last row's error is
    found: the transaction undoes them, and their index tasks with them."""
    before = state()
    content = csv_file(
        HEADER, *new_rows(1_100), ["https://t.me/x/1", "", "", "", "", "", ""]
    )

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CommandError, match="Nothing was imported: 1 row with errors"),
    ):
        run_import(tmp_path, content, "--user", "verifier")

    assert callbacks == []
    assert state() == before
    assert not Evidence.objects.exists()
    assert found("Convoy") == 0


# The search index, in a task once the import commits


REGISTER_URL = reverse("wagtail_evidence:register")


def register_search(client, query):
    """The titles the register lists for ``query``, as an editor searches it."""
    from bs4 import BeautifulSoup

    response = client.get(REGISTER_URL, {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(
        title.get_text(strip=True)
        for title in soup.select('tbody tr [id^="snippet_"][id$="_title"]')
    )


def history(client, record):
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[record.pk])
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def broken_search(monkeypatch):
    """The search backend refuses to index while ``broken`` holds True."""
    backend_class = type(get_search_backend())
    add_bulk = backend_class.add_bulk
    broken = [True]

    def refusing(self, model, objects):
        if broken[0]:
            raise ConnectionError("the search service is down")
        return add_bulk(self, model, objects)

    monkeypatch.setattr(backend_class, "add_bulk", refusing)
    return broken


def test_the_register_finds_imported_records_once_their_index_task_has_run(
    login, tmp_path, django_capture_on_commit_callbacks
):
    editor = login("editor")
    with django_capture_on_commit_callbacks() as callbacks:
        run_import(tmp_path, csv_file(HEADER, *new_rows(3)), "--user", "verifier")

    # Written, but the import itself indexed nothing: the task does, on commit.
    assert Evidence.objects.count() == 3
    assert register_search(editor, "Obretix") == []
    assert not ReferenceIndex.objects.exists()
    assert len(callbacks) == 1  # one task for the batch, not one per row
    callbacks[0]()  # the commit: the immediate backend runs the task

    expected = ["Convoy 0", "Convoy 1", "Convoy 2"]
    assert register_search(editor, "Obretix") == expected  # a credit
    assert register_search(editor, "convoy aleppo") == expected  # a tag, a place
    assert ReferenceIndex.objects.count() == 6  # each record's two tags


def test_an_import_enqueues_one_index_task_per_batch_and_a_rerun_is_harmless(
    users, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    monkeypatch.setattr("wagtail_evidence.exchange.importer.BATCH_SIZE", 5)

    with django_capture_on_commit_callbacks(execute=True):
        run_import(tmp_path, csv_file(HEADER, *new_rows(12)), "--user", "verifier")

    enqueued = default_task_backend.results
    assert [len(result.args[0]) for result in enqueued] == [5, 5, 2]
    assert {pk for result in enqueued for pk in result.args[0]} == set(
        Evidence.objects.values_list("pk", flat=True)
    )
    assert found("Obretix") == 0  # the dummy backend runs nothing
    queries = []
    for result in enqueued:
        with CaptureQueriesContext(connection) as captured:
            indexed = tasks.index_imported_records.call(*result.args)
        assert indexed == len(result.args[0])
        queries.append(len(captured))
    assert queries[1] == queries[2]  # 5 records or 2: the same queries
    assert found("Obretix") == 12
    entries = (IndexEntry.objects.count(), ReferenceIndex.objects.count())
    for result in enqueued:  # run again, as a retry would: the same entries
        tasks.index_imported_records.call(*result.args)
    assert (IndexEntry.objects.count(), ReferenceIndex.objects.count()) == entries
    assert found("Obretix") == 12


def test_a_failing_index_task_is_in_the_history_and_retried_on_the_queue(
    users,
    login,
    tmp_path,
    rq_tasks,
    broken_search,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(tasks, "RETRY_DELAYS", (0, 0, 0))
    with django_capture_on_commit_callbacks(execute=True):
        out, _err = run_import(
            tmp_path, csv_file(HEADER, *new_rows(3)), "--user", "verifier"
        )
    assert out.splitlines()[-1] == "3 created, 0 updated, 0 unchanged."
    assert queue().count == 1

    run_worker()  # the search service is down: the task fails, a retry waits

    assert queue().failed_job_registry.count == 1  # the queue keeps it too
    records = list(Evidence.objects.order_by("pk"))
    assert len(records) == 3 and found("Obretix") == 0  # no record lost
    for record in records:
        (failed,) = ModelLogEntry.objects.filter(
            object_id=str(record.pk), action=tasks.INDEX_FAILED
        )
        assert failed.data["attempt"] == 1 and failed.data["retry_at"]
        assert failed.data["error"] == "ConnectionError" and failed.user is None
    desk = login("verifier")
    assert (
        "This imported record could not be indexed (attempt 1, ConnectionError): "
        "the register's search may not find it yet. It will be retried at"
    ) in history(desk, records[0])

    broken_search[0] = False
    run_worker()  # the retry is due, the service answers

    assert found("Obretix") == 3
    assert register_search(desk, "Obretix") == ["Convoy 0", "Convoy 1", "Convoy 2"]
    recovered = ModelLogEntry.objects.filter(action=tasks.INDEX_RECOVERED)
    assert sorted(entry.object_id for entry in recovered) == [
        str(record.pk) for record in records
    ]
    assert "This imported record was indexed at attempt 2." in history(desk, records[2])


def test_a_failing_index_task_on_the_immediate_backend_says_how_to_catch_up(
    users, login, broken_search, committed
):
    out = committed(csv_file(HEADER, *new_rows(2)))

    # The import is done and whole; only the index is missing.
    assert out.splitlines()[-1] == "2 created, 0 updated, 0 unchanged."
    assert Evidence.objects.count() == 2 and found("Obretix") == 0
    record = Evidence.objects.order_by("pk").first()
    assert (
        "This imported record could not be indexed (attempt 1, ConnectionError) "
        "and will not be retried: the register's search may not find it. Save "
        "the record again to index it now."
    ) in history(login("verifier"), record)

    broken_search[0] = False
    pks = list(Evidence.objects.values_list("pk", flat=True))
    tasks.index_imported_records.enqueue(pks)  # the same task, run again
    assert found("Obretix") == 2


def test_a_queue_that_is_down_leaves_the_import_done_and_says_so(
    users, login, settings, committed
):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0"}}  # no Redis
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}

    out = committed(csv_file(HEADER, *new_rows(2)))

    assert out.splitlines()[-1] == "2 created, 0 updated, 0 unchanged."
    assert Evidence.objects.count() == 2 and found("Obretix") == 0
    (failed, _other) = ModelLogEntry.objects.filter(action=tasks.INDEX_FAILED)
    assert failed.data["error"] == "ConnectionError" and failed.data["retry_at"] is None
    record = Evidence.objects.get(pk=failed.object_id)
    assert "and will not be retried" in history(login("verifier"), record)


@pytest.fixture
def cramped_temporary_folder(monkeypatch):
    """The import's notes of addresses may not grow past three pages: SQLite's
    own "database or disk is full", as from a full temporary folder."""
    real_connect = sqlite3.connect

    def cramped(*args, **kwargs):
        database = real_connect(*args, **kwargs)
        database.execute("PRAGMA max_page_count = 3")
        return database

    monkeypatch.setattr(
        first_lines,
        "sqlite3",
        SimpleNamespace(connect=cramped, OperationalError=sqlite3.OperationalError),
    )


def test_a_full_temporary_folder_is_named_and_nothing_is_written(
    login, tmp_path, cramped_temporary_folder
):
    before = state()
    content = csv_file(HEADER, *new_rows(1_100))

    for args, said in (
        (["--dry-run"], "Nothing was imported: the dry run failed."),
        ([], "Nothing was imported: writing failed and was undone."),
    ):
        _out, err, error = run_import_catching(
            tmp_path, content, "--user", "verifier", *args
        )
        assert str(error) == said
        assert "temporary folder (database or disk is full)" in err
        assert "SQLITE_TMPDIR" in err

    client = login("verifier")
    for data, said in (
        ({"dry_run": "on"}, "Nothing was imported: the import could not be planned."),
        ({}, "Nothing was imported: writing the records failed"),
    ):
        response = upload(client, content, **data)
        page = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert said in page
        assert "temporary folder (database or disk is full)" in page
    assert state() == before
