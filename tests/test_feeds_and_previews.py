"""Warnings that travel: a shared link's preview, a feed reader and a newsletter
get the content warning and the badges, and never a warned item's picture or
any item's media."""

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    evidence_block,
    make_article,
    make_evidence,
    make_poster,
)
from wagtail_evidence.media.players import poster_rendition


pytestmark = pytest.mark.django_db

GRAPHIC = "this article contains graphic material that some readers may find shocking."


def meta(soup):
    found = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key and (key.startswith("og:") or key.startswith("twitter:")):
            assert key not in found, f"{key} twice"
            found[key] = tag["content"]
    return found


def head_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").head


@pytest.fixture
def warned_and_plain():
    warned = make_evidence(
        title="Bodies near a village",
        media_url="https://x.com/demo_observers/status/1315024660000000000",
        description="A fighter walks among the bodies of dead soldiers.",
        warning_level="graphic",
        warning_categories=["violence", "dead_or_injured"],
        poster=make_poster("Warned still"),
    )
    plain = make_evidence(
        title="Convoy in Horadiz",
        media_url="https://t.me/demo_observers/2533",
        description="Pick-up trucks carry armed men down a street.",
        poster=make_poster("Plain still"),
    )
    return warned, plain


def test_a_warned_articles_preview_leads_with_the_warning_and_skips_warned_pictures(
    client, warned_and_plain
):
    warned, plain = warned_and_plain
    article = make_article(
        [evidence_block(warned), evidence_block(plain)],
        search_description="Videos place fighters on the front line.",
    )
    tags = meta(head_of(client, article))
    assert tags["og:description"] == (
        f"Warning: {GRAPHIC} Videos place fighters on the front line."
    )
    assert tags["twitter:description"] == tags["og:description"]
    assert tags["og:title"] == tags["twitter:title"] == article.title
    assert tags["og:url"] == f"http://testserver{article.url}"
    # The first item is warned: the preview is the next one's poster.
    assert tags["og:image"] == (
        f"http://testserver{poster_rendition(plain.poster).url}"
    )
    assert tags["og:image:alt"] == plain.description
    assert tags["twitter:card"] == "summary_large_image"
    html = str(head_of(client, article))
    assert poster_rendition(warned.poster).url not in html


def test_with_only_warned_pictures_the_preview_has_none(client, warned_and_plain):
    warned, _plain = warned_and_plain
    tags = meta(head_of(client, make_article([evidence_block(warned)])))
    assert "og:image" not in tags and "twitter:image" not in tags
    assert tags["twitter:card"] == "summary"
    assert tags["og:description"] == f"Warning: {GRAPHIC}"


def test_an_image_the_template_names_is_refused_if_it_is_a_warned_items_poster(
    warned_and_plain,
):
    warned, plain = warned_and_plain
    # The same picture as the poster of an unwarned record too: still refused.
    make_evidence(
        title="Same still",
        media_url="https://t.me/demo_observers/77",
        poster=warned.poster,
    )
    article = make_article([evidence_block(plain)])
    template = Template(
        "{% load wagtail_evidence_tags %}{% evidence_social_meta page image=image %}"
    )
    request = RequestFactory().get(article.url)

    def rendered(image):
        html = template.render(
            Context({"page": article, "image": image, "request": request})
        )
        return meta(BeautifulSoup(html, "html.parser"))

    assert "og:image" not in rendered(warned.poster)
    assert rendered(plain.poster)["og:image"].endswith(
        poster_rendition(plain.poster).url
    )


def test_an_article_without_a_warning_has_no_warning_in_its_preview(
    client, warned_and_plain
):
    _warned, plain = warned_and_plain
    tags = meta(head_of(client, make_article([evidence_block(plain)])))
    assert "og:description" not in tags  # no warning and no description given
    assert tags["og:image"].endswith(poster_rendition(plain.poster).url)


# The feed


def feed_items(client, path="/feed/"):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    # Our own response, parsed as a feed reader would.
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314
    return {item.findtext("title"): item for item in channel.findall("item")}


def test_feed_items_carry_warnings_badges_and_links_never_media(
    client, warned_and_plain
):
    warned, plain = warned_and_plain
    article = make_article(
        [evidence_block(warned), evidence_block(plain)], title="Fighters at the front"
    )
    item = feed_items(client)["Fighters at the front"]
    assert item.findtext("link") == f"http://testserver{article.url}"
    description = item.findtext("description")
    text = re.sub(r"\s+", " ", BeautifulSoup(description, "html.parser").get_text())
    assert f"Warning: {GRAPHIC}" in text
    assert "Warning: graphic content (Violence, Dead or injured people)" in text
    assert warned.description in text and plain.description in text
    assert "Partially verified. Confirmed: place; not established: date;" in text
    links = [a["href"] for a in BeautifulSoup(description, "html.parser").find_all("a")]
    # The outbound links, as the reader page gives them (the provider's own form).
    assert links == [warned.outbound_url, plain.outbound_url]
    assert links[0].startswith("https://x.com/") and links[1].startswith(
        "https://t.me/"
    )
    for media in ("<img", "<iframe", "<video", "<source", "/media/", "?embed"):
        assert media not in description, media


def test_the_warning_comes_first_in_a_newsletter_item(warned_and_plain):
    warned, _plain = warned_and_plain
    html = Template(
        "{% load wagtail_evidence_tags %}{% evidence_email_item item %}"
    ).render(Context({"item": warned}))
    paragraphs = [
        re.sub(r"\s+", " ", p.get_text()).strip()
        for p in BeautifulSoup(html, "html.parser").find_all("p")
    ]
    assert paragraphs[0] == warned.title
    assert paragraphs[1].startswith("Warning: graphic content")
    assert paragraphs.index(warned.description) > 1
    assert "<img" not in html and "style=" not in html


def test_a_poster_whose_record_has_a_draft_waiting_is_not_a_preview(
    client, warned_and_plain
):
    _warned, plain = warned_and_plain
    article = make_article([evidence_block(plain)])
    assert "og:image" in meta(head_of(client, article))
    plain.warning_level = "graphic"  # a draft that warns: not yet published
    plain.save_revision()
    assert "og:image" not in meta(head_of(client, article))


def test_a_newsletter_item_of_a_draft_is_withdrawn(warned_and_plain):
    _warned, plain = warned_and_plain
    plain.unpublish()
    html = Template(
        "{% load wagtail_evidence_tags %}{% evidence_email_item item %}"
    ).render(Context({"item": plain}))
    assert "This item has been withdrawn." in html
    assert plain.title not in html and plain.description not in html


def test_the_previews_picture_goes_back_into_wagtails_rendition_cache(
    client, warned_and_plain
):
    """Served from the render cache, the page loads the picture without its
    renditions: once Wagtail's cached rendition expired, one view reads it from
    the database and puts it back, and the next reads the cache again."""
    _warned, plain = warned_and_plain
    article = make_article([evidence_block(plain)])
    head_of(client, article)
    caches["default"].clear()  # the rendition's entry expired (blocks: rows)

    def rendition_queries():
        with CaptureQueriesContext(connection) as queries:
            tags = meta(head_of(client, article))
        assert tags["og:image"].endswith(poster_rendition(plain.poster).url)
        return [
            q for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]
        ]

    assert len(rendition_queries()) == 1
    assert rendition_queries() == []
