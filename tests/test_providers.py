import pytest
from django.core.exceptions import ValidationError

from wagtail_evidence.media.providers import (
    MediaMatch,
    UnsupportedMediaURL,
    parse_media_url,
)


@pytest.mark.parametrize(
    ("url", "provider", "media_id"),
    [
        ("https://www.youtube.com/watch?v=Zx8cV2bN4mQ", "youtube", "Zx8cV2bN4mQ"),
        ("https://www.youtube.com/watch?v=Zx8cV2bN4mQ&t=42s", "youtube", "Zx8cV2bN4mQ"),
        ("https://youtu.be/Zx8cV2bN4mQ", "youtube", "Zx8cV2bN4mQ"),
        ("https://m.youtube.com/shorts/Zx8cV2bN4mQ", "youtube", "Zx8cV2bN4mQ"),
        (
            "https://www.youtube-nocookie.com/embed/Zx8cV2bN4mQ",
            "youtube",
            "Zx8cV2bN4mQ",
        ),
        (
            "https://x.com/someone/status/1315024660000000000",
            "x",
            "1315024660000000000",
        ),
        ("https://twitter.com/some_one/status/20/video/1", "x", "20"),
        ("https://t.me/demo_observers/2501", "telegram", "demo_observers/2501"),
        ("https://t.me/s/demo_observers/2501", "telegram", "demo_observers/2501"),
        (
            "https://www.facebook.com/page.name/videos/1234567890123",
            "facebook",
            "page.name/videos/1234567890123",
        ),
        (
            "https://www.facebook.com/watch/?v=1234567890123",
            "facebook",
            "1234567890123",
        ),
        ("https://www.facebook.com/reel/1234567890", "facebook", "reel/1234567890"),
        ("https://fb.watch/aBcD3fGh/", "facebook", "aBcD3fGh"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
        ("https://vimeo.com/76979871/abc123def0", "vimeo", "76979871/abc123def0"),
        (
            "https://player.vimeo.com/video/76979871?h=abc123def0",
            "vimeo",
            "76979871/abc123def0",
        ),
        ("https://www.instagram.com/p/CGx1ab2Cd3E/", "instagram", "p/CGx1ab2Cd3E"),
        ("https://www.instagram.com/reel/CGx1ab2Cd3E", "instagram", "reel/CGx1ab2Cd3E"),
        (
            "https://www.tiktok.com/@some.one/video/6890000000000000000",
            "tiktok",
            "6890000000000000000",
        ),
    ],
)
def test_each_provider_parses_its_media_ids(url, provider, media_id):
    assert parse_media_url(url) == MediaMatch(provider, media_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/channel/UCabc",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=Zx8cV2bN4mQ&v=Zx8cV2bN4mR",
        "https://x.com/someone",
        "https://t.me/demo_observers",
        "https://t.me/joinchat/AAAA",
        "https://www.instagram.com/someone/",
        "https://www.tiktok.com/@someone",
        "https://vimeo.com/about",
        "https://www.facebook.com/../videos/123456",
        "https://www.facebook.com/.hidden/videos/123456",
    ],
)
def test_a_providers_page_that_is_not_one_piece_of_media_is_refused_by_name(url):
    with pytest.raises(UnsupportedMediaURL) as raised:
        parse_media_url(url)
    message = raised.value.messages[0]
    assert "does not point to a single video or post" in message
    assert "Link only" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://youtube.com.evil.example/watch?v=Zx8cV2bN4mQ",
        "https://evil-youtube.com/watch?v=Zx8cV2bN4mQ",
        "https://www.bellingcat.com/news/2020/10/",
        "https://vm.tiktok.com/ZMabcdef/",
    ],
)
def test_other_hosts_are_not_embeddable_and_the_message_lists_what_is(url):
    with pytest.raises(UnsupportedMediaURL) as raised:
        parse_media_url(url)
    message = raised.value.messages[0]
    for platform in (
        "YouTube",
        "X (Twitter)",
        "Telegram",
        "Facebook",
        "Vimeo",
        "Instagram",
        "TikTok",
    ):
        assert platform in message
    assert "Link only" in message


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://y\u043eutube.com/watch?v=Zx8cV2bN4mQ"]
)
def test_a_malformed_or_look_alike_address_is_a_plain_validation_error_not_an_unsupported_one(
    url,
):
    with pytest.raises(ValidationError) as raised:
        parse_media_url(url)
    assert not isinstance(raised.value, UnsupportedMediaURL)


def test_projects_choose_providers_through_the_setting(settings):
    settings.WAGTAIL_EVIDENCE = {
        "PROVIDERS": ["wagtail_evidence.media.providers.Vimeo"]
    }
    assert parse_media_url("https://vimeo.com/76979871").provider == "vimeo"
    with pytest.raises(UnsupportedMediaURL):
        parse_media_url("https://youtu.be/Zx8cV2bN4mQ")
