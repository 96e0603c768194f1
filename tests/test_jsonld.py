"""The schema.org JSON-LD an article publishes, read over HTTP as a crawler reads it.

Every ClaimReview and MediaReview is held to the properties Google's fact-check
guidelines require (claimReviewed, reviewRating with alternateName, url) and to
those this package promises on top (author, the claim's author, dates and
addresses where the editor gave them). The checks return their problems, so that
a test can show they reject what a consumer would reject.
"""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Site

from tests.factories import evidence_block, make_article, make_evidence
from tests.json_ld_rules import (
    CRAWLER_HOST,
    claim_review_problems,
    fetch,
    graph,
    json_ld,
    media_review_problems,
    page_address,
    scripts,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.choices import Assessment, AuthenticityCategory
from wagtail_evidence.models import Appearance
from wagtail_evidence.reader import article_fragments
from wagtail_evidence.reader.jsonld import article_graph, json_ld_script


pytestmark = pytest.mark.django_db


@pytest.fixture
def crawler_site(db):
    """The default site named as the host the test client requests, so that the
    page's canonical address is the one that was fetched."""
    from tests.factories import home_page

    home_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = CRAWLER_HOST, 80
    site.save()  # clears Wagtail's cache of site roots
    return site


# The checks themselves (tests/json_ld_rules.py)


GOOD_CLAIM_REVIEW = {
    "@type": "ClaimReview",
    "url": "http://testserver/article/",
    "claimReviewed": "There are no foreign fighters in the area.",
    "author": {
        "@type": "Organization",
        "name": "The Observers",
        "url": "http://testserver",
    },
    "datePublished": "2020-10-30T10:00:00+00:00",
    "reviewRating": {"@type": "Rating", "alternateName": "Contradicted by evidence"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "A ministry"},
        "datePublished": "2020-10-01",
        "appearance": "https://ministry.example/statement",
    },
}

GOOD_MEDIA_REVIEW = {
    "@type": "MediaReview",
    "url": "http://testserver/article/#evidence-1",
    "author": {"@type": "Organization", "name": "The Observers"},
    "mediaAuthenticityCategory": "https://schema.org/OriginalMediaContent",
    "originalMediaLink": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
    "itemReviewed": {
        "@type": "MediaReviewItem",
        "mediaItemAppearance": [
            {
                "@type": "VideoObject",
                "url": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
            }
        ],
    },
}


def without(node, path):
    """A deep copy of ``node`` without the key at ``path`` ("a.b")."""
    node = json.loads(json.dumps(node))
    *parents, key = path.split(".")
    target = node
    for parent in parents:
        target = target[parent]
    del target[key]
    return node


def replaced(node, path, value):
    """A deep copy of ``node`` with ``value`` at ``path``."""
    node = json.loads(json.dumps(node))
    *parents, key = path.split(".")
    target = node
    for parent in parents:
        target = target[parent]
    target[key] = value
    return node


@pytest.mark.parametrize(
    "broken",
    [
        without(GOOD_CLAIM_REVIEW, "claimReviewed"),
        without(GOOD_CLAIM_REVIEW, "url"),
        replaced(GOOD_CLAIM_REVIEW, "url", "https://elsewhere.example/article/"),
        without(GOOD_CLAIM_REVIEW, "reviewRating"),
        without(GOOD_CLAIM_REVIEW, "reviewRating.alternateName"),
        replaced(GOOD_CLAIM_REVIEW, "reviewRating.ratingValue", 3),  # no scale
        without(GOOD_CLAIM_REVIEW, "author"),
        without(GOOD_CLAIM_REVIEW, "itemReviewed.author"),
        replaced(GOOD_CLAIM_REVIEW, "itemReviewed.@type", "CreativeWork"),
        replaced(GOOD_CLAIM_REVIEW, "itemReviewed.appearance", "javascript:alert(1)"),
        replaced(GOOD_CLAIM_REVIEW, "itemReviewed.datePublished", "last week"),
    ],
)
def test_the_claim_review_check_rejects_what_google_would(broken):
    assert not claim_review_problems(GOOD_CLAIM_REVIEW, "http://testserver/article/")
    assert claim_review_problems(broken, "http://testserver/article/")


@pytest.mark.parametrize(
    "broken",
    [
        without(GOOD_MEDIA_REVIEW, "mediaAuthenticityCategory"),
        replaced(GOOD_MEDIA_REVIEW, "mediaAuthenticityCategory", "Original"),
        without(GOOD_MEDIA_REVIEW, "url"),
        without(GOOD_MEDIA_REVIEW, "author"),
        without(GOOD_MEDIA_REVIEW, "itemReviewed"),
        replaced(GOOD_MEDIA_REVIEW, "itemReviewed.mediaItemAppearance", []),
        replaced(
            GOOD_MEDIA_REVIEW,
            "itemReviewed.mediaItemAppearance",
            [{"@type": "Thing", "url": "https://a.example/"}],
        ),
        replaced(
            GOOD_MEDIA_REVIEW,
            "itemReviewed.mediaItemAppearance",
            [{"@type": "VideoObject", "sha256": "abc"}],
        ),
        replaced(GOOD_MEDIA_REVIEW, "originalMediaLink", "data:text/html,hi"),
    ],
)
def test_the_media_review_check_rejects_what_a_consumer_would(broken):
    assert not media_review_problems(GOOD_MEDIA_REVIEW, "http://testserver/article/")
    assert media_review_problems(broken, "http://testserver/article/")


# Whatever the editor typed


HOSTILE = (
    "</script><script>alert(1)</script> \"quoted\" 'single' back\\slash "
    "<!-- <script> ]]> & &amp; </SCRIPT > \u2028line\u2029paragraph \u202eltr"
)


def test_editor_text_cannot_break_out_of_the_json_ld(client, crawler_site, settings):
    crawler_site.site_name = f"Site {HOSTILE}"
    crawler_site.save()
    evidence = make_evidence(
        title=f"Title {HOSTILE}"[:255],
        description=f"Description {HOSTILE}",
        authenticity_category="StagedContent",
        authenticity_status="confirmed",
    )
    article = make_article(
        [
            evidence_block(evidence, heading=f"Heading {HOSTILE}"[:255]),
            {
                "type": "claim",
                "value": {
                    "stance": "denial",
                    "statement": f"Statement {HOSTILE}",
                    "claimant": f"Claimant {HOSTILE}"[:255],
                    "claimant_kind": "person",
                    "claimed_on": "2020-10-01",
                    "source_url": "javascript:alert(1)",
                    "figures": [],
                    "assessment": "contradicted",
                    "assessment_note": f"Note {HOSTILE}",
                    "evidence": [],
                },
            },
        ],
        title=f"Article {HOSTILE}"[:255],
        slug="hostile",
    )
    html = fetch(client, article)

    # The parser sees the reader script and one JSON-LD block: nothing broke out.
    assert json_ld(html) is not None
    assert "<script>alert(1)" not in html
    raw = [
        script
        for script in scripts(html)
        if script.get("type") == "application/ld+json"
    ][0].string
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    (claim,) = graph(html, "ClaimReview")
    (media,) = graph(html, "MediaReview")

    # ...and the JSON gives back exactly what was typed.
    assert claim["claimReviewed"] == f"Statement {HOSTILE}"
    assert claim["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": f"Claimant {HOSTILE}"[:255],
    }
    assert claim["reviewRating"]["ratingExplanation"] == f"Note {HOSTILE}"
    assert claim["author"]["name"] == f"Site {HOSTILE}"
    assert "appearance" not in claim["itemReviewed"]  # not a web address: left out
    assert "javascript:" not in raw
    assert not claim_review_problems(claim, page_address(article))
    (item,) = media["itemReviewed"]["mediaItemAppearance"]
    assert item["name"] == f"Heading {HOSTILE}"[:255]
    assert item["description"] == f"Description {HOSTILE}"
    assert not media_review_problems(media, page_address(article))


# Which evidence and which claims


def test_only_live_evidence_with_a_confirmed_category_is_reviewed(client, crawler_site):
    live = make_evidence(
        title="Live",
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
    )
    withdrawn = make_evidence(
        title="Withdrawn later",
        description="Withdrawn description.",
        authenticity_category="StagedContent",
        authenticity_status="confirmed",
    )
    with_draft = make_evidence(
        title="Has a draft",
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
    )
    unsure = make_evidence(
        title="Disputed category",
        authenticity_category="StagedContent",
        authenticity_status="disputed",
    )
    article = make_article(
        [evidence_block(item) for item in (live, withdrawn, with_draft, unsure)],
        slug="live-only",
    )

    withdrawn.unpublish()
    with_draft.authenticity_category = "StagedContent"
    with_draft.description = "A draft description, not yet verified."
    with_draft.save_revision()  # a draft: the live row is unchanged

    html = fetch(client, article)
    reviews = graph(html, "MediaReview")
    names = [
        review["itemReviewed"]["mediaItemAppearance"][0]["name"] for review in reviews
    ]
    assert names == ["Live", "Has a draft"]
    assert [review["mediaAuthenticityCategory"] for review in reviews] == [
        "https://schema.org/OriginalMediaContent"
    ] * 2
    data = json.dumps(json_ld(html))
    for absent in (
        "Withdrawn later",
        "Withdrawn description.",
        "A draft description",
        "Disputed category",
        "StagedContent",
    ):
        assert absent not in data


def test_each_authenticity_category_is_schema_orgs_and_only_original_media_links_to_itself(
    client, crawler_site
):
    records = {
        category: make_evidence(
            title=f"Item {category.value}",
            authenticity_category=category,
            authenticity_status="confirmed",
        )
        for category in AuthenticityCategory
        if category
    }
    article = make_article(
        [evidence_block(item) for item in records.values()], slug="categories"
    )
    reviews = graph(fetch(client, article), "MediaReview")
    assert len(reviews) == len(records) == 6
    for review in reviews:
        assert not media_review_problems(review, page_address(article)), review
        title = review["itemReviewed"]["mediaItemAppearance"][0]["name"]
        category = title.removeprefix("Item ")
        assert review["mediaAuthenticityCategory"] == f"https://schema.org/{category}"
        assert ("originalMediaLink" in review) == (category == "OriginalMediaContent")


def test_every_assessment_has_a_textual_rating_and_none_a_number(client, crawler_site):
    def claim(assessment, **value):
        return {
            "type": "claim",
            "value": {
                "stance": "assertion",
                "statement": f"A claim we rate {assessment}.",
                "claimant": "Someone",
                "claimant_kind": "",
                "figures": [],
                "assessment": assessment,
                "evidence": [],
                **value,
            },
        }

    article = make_article(
        [
            claim(
                "confirmed",
                claimant="Elizabeth Tsurkov",
                claimant_kind="person",
                claimed_on="2020-10-20",
                source_url="https://researcher.example/thread/1",
            ),
            *(
                claim(assessment)
                for assessment in ("consistent", "contradicted", "not_verified")
            ),
        ],
        slug="ratings",
    )
    reviews = graph(fetch(client, article), "ClaimReview")
    assert [review["reviewRating"]["alternateName"] for review in reviews] == [
        str(Assessment(value).label)
        for value in ("confirmed", "consistent", "contradicted", "not_verified")
    ]
    for review in reviews:
        assert not claim_review_problems(review, page_address(article)), review
        assert not review["reviewRating"].keys() & {
            "ratingValue",
            "bestRating",
            "worstRating",
        }
    person = reviews[0]["itemReviewed"]
    assert person == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Elizabeth Tsurkov"},
        "datePublished": "2020-10-20",
        "appearance": "https://researcher.example/thread/1",
    }
    assert (
        reviews[1]["itemReviewed"]["author"]["@type"] == "Organization"
    )  # kind not given


def test_a_claim_reviewed_is_dated_to_its_precision_and_names_its_source(
    client, crawler_site
):
    from tests.factories import claim_block

    article = make_article(
        [
            claim_block(
                claimant="United Nations",
                claimed_on="2019-01-01",
                claimed_on_precision="year",
                source_title="a report on poverty in Syria",
            ),
            claim_block(
                claimant="A monitor",
                claimed_on="2020-10-01",
                claimed_on_precision="month",
                source_url="https://monitor.example/reports/october",
                source_title="its October <b>bulletin</b>",
            ),
        ],
        slug="dated",
    )
    reviews = graph(fetch(client, article), "ClaimReview")
    for review in reviews:
        assert not claim_review_problems(review, page_address(article)), review
    report, bulletin = (review["itemReviewed"] for review in reviews)
    assert report["datePublished"] == "2019"  # no day the desk does not know
    assert report["appearance"] == {
        "@type": "CreativeWork",
        "name": "a report on poverty in Syria",
    }
    assert bulletin["datePublished"] == "2020-10"
    assert bulletin["appearance"] == {
        "@type": "CreativeWork",
        "name": "its October <b>bulletin</b>",  # the editor's text, as text
        "url": "https://monitor.example/reports/october",
    }


def test_an_article_that_reviews_nothing_emits_nothing(client, crawler_site):
    unassessed = make_evidence(title="Authenticity never assessed")
    plain = make_article(
        [{"type": "paragraph", "value": "<p>Only words.</p>"}], slug="plain"
    )
    evidence_only = make_article([evidence_block(unassessed)], slug="evidence-only")
    for article in (plain, evidence_only):
        html = fetch(client, article)
        assert json_ld(html) is None
        assert "application/ld+json" not in html

    # A claim stored without an assessment (raw stream data) gets no ClaimReview.
    # The claim template cannot show such a claim, so this is read without HTTP.
    unassessed_claim = {
        "stance": "assertion",
        "statement": "Unrated.",
        "claimant": "Someone",
        "assessment": "",
    }
    article = make_article(
        [{"type": "claim", "value": unassessed_claim}], slug="unassessed"
    )
    article = ArticlePage.objects.get(pk=article.pk)
    assert article_graph(article) == []
    assert json_ld_script(article) == ""


# The media objects


def test_media_objects_carry_their_appearances_archives_and_the_captured_files_hash(
    client, crawler_site
):
    Document = get_document_model()
    captured = b"the bytes of the video as the desk downloaded it"
    original = Document(title="Capture", file=ContentFile(captured, name="capture.mp4"))
    original.save()
    video = make_evidence(
        title="Front line",
        media_url="https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        original_file=original,
    )
    Appearance.objects.filter(evidence=video).delete()
    Appearance.objects.create(
        evidence=video,
        sort_order=0,
        platform="youtube",
        url="https://youtu.be/Zx8cV2bN4mQ",
        archive_urls="https://archive.example/one\nhttps://web.archive.example/two\njavascript:alert(1)",
    )
    Appearance.objects.create(
        evidence=video,
        sort_order=1,
        platform="news_site",
        url="https://news.example/relayed",
        archive_urls="https://archive.example/three",
    )
    post = make_evidence(
        title="Telegram post",
        media_url="https://t.me/demo_observers/2614",
        authenticity_category="TransformedContent",
        authenticity_status="confirmed",
    )
    article = make_article(
        [
            evidence_block(video),
            evidence_block(post),
            evidence_block(post, heading="Again, link only", display="link"),
        ],
        slug="media-objects",
    )
    video_review, post_review = graph(fetch(client, article), "MediaReview")

    own, relayed = video_review["itemReviewed"]["mediaItemAppearance"]
    assert own["@type"] == "VideoObject"
    assert own["url"] == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"
    assert own["embedUrl"] == "https://www.youtube-nocookie.com/embed/Zx8cV2bN4mQ"
    assert own["sha256"] == hashlib.sha256(captured).hexdigest()
    assert relayed == {
        "@type": "VideoObject",
        "url": "https://news.example/relayed",
        "archivedAt": ["https://archive.example/three"],
    }
    # youtu.be/… is the same video as the canonical address: its copies go with it
    # (the javascript: line, written past validation, is left out).
    assert own["archivedAt"] == [
        "https://archive.example/one",
        "https://web.archive.example/two",
    ]

    (telegram,) = post_review["itemReviewed"]["mediaItemAppearance"]
    assert telegram["@type"] == "MediaObject"  # a Telegram post may be an image
    assert "embedUrl" not in telegram  # one block shows it as a link only
    assert "sha256" not in telegram  # no captured file
    assert (
        "originalMediaLink" not in post_review
    )  # transformed: the original is elsewhere


# The publisher


def test_the_author_is_the_site_or_the_configured_organisation(
    client, crawler_site, settings
):
    item = make_evidence(
        authenticity_category="OriginalMediaContent", authenticity_status="confirmed"
    )
    article = make_article([evidence_block(item)], slug="author")

    def author():
        return graph(fetch(client, article), "MediaReview")[0]["author"]

    assert author() == {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": "http://testserver",
    }
    crawler_site.site_name = "Les Observateurs"
    crawler_site.save()
    assert author()["name"] == "Les Observateurs"
    settings.WAGTAIL_EVIDENCE = {
        "STRUCTURED_DATA_PUBLISHER": {
            "name": "The Observers",
            "url": "https://observers.example/",
        }
    }
    assert author() == {
        "@type": "Organization",
        "name": "The Observers",
        "url": "https://observers.example/",
    }
    settings.WAGTAIL_EVIDENCE = {"STRUCTURED_DATA_PUBLISHER": "The Observers"}
    with pytest.raises(ImproperlyConfigured, match="STRUCTURED_DATA_PUBLISHER"):
        json_ld_script(ArticlePage.objects.get(pk=article.pk))


# Cost


def reader_queries(client, page):
    client.get(page.url)  # warm: site roots, renditions, the render cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "render_cache", [None, "default"], ids=["blocks-rendered", "blocks-cached"]
)
def test_the_json_ld_reads_what_the_blocks_loaded(
    client, crawler_site, settings, monkeypatch, render_cache
):
    """Rendered blocks load every detail it needs: no query. Blocks served from
    the render cache load none, so it adds one query for all the items'
    appearances, one for all their public histories (the corrections) and one
    for all their archived copies (archivedAt), whatever their number. Measured
    as the first reader after a change works it out: repeat views are served
    from the cache (tests/test_article_fragments.py)."""
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": render_cache}
    monkeypatch.setattr(article_fragments, "fragment_keys", lambda page, request: {})
    records = [
        make_evidence(
            title=f"Item {number}",
            authenticity_category="OriginalMediaContent",
            authenticity_status="confirmed",
        )
        for number in range(3)
    ]
    one = make_article([evidence_block(records[0])], slug="one-item")
    three = make_article([evidence_block(item) for item in records], slug="three-items")
    with_json_ld = {
        article.pk: reader_queries(client, article) for article in (one, three)
    }
    assert len(graph(fetch(client, three), "MediaReview")) == 3

    monkeypatch.setattr(
        "wagtail_evidence.templatetags.wagtail_evidence_tags.json_ld_script",
        lambda *args: "",
    )
    without_json_ld = {
        article.pk: reader_queries(client, article) for article in (one, three)
    }
    assert "application/ld+json" not in fetch(client, three)

    extra = 0 if render_cache is None else 3
    assert with_json_ld == {pk: count + extra for pk, count in without_json_ld.items()}


def test_each_postings_upload_date_is_its_online_since_when_known_to_the_day(
    client, crawler_site
):
    record = make_evidence(
        title="Dated postings",
        media_url="https://t.me/demo_observers/2501",
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        appearances=[
            Appearance(
                platform="telegram",
                url="https://t.me/demo_observers/2501",
                first_seen=datetime.date(2020, 9, 25),
                sort_order=0,
            ),
            Appearance(
                platform="x",
                url="https://x.com/demo_observers/status/1315024660000000001",
                first_seen=datetime.date(2020, 10, 1),
                first_seen_precision="month",  # no day: no uploadDate
                sort_order=1,
            ),
            Appearance(
                platform="youtube",
                url="https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
                first_seen=datetime.date(2020, 10, 3),
                sort_order=2,
            ),
        ],
    )
    html = fetch(client, make_article([evidence_block(record)], slug="dated"))
    [review] = graph(html, "MediaReview")
    media = review["itemReviewed"]["mediaItemAppearance"]
    assert [item.get("uploadDate") for item in media] == [
        "2020-09-25",
        None,
        "2020-10-03",
    ]
    assert "firstAppearance" not in json.dumps(json_ld(html))  # a Claim's, not media's
    assert "online since Sept. 25, 2020" in html
