"""Our own video in Chromium: its safe description is read above it, with or
without the script, and the video keeps a usable size in its box."""

import pytest

from tests.paths import SCREENSHOTS


@pytest.fixture
def video_url(live_server, migrated_database):
    from tests.factories import evidence_block, make_article
    from tests.test_own_video import own_video

    evidence = own_video(
        title="Convoy at the checkpoint",
        description="Trucks carrying armed men pass a checkpoint at dusk; no one is hurt.",
    )
    article = make_article([evidence_block(evidence, heading="The convoy")])
    return live_server.url + article.url


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_the_description_comes_before_the_video_and_names_it(
    open_reader, video_url, script
):
    page = open_reader(video_url, java_script_enabled=script).page
    section = page.locator("section.evidence")
    description = section.locator(".evidence-media__description")
    video = section.locator("video")
    assert description.is_visible() and video.is_visible()
    assert description.inner_text().startswith("Trucks carrying armed men")
    above, below = description.bounding_box(), video.bounding_box()
    assert above["y"] + above["height"] <= below["y"] + 1  # read first, never covered
    assert below["height"] > 100  # the video keeps most of its box
    assert video.get_attribute("aria-describedby") == description.get_attribute("id")
    assert video.get_attribute("aria-label") == "The convoy"
    if script:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.locator(".evidence-media").screenshot(
            path=SCREENSHOTS / "reader-own-video.png"
        )
