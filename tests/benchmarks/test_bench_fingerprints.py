"""The near-duplicate check among the hashes of 1,000 and of 100,000 records'
posters: its queries, and its time against the same check at 1,000.

Each hash is a random 256-bit value, as unrelated pictures' PDQ hashes are;
one more is planted 20 bits away from the hash checked, so that every check
finds exactly one record. Multi-index hashing (models/near_duplicates.py) makes
the check one query at any size; its time grows with the chance candidates
(about 272 / 65,536 of the rows at the default threshold), not with a scan of
the rows. Prints figures only (run with -s); query counts are asserted, times
never. Each figure is the fastest of RUNS checks after a warm-up, on an
analysed database. SQLite by default, PostgreSQL with DATABASE_URL. Rows are
inserted in bulk, the chunk indexes built after them.
"""

import os
import random
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.benchmarks.test_bench_register import Register, explain, insert_rows
from wagtail_evidence.models import Evidence, MediaFingerprint
from wagtail_evidence.models.near_duplicates import (
    CHUNK_FIELDS,
    chunks_of,
    records_near,
    refresh_near_duplicates,
)


pytestmark = [pytest.mark.bench]

SIZES = (1_000, 100_000)
RUNS = 7
# The check reads the hashes, never the records' own table: the hashes of
# 100,000 records' posters are spread over this many records, which spares
# the bench minutes of inserting full records (test_bench_register.py does).
OWNERS = 1_000
NOW = timezone.now()
# The check at 100 times the records takes at most this many times as long
# (a scan would take 100 times as long; the candidates it reads grow with the
# rows, so some growth is expected).
GOAL = 10


def hash_row(evidence_id, value):
    return {
        "evidence_id": evidence_id,
        "source": "poster",
        "source_key": f"image:{evidence_id}:bench",
        "pdq": f"{value:064x}",
        "quality": 100,
        "created_at": NOW,
        **dict(zip(CHUNK_FIELDS, chunks_of(value), strict=True)),
    }


class Found:
    def __init__(self, value):
        self.pdq = f"{value:064x}"
        self.quality = 100


def chunk_indexes():
    """{index name: column} of the chunk columns' indexes."""
    table = MediaFingerprint._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: found["columns"][0]
        for name, found in constraints.items()
        if found["index"]
        and not found["unique"]
        and found["columns"] in ([column] for column in CHUNK_FIELDS)
    }


def grow(rng, owners, have, total):
    """Hashes up to ``total``, each owned by one of ``owners`` in turn. The
    chunk indexes are dropped for the load and built again after it, as a
    bulk load would do: built once, not grown row by row."""
    indexes = chunk_indexes()
    assert len(indexes) == len(CHUNK_FIELDS)
    quote = connection.ops.quote_name
    table = quote(MediaFingerprint._meta.db_table)
    with connection.cursor() as cursor:
        for name in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    insert_rows(
        MediaFingerprint,
        [
            hash_row(owners[number % len(owners)], rng.getrandbits(256))
            for number in range(have, total)
        ],
    )
    with connection.cursor() as cursor:
        for name, column in indexes.items():
            cursor.execute(f"CREATE INDEX {quote(name)} ON {table} ({quote(column)})")
    Register.analyse()


def statements(queries):
    """The queries, less the transaction's BEGIN, COMMIT and savepoints."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")
    return [q for q in queries.captured_queries if not q["sql"].startswith(control)]


def test_check_time_and_queries_by_records(migrated_database):
    rng = random.Random(2026)  # noqa: S311  bench data, not a secret
    checked = rng.getrandbits(256)
    near = checked ^ sum(1 << bit for bit in rng.sample(range(256), 20))
    planted = Evidence.objects.create(title="Planted", media_url="")
    insert_rows(MediaFingerprint, [hash_row(planted.pk, near)])
    asking = Evidence.objects.create(title="Asking", media_url="")
    insert_rows(MediaFingerprint, [hash_row(asking.pk, checked)])
    print(f"\nnear-duplicate check on {connection.vendor}:")
    print(f"  {'hashes':>8}  {'queries':>7}  {'check ms':>8}  {'save ms':>8}  ratio")
    insert_rows(Evidence, [{"title": f"Bench {n:04d}"} for n in range(OWNERS)])
    owners = list(
        Evidence.objects.filter(title__startswith="Bench ").values_list("pk", flat=True)
    )
    have, first = 0, None
    for size in SIZES:
        grow(rng, owners, have, size)
        have = size
        own = [Found(checked)]
        assert records_near(own, asking.pk) == {planted.pk: 20}
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            records_near(own, asking.pk)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            records_near(own, asking.pk)
        assert len(statements(queries)) == 1
        if os.environ.get("BENCH_EXPLAIN") and connection.vendor == "postgresql":
            explain(queries.captured_queries)
        # The whole refresh a save runs: its hashes, the check, the pairs.
        saves = []
        for _run in range(RUNS):
            started = time.perf_counter()
            refresh_near_duplicates(asking.pk)
            saves.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            refresh_near_duplicates(asking.pk)
        assert len(statements(queries)) == 4
        best = min(timings)
        first = first or best
        ratio = best / first
        print(
            f"  {size:>8,}  {1:>7}  {best:>8.2f}  {min(saves):>8.2f}  "
            f"{ratio:.2f} (goal <= {GOAL})"
        )
