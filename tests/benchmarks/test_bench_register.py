"""The evidence register at 1,000, 10,000 and 100,000 records: its queries, and
its time against the same request at 1,000 records.

Prints figures only (run with -s); query counts, which do not depend on the
machine, are asserted, times never. A row is held to its goal from the
smallest size whose page lists as many records as at the largest (a search of
one record in a hundred lists 10 at 1,000 and 50 from 10,000 on); its ratio
from 1,000 is printed beside it. Each row is the fastest of RUNS requests
after one warm-up (the least disturbed by whatever else the machine runs), on
a database that has been vacuumed and analysed as a live one would be. The
100,000 size runs on PostgreSQL only
(``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence``): on
SQLite it is skipped with its reason printed.

The records are made in bulk, with one statement a table (COPY on PostgreSQL:
about 20 s for 100,000 records and their credits, citations, archives, source
statuses and near-duplicates on an idle 2-core machine). Their search index
entries are Wagtail's own for the first 1,000 (indexed by the search backend);
on PostgreSQL every later record gets a copy of the entry of the record it
repeats (number modulo 1,000), made in one INSERT … SELECT, since indexing
100,000 records one by one would take most of the run.
"""

import os
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.choices import (
    FacetStatus,
    SourceStatus,
    SourceTaskKind,
    SourceTaskState,
    Verdict,
)
from wagtail_evidence.models import (
    Credit,
    Evidence,
    NearDuplicate,
    SourceCheck,
    SourceTask,
)


pytestmark = [pytest.mark.bench]

SIZES = (1_000, 10_000, 100_000)
TEMPLATES = 1_000  # records indexed by the backend; later ones repeat them
# Requests are cheap: the fastest of many is the one least disturbed by load.
RUNS = 15
GOAL = 1.5  # time at every size at most 1.5 times the time at 1,000 records

ROWS = {
    "default listing": {},
    "ordered by usage": {"ordering": "-usage_count"},
    "search, 10 matches": {"q": "lachin"},
    # At 1,000 records its ten matches make a page of ten rows, against fifty
    # from 10,000 on: rendering the rows, not finding them, is what grows.
    "search, 1% matching": {"q": "horadiz"},
    # A full page at every size, of 50 to 5,000 matches.
    "search, 5% matching": {"q": "karabakh"},
    "badge filter": {"badge": "disputed"},
}

TOPICS = ["Convoy", "Strike", "Crowd", "Checkpoint", "Fire", "Shelter", "Queue"]
PLACES = ["Aleppo", "Idlib", "Hama", "Raqqa", "Afrin", "Manbij", "Azaz"]
STATUSES = [
    FacetStatus.CONFIRMED,
    FacetStatus.NOT_ESTABLISHED,
    FacetStatus.UNCHECKED,
    FacetStatus.CONFIRMED,
    FacetStatus.DISPUTED,
    FacetStatus.UNCHECKED,
    FacetStatus.CONFIRMED,
    FacetStatus.CONTRADICTED,
]
VERDICTS = [Verdict.VERIFIED, Verdict.PENDING, Verdict.VERIFIED, Verdict.MISLEADING]


def varying(number):
    """What differs from one record to the next: a mix of badges, one record in
    a hundred filmed in Horadiz, one in twenty in Karabakh (what the search
    rows look for; both repeat every 1,000 records, as index entries do)."""
    topic = TOPICS[number % len(TOPICS)]
    return {
        "title": f"{topic} {number:06d}",
        "media_url": f"https://x.com/observer{number % 50}/status/{number}",
        "media_id": str(number),
        "description": f"A {topic.lower()} seen from a roof.",
        "place": "Horadiz" if number % 100 == 7 else PLACES[number % len(PLACES)],
        "region": "Karabakh" if number % 20 == 9 else "",
        "location_status": STATUSES[number % len(STATUSES)],
        "date_status": STATUSES[(number // 3) % len(STATUSES)],
        "identity_status": STATUSES[(number // 5) % len(STATUSES)],
        "verdict": VERDICTS[(number // 7) % len(VERDICTS)],
        "live": number % 3 != 0,
        "render_token": f"{number:032x}",
    }


def insert_rows(model, rows):
    """Rows (dicts of field values) inserted in one statement, as the database
    stores them: COPY on PostgreSQL, many-row INSERT elsewhere; every field a
    row leaves out takes its default. No save(), no signals: bench data only."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    blank = model()
    columns = [field.column for field in fields]
    values = [
        [
            field.get_db_prep_save(
                row.get(field.attname, getattr(blank, field.attname)), connection
            )
            for field in fields
        ]
        for row in rows
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                values,
            )


class Register:
    """The bench's records, grown in place from one size to the next."""

    def __init__(self):
        self.total = 0
        self.numbered = {}  # number: pk
        self.content_type = ContentType.objects.get_for_model(Evidence)
        # A real citation, whose reference rows later records copy (one in 50 cited).
        self.cited = make_evidence(title="Cited record")
        make_article([evidence_block(self.cited)], title="Citing", slug="citing")
        self.references = list(
            ReferenceIndex.objects.filter(
                to_content_type=self.content_type, to_object_id=str(self.cited.pk)
            ).values()
        )
        # Ten records filmed in Lachin, at every size: a search of ten matches.
        insert_rows(
            Evidence,
            [
                {"title": f"Road in Lachin {number}", "place": "Lachin"}
                for number in range(10)
            ],
        )
        get_search_backend().add_bulk(
            Evidence, Evidence.get_indexed_objects().filter(place="Lachin")
        )

    def grow_to(self, total):
        started = time.perf_counter()
        numbers = range(self.total, total)
        common = {"provider": "x", "country": "Syria"}
        insert_rows(Evidence, [{**common, **varying(number)} for number in numbers])
        added = dict(
            Evidence.objects.filter(provider="x")
            .exclude(pk__in=self.numbered.values())
            .values_list("media_id", "pk")
        )
        numbered = {int(media_id): pk for media_id, pk in added.items()}
        insert_rows(
            Credit,
            [
                {"evidence_id": pk, "name": f"Observer {number % 50}", "sort_order": 0}
                for number, pk in numbered.items()
            ],
        )
        self.numbered.update(numbered)
        self.cite(pk for number, pk in numbered.items() if number % 50 == 3)
        self.give_provenance(numbered)
        self.index(numbered)
        self.total = total
        self.analyse()
        return time.perf_counter() - started

    def cite(self, pks):
        rows = []
        for pk in pks:
            for reference in self.references:
                row = {**reference, "id": None, "to_object_id": str(pk)}
                rows.append(ReferenceIndex(**row))
        ReferenceIndex.objects.bulk_create(rows)

    def give_provenance(self, numbered):
        """One record in 50 with an archive, its media's status and a
        near-duplicate (the record before it): the register's near-duplicate
        and sources columns read rows, as they would in a newsroom."""
        now = timezone.now()
        chosen = {number: pk for number, pk in numbered.items() if number % 50 == 11}
        insert_rows(
            SourceTask,
            [
                {
                    "evidence_id": pk,
                    "kind": SourceTaskKind.ARCHIVE,
                    "state": SourceTaskState.DONE,
                    "requested_at": now,
                }
                for pk in chosen.values()
            ],
        )
        insert_rows(
            SourceCheck,
            [
                {
                    "evidence_id": pk,
                    "url": varying(number)["media_url"],
                    "status": SourceStatus.DELETED,
                    "updated_at": now,
                }
                for number, pk in chosen.items()
            ],
        )
        insert_rows(
            NearDuplicate,
            [
                {
                    "evidence_id": pk,
                    "other_id": numbered[number - 1],
                    "distance": 4,
                    "found_at": now,
                }
                for number, pk in chosen.items()
            ],
        )

    def index(self, numbered):
        on_postgresql = connection.vendor == "postgresql"
        by_backend = [
            pk
            for number, pk in numbered.items()
            if number < TEMPLATES or not on_postgresql
        ]
        # Wagtail's indexing, as a save does it (tags and credits included).
        get_search_backend().add_bulk(
            Evidence, Evidence.get_indexed_objects().filter(pk__in=by_backend)
        )
        if on_postgresql:
            self.copy_index_entries(numbered)

    def copy_index_entries(self, numbered):
        pairs = [
            (pk, self.numbered[number % TEMPLATES])
            for number, pk in numbered.items()
            if number >= TEMPLATES
        ]
        if not pairs:
            return
        table = connection.ops.quote_name(IndexEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table}
                    (content_type_id, object_id, title_norm, title, autocomplete, body,
                     title_text, body_text)
                SELECT entry.content_type_id, pairs.copy::text, entry.title_norm,
                       entry.title, entry.autocomplete, entry.body, entry.title_text,
                       entry.body_text
                FROM unnest(%s::bigint[], %s::bigint[]) AS pairs(copy, template)
                JOIN {table} AS entry
                  ON entry.content_type_id = %s AND entry.object_id = pairs.template::text
                """,  # noqa: S608 (the table's name is the model's)
                [
                    [copy for copy, _template in pairs],
                    [template for _copy, template in pairs],
                    self.content_type.pk,
                ],
            )

    @staticmethod
    def analyse():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")


def explain(queries):
    """EXPLAIN ANALYZE of each SELECT that took over a millisecond (PostgreSQL)."""
    for query in queries:
        sql = " ".join(query["sql"].split())
        if not sql.startswith("SELECT") or float(query["time"]) < 0.001:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
            plan = "\n      ".join(line for (line,) in cursor.fetchall())
        print(f"    {sql[:160]}…\n      {plan}")


def database_process_cpu():
    """A function giving the CPU time (ns) the database's process serving this
    connection has used, where Linux tells it (/proc/<pid>/schedstat); None
    on SQLite, which runs in this process, or elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    path = f"/proc/{pid}/schedstat"
    if not os.access(path, os.R_OK):
        return None

    def used():
        with open(path) as stat:
            return int(stat.read().split()[0])

    return used


def timed(client, url, query):
    """The fastest of RUNS requests, in wall-clock time and in CPU time (this
    process's, where the view runs, and the database's), its queries, and
    their time as Django saw them (ms)."""
    database_cpu = database_process_cpu() or (lambda: 0)
    client.get(url, query)  # warm-up
    walls, cpus = [], []
    for _run in range(RUNS):
        started = time.perf_counter(), time.process_time_ns(), database_cpu()
        response = client.get(url, query)
        walls.append((time.perf_counter() - started[0]) * 1000)
        used = time.process_time_ns() - started[1] + database_cpu() - started[2]
        cpus.append(used / 1e6)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    if os.environ.get("BENCH_EXPLAIN") and connection.vendor == "postgresql":
        print(f"\n  {query or 'default listing'}:")
        explain(queries.captured_queries)
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    shown = len(BeautifulSoup(response.content, "html.parser").select("tbody tr"))
    assert shown > 0  # every row lists records: an empty page measures nothing
    return {"wall": min(walls), "cpu": min(cpus), "sql": sql}, len(queries), shown


def baseline_size(shown, sizes):
    """The smallest size whose page lists as many records as the largest's: a
    search that finds 10 records at 1,000 lists a page of 50 from 10,000 on,
    and writing 50 rows is not finding them more slowly."""
    return next(size for size in sizes if shown[size] == shown[sizes[-1]])


def growth(by_size, small, large):
    """How many times the time at ``small`` the time at ``large`` is; NaN where
    the smaller is 0 (SQL under a millisecond, as Django rounds it)."""
    return by_size[large] / by_size[small] if by_size[small] else float("nan")


def print_table(title, figures, sizes, shown, verdict):
    print(title)
    for row in ROWS:
        by_size = figures[row]
        baseline = baseline_size(shown[row], sizes)
        ratio = growth(by_size, baseline, sizes[-1])
        note = ""
        if baseline != sizes[0]:
            note = (
                f"  (from {baseline:,}: {shown[row][sizes[0]]} rows listed at"
                f" {sizes[0]:,}, {shown[row][baseline]} from {baseline:,};"
                f" from {sizes[0]:,}: {growth(by_size, sizes[0], sizes[-1]):.2f}×)"
            )
        print(
            f"  {row:20s}"
            + "".join(f"{by_size[size]:10.1f}" for size in sizes)
            + f"{ratio:7.2f}×"
            + (f"  {'met' if ratio <= GOAL else 'NOT met'}" if verdict else "")
            + note
        )


def test_register_time_and_queries_by_records(admin_client, migrated_database):
    url = reverse("wagtail_evidence:register")
    on_postgresql = connection.vendor == "postgresql"
    sizes = SIZES if on_postgresql else SIZES[:-1]
    register = Register()
    figures = {kind: {row: {} for row in ROWS} for kind in ("wall", "cpu", "sql")}
    queries = {row: {} for row in ROWS}
    shown = {row: {} for row in ROWS}  # records listed on the page
    for size in sizes:
        took = register.grow_to(size)
        print(f"\n{size:,} records made and indexed in {took:.1f} s")
        for row, query in ROWS.items():
            measured, queries[row][size], shown[row][size] = timed(
                admin_client, url, query
            )
            for kind, value in measured.items():
                figures[kind][row][size] = value

    print(
        f"\nregister on {connection.vendor}, fastest of {RUNS} requests (ms)"
        f"\n  {'':20s}"
        + "".join(f"{size:>10,}" for size in sizes)
        + f"{'ratio':>8s}  goal ≤{GOAL}×"
    )
    # CPU time is the work a request costs; wall-clock time adds the waits for
    # a core, which on a shared machine depend on its load more than on us.
    print_table(
        "  CPU time (the web process and the database's):",
        figures["cpu"],
        sizes,
        shown,
        verdict=True,
    )
    print_table("  wall-clock time:", figures["wall"], sizes, shown, verdict=True)
    print_table(
        "  SQL as Django timed it, one request:",
        figures["sql"],
        sizes,
        shown,
        verdict=False,
    )
    print("  queries: " + "; ".join(f"{row} {queries[row]}" for row in ROWS))
    if not on_postgresql:
        print(
            "  100,000 records: skipped on SQLite; run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence"
        )
    for row in ROWS:
        counts = queries[row].values()
        # The order of use reads its first page's ids from the cited records,
        # the uncited ones or both, then the records in one read
        # (views/usage_order.py): one query more at most.
        allowance = 1 if row == "ordered by usage" else 0
        assert max(counts) - min(counts) <= allowance, (row, queries[row])
