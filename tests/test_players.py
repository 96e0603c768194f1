"""Every player the package emits is built from a strict media id and locked down."""

import pytest
from bs4 import BeautifulSoup

from wagtail_evidence.media.players import player_html
from wagtail_evidence.media.providers import (
    DEFAULT_PROVIDER_CLASSES,
    player_frame_sources,
)
from wagtail_evidence.models import Evidence


URLS = {
    "youtube": "https://youtu.be/Zx8cV2bN4mQ",
    "x": "https://x.com/someone/status/1315024660000000000",
    "telegram": "https://t.me/demo_observers/2501",
    "facebook": "https://www.facebook.com/page.name/videos/1234567890123",
    "vimeo": "https://vimeo.com/76979871",
    "instagram": "https://www.instagram.com/p/CGx1ab2Cd3E/",
    "tiktok": "https://www.tiktok.com/@some.one/video/6890000000000000000",
}


@pytest.mark.parametrize("provider", sorted(URLS))
def test_each_providers_player_is_sandboxed_titled_and_from_its_own_origin(provider):
    evidence = Evidence(title='A "quoted" <title>', media_url=URLS[provider])
    evidence.refresh_media_match()
    frame = BeautifulSoup(player_html(evidence, evidence.title), "html.parser").iframe
    assert frame["src"].startswith(evidence.provider_object.player_origin + "/")
    sandbox = " ".join(frame.get_attribute_list("sandbox")).split()
    assert "allow-scripts" in sandbox and "allow-top-navigation" not in sandbox
    assert "allow-top-navigation-by-user-activation" not in sandbox
    assert frame["referrerpolicy"] == "strict-origin-when-cross-origin"
    assert frame["title"].endswith(
        'A "quoted" <title>'
    )  # escaped in HTML, intact in the DOM
    assert "autoplay" not in frame["allow"] and "autoplay" not in frame["src"]


def test_the_csp_helper_allows_exactly_the_players_origins():
    assert player_frame_sources() == sorted(
        {cls.player_origin for cls in DEFAULT_PROVIDER_CLASSES}
    )
    assert all(origin.startswith("https://") for origin in player_frame_sources())


def test_link_only_media_has_no_player():
    evidence = Evidence(title="A link", media_url="https://aleppo-news.example/video")
    evidence.refresh_media_match()
    assert player_html(evidence, "A link") == ""
    assert not evidence.is_embeddable


def test_the_provider_is_asked_again_when_the_address_changes_on_the_same_record():
    evidence = Evidence(title="A record", media_url=URLS["youtube"])
    evidence.refresh_media_match()
    assert evidence.provider_object.name == "youtube"
    # An address written past validation keeps the old provider and id: no player.
    evidence.media_url = URLS["vimeo"]
    assert evidence.provider_object is None
    evidence.refresh_media_match()
    assert evidence.provider_object.name == "vimeo"
    assert "vimeo" in player_html(evidence, evidence.title)
