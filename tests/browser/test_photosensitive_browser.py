"""In Chromium: a reader's standing choice to see violent items uncovers them,
but never flashing lights, across visits; each can still be shown on its own."""

import pytest


@pytest.fixture
def flashing_url(live_server, migrated_database):
    from tests.factories import evidence_block, make_article
    from tests.test_photosensitive import flashing_and_violent

    flashing, violent = flashing_and_violent()
    article = make_article(
        [evidence_block(flashing), evidence_block(violent)], title="Strikes"
    )
    return live_server.url + article.url


def covered(page, title):
    section = page.locator("section.evidence", has=page.locator("h3", has_text=title))
    return section.locator("[data-evidence-cover]").is_visible()


def test_the_standing_choice_never_uncovers_flashing_lights(open_reader, flashing_url):
    reader = open_reader(flashing_url)
    page = reader.page
    assert covered(page, "Strikes at night") and covered(page, "Under fire")
    page.locator("aside [data-evidence-open-choices]").click()
    dialog = page.get_by_role("dialog", name="What you see")
    dialog.get_by_role("group", name="Violence").get_by_role(
        "radio", name="Show without asking"
    ).check()
    page.keyboard.press("Escape")
    assert not covered(page, "Under fire")
    assert covered(page, "Strikes at night")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not covered(page, "Under fire") and covered(page, "Strikes at night")
    # Shown on its own, it is the reader's decision for that one item.
    flashing = page.locator(
        "section.evidence", has=page.locator("h3", has_text="Strikes at night")
    )
    flashing.get_by_role("button", name="Show this item").click()
    assert not covered(page, "Strikes at night")
    assert page.locator("iframe[autoplay], video[autoplay]").count() == 0
    assert reader.third_party() == []
