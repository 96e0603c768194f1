"""What readers get when the media's source is gone: the archived copy, with
its date, and the item saying the source removed it, instead of a player; in
the page, the API and the JSON-LD. No third party is loaded or called."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from tests.factories import evidence_block, make_article, make_evidence
from tests.json_ld_rules import json_ld
from tests.reading import read_api, shown
from wagtail_evidence.archives import tasks
from wagtail_evidence.models import Appearance, ArchivedCopy, Evidence


pytestmark = pytest.mark.django_db

MEDIA = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
COPY = f"https://web.archive.org/web/20201003120000/{MEDIA}"
RELAY = "https://t.me/demo_observers/2533"


@pytest.fixture
def gone(users):
    """A live record whose media the source deleted, archived before it went."""
    evidence = make_evidence(
        media_url=MEDIA,
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        appearances=[
            Appearance(platform="youtube", url=MEDIA),
            Appearance(
                platform="telegram",
                url=RELAY,
                archive_urls="https://archive.ph/abc12",
                sort_order=1,
            ),
        ],
    )
    ArchivedCopy.objects.create(
        evidence=evidence,
        captured_url=MEDIA,
        archive_url=COPY,
        service="Internet Archive",
        captured_at=datetime(2020, 10, 3, 12, tzinfo=UTC),
    )
    tasks.set_status(evidence, MEDIA, "deleted", users["verifier"])
    return Evidence.objects.get(pk=evidence.pk)


def test_the_include_alone_gives_the_copy_and_says_the_source_removed_it(gone):
    html = render_to_string(
        "wagtail_evidence/includes/media_or_archive.html", {"item": gone}
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("[data-evidence-source-gone]") is not None
    assert "The source has removed this media." in soup.get_text(" ")
    assert soup.select_one(".evidence-media__archive a")["href"] == COPY


def item_html(client, evidence):
    article = make_article([evidence_block(evidence)])
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), article


def test_a_gone_source_gives_readers_the_archived_copy_instead_of_a_player(
    client, gone
):
    soup, _article = item_html(client, gone)
    item = soup.select_one("section.evidence")
    text = item.get_text(" ", strip=True)
    assert "The source has removed this media." in text
    link = item.select_one(".evidence-media__archive a")
    assert link["href"] == COPY
    assert " ".join(link.get_text().split()) == (
        "See the archived copy on web.archive.org, captured on Oct. 3, 2020"
    )
    assert link["rel"] == ["noopener", "noreferrer", "nofollow"]
    # No player, no consent button to load one, nothing from the platform.
    assert (
        item.select(
            "template[data-evidence-player], iframe, [data-evidence-action='load']"
        )
        == []
    )
    assert "youtube" not in str(item.select_one("[data-evidence-source-gone]")).lower()


def test_readers_get_the_latest_copy_they_may_follow_its_host_isolated(client, gone):
    # A newer copy whose address is no safe web address (stored before the
    # checks, or by a backend that erred) is passed over, not a dead end.
    ArchivedCopy.objects.create(
        evidence=gone,
        captured_url=MEDIA,
        archive_url="javascript:alert(1)",
        service="A broken backend",
        captured_at=datetime(2020, 11, 1, tzinfo=UTC),
    )
    soup, _article = item_html(client, Evidence.objects.get(pk=gone.pk))
    link = soup.select_one("section.evidence .evidence-media__archive a")
    assert link["href"] == COPY
    assert [bdi.get_text() for bdi in link.select("bdi")] == ["web.archive.org"]
    assert "javascript" not in str(soup.select_one("section.evidence"))


def test_a_source_that_is_there_keeps_its_player(client, gone, users):
    tasks.set_status(gone, MEDIA, "available", users["verifier"])
    soup, _article = item_html(client, Evidence.objects.get(pk=gone.pk))
    item = soup.select_one("section.evidence")
    assert item.select("[data-evidence-source-gone]") == []
    assert item.select("template[data-evidence-player]")


def test_embedding_disabled_also_falls_back_with_its_own_words(client, gone, users):
    tasks.set_status(gone, MEDIA, "embedding_disabled", users["verifier"])
    soup, _article = item_html(client, Evidence.objects.get(pk=gone.pk))
    text = soup.select_one("section.evidence").get_text(" ", strip=True)
    assert "no longer allows this media to be played on other sites" in text


def test_a_gone_source_without_a_copy_says_so(client, gone):
    ArchivedCopy.objects.filter(evidence=gone).delete()
    soup, _article = item_html(client, Evidence.objects.get(pk=gone.pk))
    assert "No archived copy of it is known." in soup.get_text(" ")


def test_a_status_change_reaches_a_cached_render(client, gone, users, settings):
    """The render cache is keyed on the record's token: the desk's status
    renews it, so readers see the change at once."""
    tasks.set_status(gone, MEDIA, "available", users["verifier"])
    article = make_article([evidence_block(gone)])
    assert b"data-evidence-source-gone" not in client.get(article.url).content
    tasks.set_status(gone, MEDIA, "deleted", users["verifier"])
    assert b"data-evidence-source-gone" in client.get(article.url).content


def test_the_api_gives_the_status_and_the_copies(client, gone):
    article = make_article([evidence_block(gone, heading="Gone")])
    sources = shown(read_api(client, article), "Gone")["evidence"]["sources"]
    assert sources["media_gone"] is True
    assert sources["media_status"] == {
        "value": "deleted",
        "label": "Deleted by the source",
    }
    assert sources["archived_copies"] == [
        {
            "url": COPY,
            "of": MEDIA,
            "service": "Internet Archive",
            "captured_at": "2020-10-03T12:00:00+00:00",
        }
    ]


def test_json_ld_names_the_archived_copies(client, gone):
    _soup, article = item_html(client, gone)
    html = client.get(article.url).content.decode()
    media_review = next(
        node for node in json_ld(html)["@graph"] if node.get("@type") == "MediaReview"
    )
    appearances = media_review["itemReviewed"]["mediaItemAppearance"]
    assert appearances[0]["archivedAt"] == [COPY]
    # The relay's copy pasted by hand stays with it.
    assert appearances[1]["archivedAt"] == ["https://archive.ph/abc12"]
