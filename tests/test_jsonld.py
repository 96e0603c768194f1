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
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Site

from newsroom.models import ArticlePage
from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.choices import Assessment, AuthenticityCategory
from wagtail_evidence.jsonld import article_graph, json_ld_script
from wagtail_evidence.models import Appearance


pytestmark = pytest.mark.django_db

CRAWLER_HOST = "testserver"  # the host Django's test client asks for
MANIPULATION_RATINGS = {
    "https://schema.org/OriginalMediaContent",
    "https://schema.org/DecontextualizedContent",
    "https://schema.org/EditedOrCroppedContent",
    "https://schema.org/TransformedContent",
    "https://schema.org/StagedContent",
    "https://schema.org/SatireOrParodyContent",
}
MEDIA_OBJECT_TYPES = {"MediaObject", "VideoObject", "ImageObject", "AudioObject"}
EVIDENCE_SCRIPT = "/static/wagtail_evidence/js/evidence.js"


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


# Reading the page


def fetch(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def scripts(html):
    """The script elements of the page as a browser builds them (html5lib follows
    the WHATWG parsing algorithm, so a breakout would show as an extra element)."""
    return BeautifulSoup(html, "html5lib").find_all("script")


def json_ld(html):
    """The decoded JSON-LD of the page, or None; fails unless the page's scripts
    are exactly the reader script and at most one JSON-LD block."""
    found = scripts(html)
    ours = [script for script in found if script.get("type") == "application/ld+json"]
    others = [script.get("src") for script in found if script not in ours]
    assert others == [EVIDENCE_SCRIPT], others
    assert len(ours) <= 1
    if not ours:
        return None
    assert not ours[0].attrs.keys() - {"type"}
    return json.loads(ours[0].string)


def graph(html, kind):
    data = json_ld(html)
    assert data is not None, "the page has no JSON-LD"
    assert data["@context"] == "https://schema.org"
    return [node for node in data["@graph"] if node["@type"] == kind]


def page_address(page):
    return f"http://{CRAWLER_HOST}{page.url}"


# What a consumer requires


def web_address(value):
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def iso_date(value):
    try:
        datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def organisation_problems(node, where):
    problems = []
    if not isinstance(node, dict) or node.get("@type") not in ("Organization", "Person"):
        return [f"{where} is not an Organization or a Person"]
    if not str(node.get("name", "")).strip():
        problems.append(f"{where} has no name")
    if "url" in node and not web_address(node["url"]):
        problems.append(f"{where} url is not a web address")
    return problems


def claim_review_problems(node, page_url):
    """What Google's ClaimReview guidelines, or this package's promises, refuse."""
    problems = []
    if node.get("@type") != "ClaimReview":
        problems.append("not a ClaimReview")
    if not str(node.get("claimReviewed", "")).strip():
        problems.append("claimReviewed is missing")
    url = node.get("url")
    if not web_address(url) or urlsplit(url).netloc != urlsplit(page_url).netloc:
        problems.append("url is not on the page's domain")
    rating = node.get("reviewRating")
    if not isinstance(rating, dict) or rating.get("@type") != "Rating":
        problems.append("reviewRating is not a Rating")
    else:
        if not str(rating.get("alternateName", "")).strip():
            problems.append("reviewRating has no alternateName")
        if "ratingValue" in rating:
            scale = [rating.get(key) for key in ("worstRating", "ratingValue", "bestRating")]
            if not all(isinstance(number, int | float) for number in scale) or sorted(scale) != scale:
                problems.append("a numeric rating needs worstRating <= ratingValue <= bestRating")
    problems += organisation_problems(node.get("author"), "author")
    if "datePublished" in node and not iso_date(node["datePublished"]):
        problems.append("datePublished is not ISO 8601")
    claim = node.get("itemReviewed")
    if not isinstance(claim, dict) or claim.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    else:
        problems += organisation_problems(claim.get("author"), "the claim's author")
        if "datePublished" in claim and not iso_date(claim["datePublished"]):
            problems.append("the claim's datePublished is not ISO 8601")
        for key in ("appearance", "firstAppearance"):
            if key in claim and not web_address(claim[key]):
                problems.append(f"the claim's {key} is not a web address")
    return problems


def media_review_problems(node, page_url):
    """What a MediaReview consumer (Google's Fact Check Markup Tool asks for the
    same) refuses, or this package promises."""
    problems = []
    if node.get("@type") != "MediaReview":
        problems.append("not a MediaReview")
    url = node.get("url")
    if not web_address(url) or urlsplit(url).netloc != urlsplit(page_url).netloc:
        problems.append("url is not on the page's domain")
    if node.get("mediaAuthenticityCategory") not in MANIPULATION_RATINGS:
        problems.append("mediaAuthenticityCategory is not a MediaManipulationRatingEnumeration member")
    problems += organisation_problems(node.get("author"), "author")
    for key in ("datePublished", "dateModified"):
        if key in node and not iso_date(node[key]):
            problems.append(f"{key} is not ISO 8601")
    if "originalMediaLink" in node and not web_address(node["originalMediaLink"]):
        problems.append("originalMediaLink is not a web address")
    item = node.get("itemReviewed")
    if not isinstance(item, dict) or item.get("@type") != "MediaReviewItem":
        return [*problems, "itemReviewed is not a MediaReviewItem"]
    appearances = item.get("mediaItemAppearance")
    if not isinstance(appearances, list) or not appearances:
        return [*problems, "mediaItemAppearance is empty"]
    for media in appearances:
        if media.get("@type") not in MEDIA_OBJECT_TYPES:
            problems.append("a media item appearance is not a MediaObject")
        if not any(key in media for key in ("url", "contentUrl", "archivedAt")):
            problems.append("a media item appearance has no address")
        for key in ("url", "contentUrl", "embedUrl"):
            if key in media and not web_address(media[key]):
                problems.append(f"{key} is not a web address")
        if not all(web_address(archived) for archived in media.get("archivedAt", [])):
            problems.append("archivedAt holds something other than web addresses")
        if "sha256" in media and not re.fullmatch(r"[0-9a-f]{64}", media["sha256"]):
            problems.append("sha256 is not a SHA-256 in hex")
    return problems


GOOD_CLAIM_REVIEW = {
    "@type": "ClaimReview",
    "url": "http://testserver/article/",
    "claimReviewed": "There are no foreign fighters in the area.",
    "author": {"@type": "Organization", "name": "Demo newsroom", "url": "http://testserver"},
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
    "author": {"@type": "Organization", "name": "Demo newsroom"},
    "mediaAuthenticityCategory": "https://schema.org/OriginalMediaContent",
    "originalMediaLink": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
    "itemReviewed": {
        "@type": "MediaReviewItem",
        "mediaItemAppearance": [{"@type": "VideoObject", "url": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"}],
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
        replaced(GOOD_MEDIA_REVIEW, "itemReviewed.mediaItemAppearance", [{"@type": "Thing", "url": "https://a.example/"}]),
        replaced(GOOD_MEDIA_REVIEW, "itemReviewed.mediaItemAppearance", [{"@type": "VideoObject", "sha256": "abc"}]),
        replaced(GOOD_MEDIA_REVIEW, "originalMediaLink", "data:text/html,hi"),
    ],
)
def test_the_media_review_check_rejects_what_a_consumer_would(broken):
    assert not media_review_problems(GOOD_MEDIA_REVIEW, "http://testserver/article/")
    assert media_review_problems(broken, "http://testserver/article/")


# The demo article


def test_the_demo_article_reviews_every_claim_it_assessed_and_the_medium_it_authenticated(client, demo, crawler_site):
    html = fetch(client, demo)
    soup = BeautifulSoup(html, "html.parser")
    claim_reviews = graph(html, "ClaimReview")
    media_reviews = graph(html, "MediaReview")

    # One ClaimReview per claim the reader sees, in reading order, saying what
    # the page says: the statement and our assessment.
    claims = soup.select("section.claim")
    assert len(claim_reviews) == len(claims) == 6
    for review, section in zip(claim_reviews, claims, strict=True):
        assert not claim_review_problems(review, page_address(demo)), review
        assert review["url"] == page_address(demo)
        assert review["claimReviewed"] == section.select_one(".claim__statement").get_text(strip=True)
        shown = section.select_one(".claim__assessment").get_text(" ", strip=True)
        assert shown.endswith(review["reviewRating"]["alternateName"])
        assert "ratingValue" not in review["reviewRating"]  # see docs/reference/json-ld.md
    denial, sohr, independent = claim_reviews[:3]
    assert denial["reviewRating"]["alternateName"] == "Contradicted by evidence"
    assert denial["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The defence ministers of Azerbaijan and Turkey",
    }
    assert sohr["itemReviewed"]["datePublished"] == "2020-10-18"
    assert sohr["reviewRating"]["ratingExplanation"].startswith("We could not verify these figures")
    assert "datePublished" not in independent["itemReviewed"]  # never invented
    assert denial["author"] == {"@type": "Organization", "name": "Demo newsroom", "url": "http://testserver"}
    assert denial["datePublished"].startswith(demo.first_published_at.date().isoformat())

    # Only the recruitment video has a confirmed authenticity category.
    assert len(media_reviews) == 1
    review = media_reviews[0]
    assert not media_review_problems(review, page_address(demo)), review
    anchor = urlsplit(review["url"]).fragment
    section = soup.find(id=anchor)
    assert section is not None
    assert section.select_one(".evidence__heading").get_text(strip=True) == "Recruitment speech in Shaykh al-Hadid"
    assert review["mediaAuthenticityCategory"] == "https://schema.org/OriginalMediaContent"
    outbound = section.select_one(".evidence-media__outbound a")["href"]
    assert review["originalMediaLink"] == outbound
    (media,) = review["itemReviewed"]["mediaItemAppearance"]
    assert media["@type"] == "VideoObject"  # a Facebook video
    assert media["url"] == outbound
    assert media["embedUrl"].startswith("https://www.facebook.com/plugins/video.php?")
    assert media["description"] == "A man addresses a crowd and urges them to sign up to fight abroad."


# Whatever the editor typed


HOSTILE = (
    '</script><script>alert(1)</script> "quoted" \'single\' back\\slash '
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
    raw = [script for script in scripts(html) if script.get("type") == "application/ld+json"][0].string
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    (claim,) = graph(html, "ClaimReview")
    (media,) = graph(html, "MediaReview")

    # ...and the JSON gives back exactly what was typed.
    assert claim["claimReviewed"] == f"Statement {HOSTILE}"
    assert claim["itemReviewed"]["author"] == {"@type": "Person", "name": f"Claimant {HOSTILE}"[:255]}
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
    live = make_evidence(title="Live", authenticity_category="OriginalMediaContent", authenticity_status="confirmed")
    withdrawn = make_evidence(
        title="Withdrawn later",
        description="Withdrawn description.",
        authenticity_category="StagedContent",
        authenticity_status="confirmed",
    )
    with_draft = make_evidence(title="Has a draft", authenticity_category="OriginalMediaContent", authenticity_status="confirmed")
    unsure = make_evidence(title="Disputed category", authenticity_category="StagedContent", authenticity_status="disputed")
    article = make_article([evidence_block(item) for item in (live, withdrawn, with_draft, unsure)], slug="live-only")

    withdrawn.unpublish()
    with_draft.authenticity_category = "StagedContent"
    with_draft.description = "A draft description, not yet verified."
    with_draft.save_revision()  # a draft: the live row is unchanged

    html = fetch(client, article)
    reviews = graph(html, "MediaReview")
    names = [review["itemReviewed"]["mediaItemAppearance"][0]["name"] for review in reviews]
    assert names == ["Live", "Has a draft"]
    assert [review["mediaAuthenticityCategory"] for review in reviews] == ["https://schema.org/OriginalMediaContent"] * 2
    data = json.dumps(json_ld(html))
    for absent in ("Withdrawn later", "Withdrawn description.", "A draft description", "Disputed category", "StagedContent"):
        assert absent not in data


def test_each_authenticity_category_is_schema_orgs_and_only_original_media_links_to_itself(client, crawler_site):
    records = {
        category: make_evidence(
            title=f"Item {category.value}",
            authenticity_category=category,
            authenticity_status="confirmed",
        )
        for category in AuthenticityCategory
        if category
    }
    article = make_article([evidence_block(item) for item in records.values()], slug="categories")
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
            claim("confirmed", claimant="Elizabeth Tsurkov", claimant_kind="person", claimed_on="2020-10-20",
                  source_url="https://researcher.example/thread/1"),
            *(claim(assessment) for assessment in ("consistent", "contradicted", "not_verified")),
        ],
        slug="ratings",
    )
    reviews = graph(fetch(client, article), "ClaimReview")
    assert [review["reviewRating"]["alternateName"] for review in reviews] == [
        str(Assessment(value).label) for value in ("confirmed", "consistent", "contradicted", "not_verified")
    ]
    for review in reviews:
        assert not claim_review_problems(review, page_address(article)), review
        assert not review["reviewRating"].keys() & {"ratingValue", "bestRating", "worstRating"}
    person = reviews[0]["itemReviewed"]
    assert person == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Elizabeth Tsurkov"},
        "datePublished": "2020-10-20",
        "appearance": "https://researcher.example/thread/1",
    }
    assert reviews[1]["itemReviewed"]["author"]["@type"] == "Organization"  # kind not given


def test_an_article_that_reviews_nothing_emits_nothing(client, crawler_site):
    unassessed = make_evidence(title="Authenticity never assessed")
    plain = make_article([{"type": "paragraph", "value": "<p>Only words.</p>"}], slug="plain")
    evidence_only = make_article([evidence_block(unassessed)], slug="evidence-only")
    for article in (plain, evidence_only):
        html = fetch(client, article)
        assert json_ld(html) is None
        assert "application/ld+json" not in html

    # A claim stored without an assessment (raw stream data) gets no ClaimReview.
    # The claim template cannot show such a claim, so this is read without HTTP.
    unassessed_claim = {"stance": "assertion", "statement": "Unrated.", "claimant": "Someone", "assessment": ""}
    article = make_article([{"type": "claim", "value": unassessed_claim}], slug="unassessed")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article_graph(article) == []
    assert json_ld_script(article) == ""


# The media objects


def test_media_objects_carry_their_appearances_archives_and_the_captured_files_hash(client, crawler_site):
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
        evidence=video, sort_order=0, platform="youtube", url="https://youtu.be/Zx8cV2bN4mQ",
        archive_urls="https://archive.example/one\nhttps://web.archive.example/two\njavascript:alert(1)",
    )
    Appearance.objects.create(
        evidence=video, sort_order=1, platform="news_site", url="https://news.example/relayed",
        archive_urls="https://archive.example/three",
    )
    post = make_evidence(
        title="Telegram post",
        media_url="https://t.me/demo_observers/2614",
        authenticity_category="TransformedContent",
        authenticity_status="confirmed",
    )
    article = make_article(
        [evidence_block(video), evidence_block(post), evidence_block(post, heading="Again, link only", display="link")],
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
    assert own["archivedAt"] == ["https://archive.example/one", "https://web.archive.example/two"]

    (telegram,) = post_review["itemReviewed"]["mediaItemAppearance"]
    assert telegram["@type"] == "MediaObject"  # a Telegram post may be an image
    assert "embedUrl" not in telegram  # one block shows it as a link only
    assert "sha256" not in telegram  # no captured file
    assert "originalMediaLink" not in post_review  # transformed: the original is elsewhere


# The newsroom


def test_the_author_is_the_site_or_the_configured_organisation(client, crawler_site, settings):
    item = make_evidence(authenticity_category="OriginalMediaContent", authenticity_status="confirmed")
    article = make_article([evidence_block(item)], slug="author")

    def author():
        return graph(fetch(client, article), "MediaReview")[0]["author"]

    assert author() == {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME, "url": "http://testserver"}
    crawler_site.site_name = "Les Observateurs"
    crawler_site.save()
    assert author()["name"] == "Les Observateurs"
    settings.WAGTAIL_EVIDENCE = {"STRUCTURED_DATA_PUBLISHER": {"name": "The Observers", "url": "https://observers.example/"}}
    assert author() == {"@type": "Organization", "name": "The Observers", "url": "https://observers.example/"}
    settings.WAGTAIL_EVIDENCE = {"STRUCTURED_DATA_PUBLISHER": "The Observers"}
    with pytest.raises(ImproperlyConfigured, match="STRUCTURED_DATA_PUBLISHER"):
        json_ld_script(ArticlePage.objects.get(pk=article.pk))


# Cost


def reader_queries(client, page):
    client.get(page.url)  # warm: site roots, renditions, the render cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("render_cache", [None, "default"], ids=["blocks-rendered", "blocks-cached"])
def test_the_json_ld_reads_what_the_blocks_loaded(client, crawler_site, settings, monkeypatch, render_cache):
    """Rendered blocks load every detail it needs: no query. Blocks served from
    the render cache load none, so it adds one query for all the items'
    appearances, whatever their number."""
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": render_cache}
    records = [
        make_evidence(title=f"Item {number}", authenticity_category="OriginalMediaContent", authenticity_status="confirmed")
        for number in range(3)
    ]
    one = make_article([evidence_block(records[0])], slug="one-item")
    three = make_article([evidence_block(item) for item in records], slug="three-items")
    with_json_ld = {article.pk: reader_queries(client, article) for article in (one, three)}
    assert len(graph(fetch(client, three), "MediaReview")) == 3

    monkeypatch.setattr("wagtail_evidence.templatetags.wagtail_evidence_tags.json_ld_script", lambda *args: "")
    without_json_ld = {article.pk: reader_queries(client, article) for article in (one, three)}
    assert "application/ld+json" not in fetch(client, three)

    extra = 0 if render_cache is None else 1
    assert with_json_ld == {pk: count + extra for pk, count in without_json_ld.items()}
