"""A reader page a shared cache (a CDN, a proxy) can keep for every anonymous
reader: it sets no cookie and does not vary on the cookie, whatever the article
shows (a player that waits for consent, a warned item, our own video), and
whether its blocks came from the render cache or not.

The demo's pages, in each of their languages, are tested with the demo
(tests/demo/test_cache_safety.py)."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories import (
    evidence_block,
    make_article,
    make_evidence,
    make_showcase_article,
)


pytestmark = pytest.mark.django_db


def vary(response):
    return {
        header.lower()
        for header in re.split(r"\s*,\s*", response.get("Vary", ""))
        if header
    }


def assert_cache_safe(response):
    assert response.status_code == 200
    assert not response.cookies, response.cookies.output()
    assert "set-cookie" not in {name.lower() for name in response.headers}
    assert vary(response).isdisjoint({"cookie", "*"}), vary(response)


@pytest.fixture
def articles():
    """The showcase article (a player that waits for consent, a warned item, a
    link-only one and a claim), and one showing our own video behind a warning."""
    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name="clip.mp4")
    )
    own = make_evidence(
        title="Our own video",
        media_url="",
        video_file=video,
        warning_level="disturbing",
        description="A street after shelling.",
    )
    return [
        make_showcase_article(),
        make_article([evidence_block(own)], title="Our video", slug="our-video"),
    ]


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_an_article_read_anonymously_sets_no_cookie_and_does_not_vary_on_one(
    client, articles, prefix
):
    cache.clear()
    for article in articles:
        for _view in ("rendered", "from the render cache"):
            assert_cache_safe(client.get(prefix + article.url))


def test_a_reader_with_a_session_cookie_still_gets_the_shared_page(client, articles):
    """A reader who once signed in, or whose browser keeps another site's
    session, sends a cookie: the page still reads none of it."""
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["csrftoken"] = "x" * 32
    for article in articles:
        assert_cache_safe(client.get(article.url))
