"""The import of 1,000 and 10,000 rows: CPU per row, queries per row and peak
memory, on SQLite and (with ``DATABASE_URL``) PostgreSQL.

Prints figures only (run with -s); times are never asserted (the query count per
row is, in tests/test_exchange_scale.py). Each size imports a file of new
records through the ``import_evidence`` command, as the desk would, with the
desk's user (every column may change), then imports the same file again (every
row unchanged). The memory peak is measured in runs of their own, since
tracemalloc slows Python down: it is the most the import held at once, and
should not grow with the file, CSV or JSON.

CPU is this process's (time.process_time): on PostgreSQL, the server's work is
in the wall time, printed beside it. The goal is the one of issue 15:
at most 2.5 ms of CPU per row at 10,000 rows, and memory flat in the file size.

The import leaves the indexing of its records (search entries, references) to
a task, enqueued when it commits (wagtail_evidence/exchange/tasks.py). The bench enqueues it on
django-tasks' dummy backend, as a worker's queue would hold it, so that the
import's CPU is the import's; then it runs the tasks, as the worker would, and
prints their CPU beside the import's ("worker"). With the default immediate
backend, one process spends both, one after the other.

With ``DATABASE_URL`` set to PostgreSQL, the bench runs there, then runs again
on SQLite in a process of its own (the settings choose one database per
process), so that one run prints both:

    .venv/bin/python -m pytest -m bench tests/benchmarks/test_bench_import.py -s -p no:randomly
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence_bench \\
        .venv/bin/python -m pytest -m bench tests/benchmarks/test_bench_import.py -s -p no:randomly
"""

import csv
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django_tasks import default_task_backend
from wagtail.search.models import IndexEntry

from wagtail_evidence.models import Evidence


pytestmark = [pytest.mark.bench]

# IMPORT_BENCH_SIZES=100,200 for a quick look; the goal is read at 10,000.
SIZES = tuple(
    int(size) for size in os.environ.get("IMPORT_BENCH_SIZES", "1000,10000").split(",")
)
GOAL_MS = 2.5  # CPU per row at 10,000 rows
MEMORY_GOAL = 1.5  # the peak at 10,000 rows at most 1.5 times that at 1,000
ONE_ENGINE = "IMPORT_BENCH_ONE_ENGINE"  # set in the process the bench starts
HEADER = [
    "media_url",
    "title",
    "description",
    "platform",
    "account",
    "first_seen",
    "place",
    "country",
    "latitude",
    "longitude",
    "location_status",
    "filmed_on",
    "verdict",
    "warning_level",
    "tags",
    "credits",
]
PLACES = ["Aleppo", "Idlib", "Hama", "Raqqa", "Afrin", "Manbij", "Azaz"]


def load():
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""


def row(prefix, number):
    """A row as a desk's spreadsheet has it: a dozen columns, two tags, a credit."""
    return [
        f"https://x.com/{prefix}{number % 50}/status/{number}",
        f"Convoy {prefix} {number:06d}",
        "Trucks carry armed men along a road.",
        "x",
        f"@{prefix}{number % 50}",
        "2020-09-27",
        PLACES[number % len(PLACES)],
        "Syria",
        f"36.{number % 1000:03d}",
        "37.1",
        "confirmed",
        "2020-09-26",
        "verified" if number % 2 else "pending",
        "none",
        f"{PLACES[number % len(PLACES)]}, convoy",
        f"Observer {number % 50} | geolocation | Bellingcat",
    ]


def write_file(path, prefix, size):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(size):
            writer.writerow(row(prefix, number))


def json_record(prefix, number):
    """row() as the JSON export has it: lists, objects and numbers."""
    record = dict(zip(HEADER, row(prefix, number), strict=True))
    name, role, organisation = record["credits"].split(" | ")
    record["credits"] = [{"name": name, "role": role, "organisation": organisation}]
    record["tags"] = record["tags"].split(", ")
    record["latitude"] = float(record["latitude"])
    record["longitude"] = float(record["longitude"])
    return record


def write_json_file(path, prefix, size):
    """The JSON file, written a record at a time (the bench holds none whole)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[\n")
        for number in range(size):
            separator = ",\n" if number else ""
            handle.write(separator + json.dumps(json_record(prefix, number), indent=2))
        handle.write("\n]\n")


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@pytest.fixture
def queued_tasks(settings):
    """Tasks kept in a queue (django-tasks' dummy backend), as for a worker."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    yield
    default_task_backend.clear()


def run_worker():
    """Run the tasks the import enqueued, as a worker would: (CPU s, tasks)."""
    results = list(default_task_backend.results)
    default_task_backend.clear()
    cpu = time.process_time()
    for result in results:
        result.task.call(*result.args, **result.kwargs)
    return time.process_time() - cpu, len(results)


class LastLine(io.TextIOBase):
    """The command's output, as a terminal takes it: only its last line is kept,
    so that the memory measured is the command's, not a capture of its listing
    (a line per row, which grew with the file)."""

    def __init__(self):
        self.last = ""

    def writable(self):
        return True

    def write(self, text):
        lines = text.splitlines()
        if lines:
            self.last = lines[-1]
        return len(text)


def run(path, memory=False):
    """(CPU s, wall s, queries, peak bytes or None, the command's last line)."""
    counter, out = QueryCounter(), LastLine()
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        call_command("import_evidence", str(path), "--user", "verifier", stdout=out)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    peak = None
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return cpu, wall, counter.count, peak, out.last


def test_import_cpu_queries_and_memory_by_rows(
    users, migrated_database, queued_tasks, tmp_path
):
    print(f"\nimport on {connection.vendor}, {load()}")
    print(
        f"  {'rows':>7s} {'pass':10s} {'CPU ms/row':>11s} {'wall ms/row':>12s}"
        f" {'queries/row':>12s} {'worker CPU ms/row':>18s}  outcome"
    )
    cpu_per_row, worker_per_row, peaks = {}, {}, {}
    for size in SIZES:
        path = tmp_path / f"import-{size}.csv"
        write_file(path, f"t{size}", size)
        for label in ("new", "unchanged"):
            cpu, wall, queries, _peak, outcome = run(path)
            worker, tasks = run_worker()
            cpu_per_row[size, label] = cpu * 1000 / size
            worker_per_row[size, label] = worker * 1000 / size
            print(
                f"  {size:7,} {label:10s} {cpu * 1000 / size:11.2f}"
                f" {wall * 1000 / size:12.2f} {queries / size:12.2f}"
                f" {worker * 1000 / size:12.2f} ({tasks:2d})  {outcome}"
            )
        count = Evidence.objects.filter(title__startswith=f"Convoy t{size} ").count()
        assert count == size
        # The worker's tasks indexed every record.
        pks = Evidence.objects.filter(title__startswith=f"Convoy t{size} ")
        indexed = IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Evidence),
            object_id__in=[str(pk) for pk in pks.values_list("pk", flat=True)],
        )
        assert indexed.count() == size
    writers = {"CSV": (write_file, "csv"), "JSON": (write_json_file, "json")}
    for kind, (write, suffix) in writers.items():
        for size in SIZES:
            fresh = tmp_path / f"memory-{size}.{suffix}"
            write(fresh, f"m{kind}{size}", size)
            # New rows only: the costlier pass; tracing both doubled the bench's time.
            peaks[kind, size] = run(fresh, memory=True)[3]
            default_task_backend.clear()  # the index tasks: not the import's memory
            print(
                f"  {size:7,} rows, {kind} file {fresh.stat().st_size / 2**20:.1f} MiB:"
                f" peak {peaks[kind, size] / 2**20:.1f} MiB for new rows (traced)"
            )
    big, small = SIZES[-1], SIZES[0]
    for size in SIZES:
        for label in ("new", "unchanged"):
            cpu = cpu_per_row[size, label]
            met = "met" if cpu <= GOAL_MS else "NOT met"
            print(
                f"  CPU per {label} row at {size:,} rows on {connection.vendor}:"
                f" {cpu:.2f} ms, {cpu / GOAL_MS:.2f}× the goal of ≤ {GOAL_MS} ms: {met}"
            )
        worker = worker_per_row[size, "new"]
        print(
            f"  worker CPU per new row at {size:,} rows on {connection.vendor}"
            f" (indexing, deferred): {worker:.2f} ms; import and worker"
            f" together {cpu_per_row[size, 'new'] + worker:.2f} ms"
        )
    for kind in writers:
        ratio = peaks[kind, big] / peaks[kind, small]
        met = "met" if ratio <= MEMORY_GOAL else "NOT met"
        print(
            f"  peak memory, new rows, {kind}, {big:,} / {small:,} rows:"
            f" {ratio:.2f}×, goal ≤ {MEMORY_GOAL}× (flat): {met}"
        )


def test_import_on_sqlite_too_when_the_bench_runs_on_postgresql():
    """The same bench on SQLite, in a process of its own, when this one runs on
    PostgreSQL (DATABASE_URL): one run prints both engines."""
    if os.environ.get(ONE_ENGINE):
        pytest.skip("started by this test, for one engine")
    if connection.vendor == "sqlite":
        pytest.skip(
            "to print PostgreSQL beside SQLite, run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence_bench"
        )
    environment = {
        name: value for name, value in os.environ.items() if name != "DATABASE_URL"
    }
    environment[ONE_ENGINE] = "1"
    test = f"{__file__}::test_import_cpu_queries_and_memory_by_rows"
    command = [sys.executable, "-m", "pytest", "-m", "bench", test]
    command += ["-q", "-s", "-p", "no:randomly", "-p", "no:cacheprovider"]
    finished = subprocess.run(  # noqa: S603 (this interpreter, this file)
        command, env=environment, capture_output=True, text=True, check=False
    )
    lines = finished.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("import on"))
    print(
        "\n"
        + "\n".join(
            line for line in lines[start:] if line.startswith(("import on", "  "))
        )
    )
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
