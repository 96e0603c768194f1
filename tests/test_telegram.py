"""A Telegram post as readers and the API get it: the post's own embed page,
https://t.me/<channel>/<number>?embed=1, built from the channel and number
alone, only after the reader's consent."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import item, read, read_api, shown


pytestmark = pytest.mark.django_db


def player_src(soup, heading):
    """The address of the player the reader's script puts in the page."""
    section = item(soup, heading)
    template = section.find("template", attrs={"data-evidence-player": True})
    return template.find("iframe")["src"]


@pytest.mark.parametrize(
    "address",
    [
        "https://t.me/demo_observers/2501",
        "https://t.me/demo_observers/2501/",
        # The channel's web preview names the same post.
        "https://t.me/s/demo_observers/2501",
        "https://telegram.me/demo_observers/2501",
        # Tracking and other parameters never reach the player.
        "https://t.me/demo_observers/2501?single&utm_source=share",
    ],
)
def test_a_telegram_post_plays_in_its_own_embed_page(client, address):
    evidence = make_evidence(media_url=address)
    article = make_article([evidence_block(evidence, heading="The post")])

    assert player_src(read(client, article), "The post") == (
        "https://t.me/demo_observers/2501?embed=1"
    )
    media = shown(read_api(client, article), "The post")["evidence"]["media"]
    assert media["player"]["kind"] == "iframe"
    assert media["player"]["url"] == "https://t.me/demo_observers/2501?embed=1"
    assert media["player"]["origin"] == "https://t.me"
    assert media["provider"]["value"] == "telegram"
    assert media["aspect_ratio"] == "4-5"
    assert media["outbound"]["url"] == "https://t.me/demo_observers/2501"


def test_the_telegram_player_is_only_in_the_readers_template(client):
    article = make_article([evidence_block(make_evidence(), heading="The post")])
    section = item(read(client, article), "The post")
    for template in section.find_all("template"):
        template.decompose()
    assert section.find("iframe") is None
    assert "t.me/demo_observers/2501?embed=1" not in str(section)


@pytest.mark.parametrize(
    "address",
    [
        "https://t.me/c/1234567890/42",  # a private channel's post: members only
        "https://t.me/demo_observers",  # a channel, not a post
        "https://t.me/joinchat/AAAAAEkk2WdoDrB4-Q8-gg",
    ],
)
def test_a_telegram_address_that_names_no_public_post_is_refused_or_kept_as_a_link(
    client, address
):
    with pytest.raises(ValidationError) as refused:
        make_evidence(media_url=address)
    assert refused.value.error_dict["media_url"][0].code == "unsupported_media"
    assert "Telegram" in refused.value.messages[0]

    evidence = make_evidence(media_url=address, display="link")
    article = make_article([evidence_block(evidence, heading="Members only")])
    section = item(read(client, article), "Members only")
    assert section.find("iframe") is None and section.find("template") is None
    assert section.select_one(".evidence-media__outbound a")["href"] == address
    media = shown(read_api(client, article), "Members only")["evidence"]["media"]
    assert media["player"] is None and media["link_only"] is True
    assert media["outbound"]["url"] == address
