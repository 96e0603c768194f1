"""What rendering evidence costs: queries per article, and time against core EmbedBlock.

Prints figures only (run with -s). Times are never asserted: they depend on the
machine. Query counts, which do not, are. Set BENCH_PROFILE=1 to also print a
cProfile of the evidence render.

The render cache of the cached cases is Django's RedisCache on the Redis at
127.0.0.1:6379 (tests/redis_server.py; the bench is skipped, loudly, without
it): a cache every process reads, which is what the warming after a save fills.

Each row is printed with the database it ran on: SQLite by default, PostgreSQL
with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wagtail_evidence`` (and
``--create-db``), as tests/benchmarks/test_bench_register.py does. On SQLite the
bench says how to get the PostgreSQL rows.
"""

import cProfile
import io
import os
import pstats
import statistics
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed

from tests.fake_archive_services import FakeService, Handler
from tests.test_query_counts import (
    SIZES,
    build_articles,
    reader_query_counts,
    statements,
    without_rendition_cache,
)
from wagtail_evidence.blocks import EvidenceBlock
from wagtail_evidence.models import Evidence
from wagtail_evidence.reader import render_cache
from wagtail_evidence.warming import warm_render_cache


pytestmark = [pytest.mark.bench, pytest.mark.django_db]

BLOCKS = 50
REPEATS = 25
TARGET_RATIO = 0.5  # our render time may be at most half of core EmbedBlock's


def test_queries_per_article(client, settings):
    without_rendition_cache(settings)  # as in tests/test_query_counts.py
    articles = build_articles()
    print(
        f"\nqueries to render an article to a reader on {connection.vendor},"
        " by evidence blocks:"
    )
    # The render cache apart from Wagtail's own entries, so that emptying it
    # empties nothing else.
    settings.CACHES = {
        **settings.CACHES,
        "renders": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bench-renders",
        },
    }
    modes = (
        ("render cache off", None, None),
        ("render cache warm", "renders", None),
        ("cache emptied", "renders", caches["renders"].clear),
    )
    counts_by_mode = {}
    for label, alias, before_each in modes:
        settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": alias}
        counts, _sql = reader_query_counts(client, articles, before_each)
        sizes = ", ".join(f"{size} blocks: {counts[size]}" for size in SIZES)
        print(f"  {label:18s} {sizes}")
        assert len(set(counts.values())) == 1, counts
        counts_by_mode[label] = counts[SIZES[0]]
    # Emptied, the blocks are read from their rows: one query more than warm.
    assert counts_by_mode["cache emptied"] == counts_by_mode["render cache warm"] + 1


EMBED_URL = "https://www.youtube.com/watch?v=bench{number:06d}"


def embed_html(number):
    """The iframe YouTube's oEmbed answers with."""
    return (
        f'<iframe width="200" height="113" src="https://www.youtube.com/embed/'
        f'bench{number:06d}?feature=oembed" frameborder="0" allow="accelerometer; '
        "autoplay; clipboard-write; "
        'encrypted-media; gyroscope; picture-in-picture; web-share" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen '
        f'title="Bench video {number}"></iframe>'
    )


def warm_embeds(count):
    """Embed rows for ``count`` URLs, under the hash get_embed looks up, so no finder runs.

    EmbedBlock without max_width/max_height calls get_embed(url, None, None), whose
    key is get_embed_hash(url) (md5 of the URL alone); cache_until=None never expires.
    """
    urls = [EMBED_URL.format(number=number) for number in range(count)]
    Embed.objects.bulk_create(
        Embed(
            url=url,
            hash=get_embed_hash(url),
            type="video",
            html=embed_html(number),
            title=f"Bench video {number}",
            provider_name="YouTube",
            width=200,
            height=113,
        )
        for number, url in enumerate(urls)
    )
    return urls


class OEmbedProvider(Handler):
    """A video platform's oEmbed endpoint on 127.0.0.1: what EmbedBlock asks,
    over HTTP, for an address it has no embed row of. ``requests`` counts the
    requests of each render that had any."""

    def do_GET(self):
        url = parse_qs(urlsplit(self.path).query)["url"][0]
        if url == EMBED_URL.format(number=0):
            self.fake.requests.append(0)  # the first block of a render
        self.fake.requests[-1] += 1
        number = int(url.rsplit("bench", 1)[1])
        self.answer(
            200,
            {
                "type": "video",
                "html": embed_html(number),
                "title": f"Bench video {number}",
                "provider_name": "YouTube",
                "width": 200,
                "height": 113,
            },
        )


@contextmanager
def oembed_provider():
    """WAGTAILEMBEDS_FINDERS asking the fake provider for YouTube addresses."""
    provider = FakeService(OEmbedProvider)
    finders = [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [
                {
                    "endpoint": f"{provider.url}/oembed",
                    "urls": [r"^https://www\.youtube\.com/watch.+$"],
                }
            ],
        }
    ]
    try:
        with override_settings(WAGTAILEMBEDS_FINDERS=finders):
            get_finders.cache_clear()
            yield provider
    finally:
        get_finders.cache_clear()
        provider.stop()


def timed_render(stream_block, raw, cache_alias=None, before=None, page=None):
    """Seconds to turn the stored JSON into HTML, and the HTML.

    Starts from the stored form, as a page request does: the evidence side pays
    its batch fetch, the embed side its per-block lookup. A fresh request each
    time keeps evidence_dom_id's per-request set of ids from growing. ``before``
    runs first, untimed (a save that renews the records' render tokens), with
    the on-commit work it schedules (wagtail_evidence.warming) run as a commit
    runs it.
    """
    context = {"request": RequestFactory().get("/"), "page": page}
    with override_settings(WAGTAIL_EVIDENCE={"RENDER_CACHE": cache_alias}):
        if before is not None:
            with TestCase.captureOnCommitCallbacks(execute=True):
                before()
        start = time.perf_counter()
        html = stream_block.render(stream_block.to_python(raw), context=context)
        elapsed = time.perf_counter() - start
    return elapsed, html


def count_queries(stream_block, raw, cache_alias=None, before=None, page=None):
    context = {"request": RequestFactory().get("/"), "page": page}
    with override_settings(WAGTAIL_EVIDENCE={"RENDER_CACHE": cache_alias}):
        if before is not None:
            with TestCase.captureOnCommitCallbacks(execute=True):
                before()
        with CaptureQueriesContext(connection) as queries:
            stream_block.render(stream_block.to_python(raw), context=context)
    return len(statements(queries))


# Under autocommit, Django's default, as a site's requests run: not inside a
# test's transaction, in which each statement on the stored renders would pay
# for a savepoint (reader.stored_renders.guarded) as under ATOMIC_REQUESTS.
@pytest.mark.django_db(transaction=True)
def test_evidence_render_time_against_embed_block(redis_cache):
    """The cached cases read Django's RedisCache: a cache every process reads,
    the one warming fills (a process's own memory it leaves alone)."""
    articles = build_articles()
    article = articles[BLOCKS]
    # The article's own blocks, as its readers' requests convert them: the keys
    # the render cache is warmed with after a save (wagtail_evidence.warming).
    ours_raw = [child for child in article.body.raw_data if child["type"] == "evidence"]
    evidence_ids = [child["value"]["evidence"] for child in ours_raw]
    assert len(set(evidence_ids)) == BLOCKS  # each block cites a different record
    ours = blocks.StreamBlock([("evidence", EvidenceBlock())])
    embed = blocks.StreamBlock([("embed", EmbedBlock())])
    embed_raw = [{"type": "embed", "value": url} for url in warm_embeds(BLOCKS)]
    records = Evidence.objects.filter(pk__in=evidence_ids)

    def save_every_record():
        # What a save does to the render cache: every record's token is new,
        # so every block misses, and the save warms the cache again once it
        # commits (wagtail_evidence.warming).
        render_cache.renew_render_token(records)

    def change_behind_the_warming():
        # The same new tokens, the warming not run yet (a worker behind), or
        # skipped (a per-process cache on a worker): the first reader renders.
        records.update(render_token=render_cache.new_render_token())

    def forget_the_embeds():
        # EmbedBlock's cold path: no embed row, so each block asks the
        # platform (here a fake one on 127.0.0.1) and stores what it answers.
        Embed.objects.all().delete()

    def empty_the_cache():
        # A restart of Redis, an eviction, an expiry: the records unchanged,
        # their blocks read from the rows kept behind the cache
        # (reader.stored_renders), as EmbedBlock reads its embed rows.
        caches["default"].clear()

    # Cold: the render cache off, every block rendered from its template.
    # Saved: the cache on, the first render after each record was saved.
    # Saved, not warmed: the first render when the warming has not run.
    # Emptied: the cache emptied, the rows kept behind it read.
    # Warm: the render cache filled, as EmbedBlock's embed rows are.
    cases = {
        "Evidence, cold": (ours, ours_raw, None, None, article),
        "Evidence, cache emptied": (
            ours,
            ours_raw,
            "default",
            empty_the_cache,
            article,
        ),
        "Evidence, saved": (ours, ours_raw, "default", save_every_record, article),
        "Evidence, saved, not warmed": (
            ours,
            ours_raw,
            "default",
            change_behind_the_warming,
            article,
        ),
        "Evidence, warm": (ours, ours_raw, "default", None, article),
        "EmbedBlock": (embed, embed_raw),
        "EmbedBlock, no embed row": (embed, embed_raw, None, forget_the_embeds),
    }

    with oembed_provider() as provider:
        # Warm-up (template loading), which also checks both really rendered
        # every block: a missing embed row would render as "" without an error.
        html = {name: timed_render(*case)[1] for name, case in cases.items()}
        evidence_cases = [name for name in cases if name.startswith("Evidence")]
        for name in evidence_cases:
            assert html[name].count('class="evidence-media__poster"') == BLOCKS
        assert html["EmbedBlock"].count("<iframe") == BLOCKS
        assert html["EmbedBlock, no embed row"] == html["EmbedBlock"]
        # Interleaved, so that background load on the machine hits both alike.
        times = {name: [] for name in cases}
        for _ in range(REPEATS):
            for name, case in cases.items():
                times[name].append(timed_render(*case)[0])
        queries = {name: count_queries(*case) for name, case in cases.items()}
    # The cold EmbedBlock asked the platform for every block, every time.
    assert provider.requests == [BLOCKS] * (REPEATS + 2)

    median = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    print(
        f"\nrender of {BLOCKS} blocks on {connection.vendor}, {REPEATS} interleaved"
        f" repetitions (median / best), load average {os.getloadavg()[0]:.1f}:"
    )
    for name in cases:
        print(
            f"  {name:28s} {median[name] * 1000:7.2f} ms / {best[name] * 1000:7.2f} ms, "
            f"{queries[name]} queries"
        )
    # The first reader after a save found every block warmed: what a warm
    # render costs, not what a cold one does.
    assert queries["Evidence, saved"] == queries["Evidence, warm"]
    # An emptied cache costs the rows' read alone; a reader ahead of the
    # warming renders as cold, reads the rows first and writes them after.
    assert queries["Evidence, cache emptied"] == queries["Evidence, warm"] + 1
    assert queries["Evidence, saved, not warmed"] > queries["Evidence, cold"] + 1
    # Each against EmbedBlock with its embed rows, as issue 15's table asks;
    # and, nothing kept on either side, the cold render against EmbedBlock's.
    comparisons = [(name, "EmbedBlock") for name in evidence_cases]
    comparisons.append(("Evidence, cold", "EmbedBlock, no embed row"))
    for name, against in comparisons:
        ratio = median[name] / median[against]
        best_ratio = best[name] / best[against]
        # The spread: the ratio of each interleaved pair, quartiles and extremes.
        pairs = [
            spent / embed_spent
            for spent, embed_spent in zip(times[name], times[against], strict=True)
        ]
        low, _median, high = statistics.quantiles(pairs, n=4)
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(
            f"  {connection.vendor}: {name} / {against}: {ratio:.2f} (median),"
            f" {best_ratio:.2f} (best), pairs {min(pairs):.2f} / {low:.2f}–{high:.2f}"
            f" / {max(pairs):.2f} (min / quartiles / max);"
            f" goal at most {TARGET_RATIO}: {verdict}"
        )
    # The work the save moved off the reader's request: the task that warms
    # the cache after it, timed on its own (every block missing, each time).
    warming_times = []
    with override_settings(WAGTAIL_EVIDENCE={"RENDER_CACHE": "default"}):
        for _ in range(REPEATS):
            change_behind_the_warming()
            start = time.perf_counter()
            warmed = warm_render_cache.call(evidence_ids=evidence_ids)
            warming_times.append(time.perf_counter() - start)
            assert warmed == BLOCKS
    print(
        f"  {connection.vendor}: warming after a save of the {BLOCKS} records, in"
        f" the task: {statistics.median(warming_times) * 1000:.2f} ms (median),"
        f" {statistics.median(warming_times) / median['EmbedBlock']:.2f}× EmbedBlock's"
        " render; off the reader's request"
    )
    if connection.vendor != "postgresql":
        print(
            "  (PostgreSQL rows: run again with DATABASE_URL="
            "postgres://postgres@127.0.0.1:5432/wagtail_evidence and --create-db)"
        )

    if os.environ.get("BENCH_PROFILE"):
        profiled = os.environ.get("BENCH_PROFILE_CASE", "Evidence, cold")
        _ours, _raw, alias, before, page = cases[profiled]
        profile = cProfile.Profile()
        context = {"request": RequestFactory().get("/"), "page": page}
        with override_settings(WAGTAIL_EVIDENCE={"RENDER_CACHE": alias}):
            if before is not None:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    before()
            profile.runcall(
                lambda: ours.render(ours.to_python(ours_raw), context=context)
            )
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(
            os.environ.get("BENCH_SORT", "tottime")
        ).print_stats(int(os.environ.get("BENCH_LINES", "25")))
        print(out.getvalue())


@pytest.mark.bench
def test_reader_asset_sizes():
    """The reader's script and stylesheet, gzipped, against their budgets
    (issue 13); tests/test_assets.py holds them there."""
    import gzip

    from tests.test_assets import BUDGETS, STATIC

    for asset, budget in BUDGETS.items():
        size = len(gzip.compress((STATIC / asset).read_bytes(), compresslevel=9))
        verdict = "met" if size <= budget else "NOT met"
        print(f"\n{asset}: {size} bytes gzipped (goal <= {budget}): {verdict}")
