"""The schema.org JSON-LD of the demo article, read over HTTP as a crawler reads
it: a ClaimReview for every claim it assessed, a MediaReview for the medium it
authenticated, each held to what a consumer requires (tests/json_ld_rules.py).

The JSON-LD of any article is tested on the suite's own site (tests/test_jsonld.py).
"""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from tests.json_ld_rules import (
    CRAWLER_HOST,
    claim_review_problems,
    fetch,
    graph,
    media_review_problems,
    page_address,
)


pytestmark = pytest.mark.django_db


@pytest.fixture
def crawler_site(demo):
    """The demo's site named as the host the test client requests, so that the
    page's canonical address is the one that was fetched."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = CRAWLER_HOST, 80
    site.save()  # clears Wagtail's cache of site roots
    return site


def test_the_demo_article_reviews_every_claim_it_assessed_and_the_medium_it_authenticated(
    client, demo, crawler_site
):
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
        assert review["claimReviewed"] == section.select_one(
            ".claim__statement"
        ).get_text(strip=True)
        shown = section.select_one(".claim__assessment").get_text(" ", strip=True)
        assert shown.endswith(review["reviewRating"]["alternateName"])
        assert (
            "ratingValue" not in review["reviewRating"]
        )  # see docs/reference/json-ld.md
    denial, sohr, independent = claim_reviews[:3]
    assert denial["reviewRating"]["alternateName"] == "Contradicted by evidence"
    assert denial["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The defence ministers of Azerbaijan and Turkey",
    }
    assert sohr["itemReviewed"]["datePublished"] == "2020-10-18"
    assert sohr["reviewRating"]["ratingExplanation"].startswith(
        "We could not verify these figures"
    )
    assert "datePublished" not in independent["itemReviewed"]  # never invented
    assert denial["author"] == {
        "@type": "Organization",
        "name": "Demo newsroom",
        "url": "http://testserver",
    }
    assert denial["datePublished"].startswith(
        demo.first_published_at.date().isoformat()
    )

    # Only the recruitment video has a confirmed authenticity category.
    assert len(media_reviews) == 1
    review = media_reviews[0]
    assert not media_review_problems(review, page_address(demo)), review
    anchor = urlsplit(review["url"]).fragment
    section = soup.find(id=anchor)
    assert section is not None
    assert (
        section.select_one(".evidence__heading").get_text(strip=True)
        == "Recruitment speech in Shaykh al-Hadid"
    )
    assert (
        review["mediaAuthenticityCategory"] == "https://schema.org/OriginalMediaContent"
    )
    outbound = section.select_one(".evidence-media__outbound a")["href"]
    assert review["originalMediaLink"] == outbound
    (media,) = review["itemReviewed"]["mediaItemAppearance"]
    assert media["@type"] == "VideoObject"  # a Facebook video
    assert media["url"] == outbound
    assert media["embedUrl"].startswith("https://www.facebook.com/plugins/video.php?")
    assert (
        media["description"]
        == "A man addresses a crowd and urges them to sign up to fight abroad."
    )
