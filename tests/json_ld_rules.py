"""How the tests read an article's schema.org JSON-LD, as a crawler reads it,
and what a consumer of it requires (tests/test_jsonld.py says why).

Reads pages and data only, no model: the suite and the demo's tests
(tests/demo/) share it, each on its own settings.
"""

import datetime
import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup


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
    """A full ISO 8601 date or date-time, or one of reduced precision ("2019",
    "2020-10"), as ISO 8601 and schema.org's Date allow."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value):
        return True
    try:
        datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def creative_work(value):
    """schema.org's CreativeWork, named, where a claim appeared."""
    return (
        isinstance(value, dict)
        and value.get("@type") == "CreativeWork"
        and bool(str(value.get("name", "")).strip())
        and ("url" not in value or web_address(value["url"]))
    )


def organisation_problems(node, where):
    problems = []
    if not isinstance(node, dict) or node.get("@type") not in (
        "Organization",
        "Person",
    ):
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
            scale = [
                rating.get(key) for key in ("worstRating", "ratingValue", "bestRating")
            ]
            if (
                not all(isinstance(number, int | float) for number in scale)
                or sorted(scale) != scale
            ):
                problems.append(
                    "a numeric rating needs worstRating <= ratingValue <= bestRating"
                )
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
            if key in claim and not (
                web_address(claim[key]) or creative_work(claim[key])
            ):
                problems.append(
                    f"the claim's {key} is neither a web address nor a named CreativeWork"
                )
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
        problems.append(
            "mediaAuthenticityCategory is not a MediaManipulationRatingEnumeration member"
        )
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
