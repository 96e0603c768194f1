"""The API's listing of articles with their bodies, as a headless front end
reads a section's page: `/api/v2/pages/?type=testapp.ArticlePage&fields=body`.

Through the package's EvidencePagesAPIViewSet, the listing converts the bodies
of every listed article together, so it costs the same queries for 1, 10 or 50
listed articles, and gives each article's body exactly as its detail view does.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import test_query_counts as counts
from tests.factories import (
    claim_block,
    evidence_block,
    make_article,
    make_evidence,
    make_poster,
    make_showcase_article,
)
from tests.reading import read_api
from tests.testapp.models import ArticlePage
from wagtail_evidence.models import Credit, Evidence
from wagtail_evidence.views import api as evidence_api_views


pytestmark = pytest.mark.django_db

LISTED = (1, 10, 50)


def read_listing(client, limit=20, **params):
    """The articles of one listing request, in the order they were created."""
    response = client.get(
        "/api/v2/pages/",
        {
            "type": "testapp.ArticlePage",
            "fields": "body,content_warning",
            "order": "id",
            "limit": limit,
            **params,
        },
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()["items"]


def body_values(item, block_type):
    return [child["value"] for child in item["body"] if child["type"] == block_type]


# Query counts: one round of queries for the whole listing, never one per article.


@pytest.fixture
def many_articles(db, settings):
    """Articles enough for the largest listing. Each shows a record of its own,
    with a poster, credits and appearances, and one record all of them share;
    its claim is set against both."""
    counts.without_rendition_cache(settings)
    counts.without_render_cache(settings)
    settings.WAGTAILAPI_LIMIT_MAX = max(LISTED)
    shared = make_evidence(title="Shared record")
    articles = []
    for number in range(max(LISTED)):
        own = make_evidence(title=f"Record {number:02d}", poster=make_poster())
        articles.append(
            make_article(
                [
                    {"type": "heading", "value": f"Article {number}"},
                    evidence_block(own, caption=f"Caption {number}."),
                    evidence_block(shared, display="link"),
                    claim_block(own, shared),
                ],
                title=f"Article {number:02d}",
                slug=f"listed-{number:02d}",
            )
        )
    return articles


def listing_query_counts(client):
    """Queries of one listing request per size in LISTED, after a warm-up
    (renditions, the site)."""
    read_listing(client, limit=max(LISTED))
    measured = {}
    for size in LISTED:
        with CaptureQueriesContext(connection) as queries:
            items = read_listing(client, limit=size)
        assert len(items) == size
        # Everything the batch loads was really serialized, for every article.
        for item in items:
            own, shared = body_values(item, "evidence")
            assert own["evidence"]["media"]["poster"]["url"]
            assert [credit["name"] for credit in own["evidence"]["credits"]] == [
                "Obretix"
            ]
            assert len(own["evidence"]["appearances"]) == 1
            assert shared["evidence"]["media"]["link_only"] is True
            assert len(body_values(item, "claim")[0]["evidence"]) == 2
        measured[size] = len(queries)
    return measured


@pytest.mark.scale
def test_the_listing_costs_the_same_queries_for_1_10_or_50_articles(
    client, many_articles
):
    measured = listing_query_counts(client)
    assert measured[1] == measured[10] == measured[50], measured


@pytest.mark.scale
def test_the_count_catches_a_lost_batch(client, many_articles, monkeypatch):
    """Keeps the test above honest: convert each listed article's streams on
    its own, or read each one's locale on its own, and the count grows."""
    together = evidence_api_views.convert_streams_together

    def one_article_at_a_time(pages, field_names):
        for page in pages:
            together([page], field_names)

    monkeypatch.setattr(
        evidence_api_views, "convert_streams_together", one_article_at_a_time
    )
    lost_batch = listing_query_counts(client)
    assert lost_batch[1] < lost_batch[10] < lost_batch[50], lost_batch

    monkeypatch.setattr(evidence_api_views, "convert_streams_together", together)
    monkeypatch.setattr(
        evidence_api_views, "prefetch_related_objects", lambda *args: None
    )
    lost_locales = listing_query_counts(client)
    assert lost_locales[1] < lost_locales[10] < lost_locales[50], lost_locales


def test_a_listing_without_the_body_reads_no_evidence(client, db):
    for number in range(2):
        make_article(
            [evidence_block(make_evidence()), claim_block(make_evidence())],
            title=f"Article {number}",
            slug=f"no-body-{number}",
        )
    with CaptureQueriesContext(connection) as queries:
        items = read_listing(client, fields="-body,-content_warning")
    assert len(items) == 2 and "body" not in items[0]
    read = [query["sql"] for query in queries if "wagtail_evidence" in query["sql"]]
    assert read == []


# What the listing gives: each article's body as its detail view gives it.


def test_a_listed_article_s_body_is_its_detail_view_s(client, db):
    showcase = make_showcase_article()
    redrafted = make_evidence(title="Live title", poster=make_poster())
    withdrawn = make_evidence(title="WITHDRAWN record")
    second = make_article(
        [
            evidence_block(redrafted, heading="Our heading"),
            evidence_block(withdrawn),
            claim_block(redrafted, withdrawn, claimant_kind="party"),
            {"type": "paragraph", "value": "<p>After the <i>evidence</i>.</p>"},
        ],
        title="Second",
        slug="second",
        content_warning_level="disturbing",
    )
    redrafted.title = "DRAFT title"
    redrafted.save_revision()
    withdrawn.unpublish()
    third = make_article([], title="Empty", slug="empty")

    items = read_listing(client)
    assert [item["id"] for item in items] == [showcase.pk, second.pk, third.pk]
    for item, article in zip(items, [showcase, second, third], strict=True):
        detail = read_api(client, article)
        assert item["body"] == detail["body"], article.title
        assert item["content_warning"] == detail["content_warning"], article.title
    assert len(items[0]["body"]) == 6 and items[2]["body"] == []
    assert "DRAFT" not in json.dumps(items)


def test_a_draft_or_unpublished_record_is_still_withdrawn_in_the_listing(client, db):
    kept = make_evidence(title="Kept")
    unpublished = make_evidence(title="UNPUBLISHED record")
    deleted = make_evidence(title="DELETED record")
    redrafted = make_evidence(title="Live title")
    cited = [kept, unpublished, deleted, redrafted]
    first = make_article(
        [evidence_block(item) for item in cited] + [claim_block(*cited)],
        title="First",
        slug="first",
    )
    # The same records in a second article: one batch serves both.
    make_article(
        [evidence_block(unpublished), claim_block(unpublished, kept)],
        title="Second",
        slug="second",
    )
    unpublished.unpublish()
    deleted.delete()
    redrafted.title = "DRAFT title"
    redrafted.save_revision()
    # A record that was never published, cited behind the publish gate's back.
    never = make_evidence(title="NEVER published", publish=False)
    body = list(first.body.raw_data) + [evidence_block(never)]
    ArticlePage.objects.filter(pk=first.pk).update(body=json.dumps(body))

    first_item, second_item = read_listing(client)
    withdrawn = {"withdrawn": True, "message": "This item has been withdrawn."}
    blocks = body_values(first_item, "evidence")
    assert [block["evidence"]["title"] for block in blocks[::3]] == [
        "Kept",
        "Live title",
    ]
    assert blocks[1:3] == [withdrawn, withdrawn] and blocks[4] == withdrawn
    assert body_values(second_item, "evidence") == [withdrawn]
    assert [
        record["title"] for record in body_values(first_item, "claim")[0]["evidence"]
    ] == ["Kept", "Live title"]
    assert [
        record["title"] for record in body_values(second_item, "claim")[0]["evidence"]
    ] == ["Kept"]
    listed = json.dumps([first_item, second_item])
    for hidden in ("UNPUBLISHED", "DELETED", "NEVER", "DRAFT"):
        assert hidden not in listed, hidden


def test_nothing_is_kept_between_requests(client, db):
    """Each request converts its own streams: the next one reads what the desk
    published or withdrew since."""
    changed = make_evidence(title="Before")
    withdrawn = make_evidence(title="Still live")
    for number in range(2):
        make_article(
            [evidence_block(changed), evidence_block(withdrawn)],
            title=f"Article {number}",
            slug=f"article-{number}",
        )
    before = read_listing(client)
    assert [
        block["evidence"]["title"] for block in body_values(before[1], "evidence")
    ] == ["Before", "Still live"]

    changed.title = "After"
    changed.credits = [Credit(name="New credit", role="verification")]
    changed.save_revision().publish()
    Evidence.objects.get(pk=withdrawn.pk).unpublish()

    for item in read_listing(client):
        now_changed, now_withdrawn = body_values(item, "evidence")
        assert now_changed["evidence"]["title"] == "After"
        assert [credit["name"] for credit in now_changed["evidence"]["credits"]] == [
            "New credit"
        ]
        assert now_withdrawn["withdrawn"] is True
