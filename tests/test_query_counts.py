"""A reader's article costs the same database queries with 1, 10 or 50 evidence blocks.

EvidenceChooserBlock converts every evidence block of a stream in one batch, with
the credits, appearances, poster and poster rendition the reader templates use.
Losing a prefetch, or a template tag that queries per item, makes the count grow
with the number of blocks; these tests catch that. The helpers are shared with
tests/benchmarks.
"""

import datetime
import io
import json

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from tests.factories import in_order
from tests.testapp.models import ArticlePage, HomePage
from wagtail_evidence.models import Appearance, ArchivedCopy, Credit, Evidence
from wagtail_evidence.reader import loading


SIZES = (1, 10, 50)
CLAIM_CITES = 3  # evidence records the article's claim block is set against


def make_home():
    """A HomePage under Wagtail's root, made the default site's root, as load_demo does."""
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Query-count home", slug="query-count-home")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()  # also clears Wagtail's cached site root paths
    return home


def make_poster(number):
    # A small still generated with Pillow, as load_demo does; small keeps the setup
    # and the renditions fast (the fill filter crops, it never upscales).
    buffer = io.BytesIO()
    PillowImage.new("RGB", (192, 108), (40 + number, 60, 80)).save(buffer, format="PNG")
    image = get_image_model()(
        title=f"Poster {number}", file=ImageFile(buffer, name=f"poster-{number}.png")
    )
    image.save()
    return image


def make_evidence(number):
    """A published record with everything the reader sees: poster, credits, appearances."""
    evidence = Evidence(
        title=f"Evidence item {number:02d}",
        media_url=f"https://t.me/query_counts/{1000 + number}",
        description="Armed men walk along a road past parked lorries.",
        place="Horadiz",
        country="Azerbaijan",
        location_status="confirmed",
        location_method="Shop fronts matched to a street in the town.",
        filmed_on=datetime.date(2020, 9, 27),
        date_status="confirmed",
        identified="Fighters of an armed group",
        identity_status="not_established",
        verdict="verified",
        poster=make_poster(number),
    )
    evidence.credits = in_order(
        [
            Credit(
                name=f"Geolocator {number}",
                role="geolocation",
                url="https://example.org/geo",
            ),
            Credit(
                name="Observers desk",
                organisation="The Observers",
                role="chronolocation",
            ),
        ]
    )
    evidence.appearances = in_order(
        [
            Appearance(
                platform="telegram",
                account="A Telegram channel",
                url=f"https://t.me/query_counts/{1000 + number}",
                first_seen=datetime.date(2020, 9, 27),
                archive_urls="https://archive.example/abc\nhttps://web.archive.example/def",
            ),
            Appearance(
                platform="news_site", account="A local news site", note="Relayed."
            ),
        ]
    )
    evidence.full_clean()
    evidence.save()
    evidence.save_revision().publish()
    return evidence


def make_article(home, evidence, cited, slug):
    """An article with one evidence block per record and a claim citing ``cited``."""
    body = [
        {
            "type": "evidence",
            "value": {"evidence": item.pk, "caption": f"Caption {item.pk}."},
        }
        for item in evidence
    ]
    body.append(
        {
            "type": "claim",
            "value": {
                "stance": "denial",
                "statement": "There are no foreign fighters in the area.",
                "claimant": "A defence ministry",
                "claimant_kind": "government",
                "source_url": "https://ministry.example/statement",
                "figures": [{"figure": "134", "label": "fighters killed"}],
                "assessment": "contradicted",
                "evidence": [item.pk for item in cited],
            },
        }
    )
    article = ArticlePage(title=f"Article {slug}", slug=slug, body=json.dumps(body))
    home.add_child(instance=article)
    return article


def build_articles():
    """Articles of every size in SIZES, citing distinct records, under a fresh home."""
    home = make_home()
    evidence = [make_evidence(number) for number in range(max(SIZES))]
    cited = evidence[:CLAIM_CITES]
    return {
        size: make_article(home, evidence[:size], cited, f"evidence-{size}")
        for size in SIZES
    }


def without_rendition_cache(settings):
    """Turn off Wagtail's rendition cache, so a poster rendition can only come from
    the batch's prefetch: a warm cache would hide a lost rendition prefetch."""
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {**settings.CACHES, "renditions": dummy}


def reader_query_counts(client, articles, before_each=None):
    """Queries of one anonymous reader request per article, after a warm-up request.

    The warm-up creates the poster renditions and fills Wagtail's site cache, so
    the measured request is a plain reader request, not a first-ever one.
    ``before_each`` runs before each measured request, uncounted.
    """
    for article in articles.values():
        assert client.get(article.url).status_code == 200
    counts, sql = {}, {}
    for size, article in articles.items():
        if before_each is not None:
            before_each()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.url)
        assert response.status_code == 200
        html = response.content.decode()
        # Everything the prefetches serve was really rendered, for every block.
        assert html.count('class="evidence-media__poster"') == size
        assert html.count('class="evidence-credits"') == size
        assert html.count('class="evidence-appearances"') == size
        claim_evidence = html.split('class="claim__evidence"')[1].split("</ul>")[0]
        assert claim_evidence.count("<li>") == CLAIM_CITES
        sql[size] = statements(queries)
        counts[size] = len(sql[size])
    return counts, sql


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def statements(queries):
    """The SQL of what ``queries`` captured, but for savepoints: the stored
    renders (reader.stored_renders) set one around each statement inside a
    transaction, as a test's is, and none under autocommit, Django's default."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(SAVEPOINTS)
    ]


def without_render_cache(settings):
    """Measure the path that renders every block: the render cache would serve
    the measured request from the warm-up and hide a lost prefetch."""
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": None}


@pytest.fixture
def articles(db, settings):
    without_rendition_cache(settings)
    without_render_cache(settings)
    return build_articles()


def test_reader_query_count_does_not_grow_with_evidence_blocks(client, articles):
    counts, sql = reader_query_counts(client, articles)
    # Shown only on failure: what the largest page queried.
    print(*sql[max(SIZES)], sep="\n")
    assert len(set(counts.values())) == 1, (
        f"queries per number of evidence blocks: {counts}"
    )


def test_served_from_the_render_cache_the_count_is_flat_and_lower(
    client, articles, settings
):
    cold, _sql = reader_query_counts(client, articles)
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    warm, _sql = reader_query_counts(client, articles)  # its warm-up fills the cache
    assert len(set(warm.values())) == 1, warm
    assert warm[50] < cold[50], (warm, cold)  # no details are loaded for cached blocks


# In the column list of a query that loads whole records (the flags query of
# reader.loading selects their ids alone).
RECORD_COLUMN = '"wagtail_evidence_evidence"."render_token"'


def record_loads(statements):
    return [sql for sql in statements if RECORD_COLUMN in sql.split(" FROM ")[0]]


def test_the_blocks_and_the_claim_load_their_records_in_one_query(client, articles):
    """One walk of the stream converts the evidence blocks and the claim: their
    records, those they share and those only the claim cites (two of three on
    the one-block article), come in one query between them."""
    _counts, sql = reader_query_counts(client, articles)
    assert {size: len(record_loads(sql[size])) for size in SIZES} == dict.fromkeys(
        SIZES, 1
    )


def lookups_without(dropped):
    def lookups():
        return [
            lookup
            for lookup in original_detail_lookups()
            if getattr(lookup, "prefetch_through", lookup).split("__")[-1] != dropped
        ]

    return lookups


original_detail_lookups = loading.detail_lookups


@pytest.mark.scale
@pytest.mark.parametrize("dropped", ["credits", "appearances", "renditions"])
def test_the_count_catches_each_lost_prefetch(client, articles, monkeypatch, dropped):
    """Keeps the test above honest: lose any one prefetch and the counts grow."""
    monkeypatch.setattr(loading, "detail_lookups", lookups_without(dropped))
    counts, _sql = reader_query_counts(client, articles)
    assert counts[1] < counts[10] < counts[50], counts


def test_a_cold_render_queries_to_load_its_batch_and_never_per_block(articles):
    """With the render cache off, fifty blocks cost one query for the records,
    one that says which have a public history, source checks, archived copies
    or Content Credentials (none here, so none of those is queried), one per
    relation every record has (credits, appearances, posters and their
    renditions), and the claim one for the records it is set against; writing
    the HTML (reader.block_html and what it prints) then queries nothing."""
    for child in ArticlePage.objects.get(pk=articles[50].pk).body:
        child.render()  # the posters' renditions are made once, by a first reader
    article = ArticlePage.objects.get(pk=articles[50].pk)
    with CaptureQueriesContext(connection) as loading_queries:
        children = list(article.body)  # converts the stream: the batch loads
    with CaptureQueriesContext(connection) as render_queries:
        html = "".join(str(child.render()) for child in children)
    assert html.count('class="evidence-credits"') == 50
    assert len(loading_queries) == 1 + 1 + 4 + 1, "\n".join(
        q["sql"][:60] for q in loading_queries
    )
    assert len(render_queries) == 0, [q["sql"] for q in render_queries]


def test_a_relation_one_record_has_costs_one_query_for_the_batch(articles):
    """A relation the batch's flags query finds rows in for one record is
    loaded for that record alone, in one query, and it reads its rows from it."""
    record = Evidence.objects.get(title="Evidence item 07")
    ArchivedCopy.objects.create(
        evidence=record,
        captured_url=record.media_url,
        archive_url="https://web.archive.org/web/2020/https://t.me/query_counts/1007",
        service="Internet Archive",
        captured_at=datetime.datetime(2020, 10, 3, tzinfo=datetime.UTC),
    )
    article = ArticlePage.objects.get(pk=articles[50].pk)
    with CaptureQueriesContext(connection) as loading_queries:
        children = list(article.body)
    assert len(loading_queries) == 1 + 1 + 4 + 1 + 1, [
        q["sql"] for q in loading_queries
    ]
    with CaptureQueriesContext(connection) as read_queries:
        copies = {
            child.value["evidence"].title: list(
                child.value["evidence"].archived_copies.all()
            )
            for child in children
            if child.block_type == "evidence"
        }
    assert len(read_queries) == 0
    assert [copy.service for copy in copies["Evidence item 07"]] == ["Internet Archive"]
    assert sum(len(rows) for rows in copies.values()) == 1
