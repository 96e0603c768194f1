"""Flashing or strobing lights: the item says it stays covered and never plays
by itself, and the article warning and the API say so too."""

import pytest

from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import item, read, read_api, shown, text


pytestmark = pytest.mark.django_db

STAYS_COVERED = (
    "It has flashing or strobing lights: it stays covered even if you choose to "
    "see warned items, and it never plays by itself."
)


def flashing_and_violent():
    flashing = make_evidence(
        title="Strikes at night",
        media_url="https://t.me/demo_observers/2700",
        description="Night-time strikes light up the sky in rapid flashes.",
        warning_level="disturbing",
        warning_categories=["flashing"],
    )
    violent = make_evidence(
        title="Under fire",
        media_url="https://t.me/demo_observers/2610",
        description="A young fighter films himself as shrapnel falls near him.",
        warning_level="disturbing",
        warning_categories=["violence"],
    )
    return flashing, violent


def test_a_flashing_item_says_it_stays_covered_and_the_article_says_so(client):
    flashing, violent = flashing_and_violent()
    article = make_article([evidence_block(flashing), evidence_block(violent)])
    soup = read(client, article)
    box = item(soup, flashing.title).select_one("[data-evidence-media]")
    assert box.has_attr("data-evidence-photosensitive")
    assert STAYS_COVERED in text(box.select_one("[data-evidence-cover]"))
    other = item(soup, violent.title).select_one("[data-evidence-media]")
    assert not other.has_attr("data-evidence-photosensitive")
    assert STAYS_COVERED not in text(other)
    warning = soup.select_one("aside.evidence-article-warning")
    assert "Items with flashing or strobing lights stay covered" in text(warning)
    assert "Flashing or strobing lights" in text(warning)  # among the categories
    assert "autoplay" not in str(soup)


def test_an_article_without_flashing_lights_does_not_mention_them(client):
    _flashing, violent = flashing_and_violent()
    soup = read(client, make_article([evidence_block(violent)]))
    assert "flashing" not in text(soup.select_one("aside.evidence-article-warning"))


def test_the_api_says_which_items_are_photosensitive(client):
    flashing, violent = flashing_and_violent()
    data = read_api(
        client, make_article([evidence_block(flashing), evidence_block(violent)])
    )
    assert shown(data, flashing.title)["evidence"]["warning"]["photosensitive"] is True
    assert shown(data, violent.title)["evidence"]["warning"]["photosensitive"] is False
