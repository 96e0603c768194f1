"""The reader's side in a real browser: consent first, keyboard first, nothing moves."""

import pytest

from tests.browser.chromium import (
    assert_accessible_before_and_after_reveal,
    hover_and_focus,
    tab_to,
)
from tests.paths import SCREENSHOTS


FRONT_LINE = "Fighters on the front line, 12 October"  # YouTube, no warning, our poster
UNDER_FIRE = "Mustapha Qanti under fire"  # Telegram, disturbing
BODIES = "Bodies of soldiers near Marjan"  # X, graphic, link only


def item(page, heading):
    return page.locator("section.evidence", has=page.locator("h3", has_text=heading))


def active(page):
    return page.evaluate(
        "[document.activeElement.tagName, document.activeElement.textContent.trim(),"
        " document.activeElement.getAttribute('data-evidence-action')]"
    )


def hover_and_focus_everything(page):
    # Every folded part open first ("How we know", "Open in a map"), so that
    # the links inside are hovered and focused too.
    page.evaluate(
        "document.querySelectorAll('.evidence details').forEach(d => d.open = true)"
    )
    hover_and_focus(
        page, ".evidence-media, .evidence a, .evidence button:visible, .claim a"
    )


def test_nothing_from_another_site_loads_before_the_reader_asks(open_reader):
    reader = open_reader()
    hover_and_focus_everything(reader.page)
    assert reader.third_party() == []
    assert reader.page.locator("iframe").count() == 0

    item(reader.page, FRONT_LINE).get_by_role(
        "button", name="Load from YouTube"
    ).click()
    reader.page.wait_for_timeout(500)
    origins = {url.split("/")[2] for url in reader.third_party()}
    assert origins == {"www.youtube-nocookie.com"}  # that item's provider, nothing else
    assert reader.page.locator("iframe").count() == 1
    assert reader.csp_violations() == []


def test_every_player_is_sandboxed_titled_and_does_not_autoplay(open_reader):
    reader = open_reader()
    for section in (item(reader.page, FRONT_LINE), item(reader.page, UNDER_FIRE)):
        if section.get_by_role("button", name="Show this item").count():
            section.get_by_role("button", name="Show this item").click()
        section.locator("[data-evidence-action=load]").click()
    for frame in reader.page.locator("iframe").all():
        sandbox = frame.get_attribute("sandbox").split()
        assert "allow-top-navigation" not in sandbox
        assert (
            frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
        )
        assert frame.get_attribute("title")
        assert "autoplay" not in (
            frame.get_attribute("allow") + frame.get_attribute("src")
        )


def test_reveal_load_and_hide_by_keyboard_alone(open_reader):
    reader = open_reader()
    page = reader.page
    show = item(page, UNDER_FIRE).get_by_role("button", name="Show this item")
    tab_to(page, show, what="the Show button")
    page.keyboard.press("Enter")
    assert active(page)[2] == "load"  # focus moves to the next decision
    assert item(page, UNDER_FIRE).locator("[data-evidence-cover]").is_hidden()

    page.keyboard.press("Enter")
    assert active(page)[0] == "IFRAME"  # the player the reader asked for
    # "Hide again" sits just before the player; the player's own document may
    # hold focus for a press or two first, as a real player's controls do.
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if active(page)[2] == "hide":
            break
    assert active(page)[2] == "hide"
    page.keyboard.press("Enter")
    assert active(page)[2] == "show"  # back where the reader started
    assert item(page, UNDER_FIRE).locator("iframe").count() == 0
    assert item(page, UNDER_FIRE).locator("[data-evidence-cover]").is_visible()


def place(locator):
    """Where an element sits in the document (not the viewport, which scrolls)."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }"
    )


def test_nothing_moves_on_load_reveal_play_and_hide(open_reader):
    reader = open_reader(stand_in_players=True)
    page = reader.page
    under_fire = item(page, UNDER_FIRE)
    below = page.locator("section.evidence").last
    box, after = place(under_fire.locator(".evidence-media")), place(below)
    under_fire.get_by_role("button", name="Show this item").click()
    under_fire.get_by_role("button", name="Load from Telegram").click()
    item(page, FRONT_LINE).get_by_role("button", name="Load from YouTube").click()
    player = page.frame_locator(f"#{item(page, FRONT_LINE).get_attribute('id')} iframe")
    player.get_by_role("button", name="Play").click()  # the stand-in starts "playing"
    assert "playing" in player.locator("body").inner_text()
    page.wait_for_timeout(300)
    assert place(under_fire.locator(".evidence-media")) == box
    under_fire.get_by_role("button", name="Hide again").click()
    page.wait_for_timeout(300)
    assert reader.layout_shift() == 0, reader.shifted()
    assert place(under_fire.locator(".evidence-media")) == box
    assert place(below) == after  # nothing after the items moved either


# The article's language comes from its locale (its /ar/ address), not from the
# browser: the Arabic article is checked in tests/demo/browser/test_rtl.py.
@pytest.mark.parametrize("locale", ["en"])
def test_no_accessibility_violations_before_and_after_reveal(open_reader, locale):
    reader = open_reader(locale=locale, extra_http_headers={"Accept-Language": locale})
    assert reader.page.locator("html").get_attribute("dir") == (
        "rtl" if locale == "ar" else "ltr"
    )
    assert_accessible_before_and_after_reveal(
        reader, item(reader.page, UNDER_FIRE), item(reader.page, FRONT_LINE)
    )


def test_hidden_media_is_out_of_the_accessibility_tree(open_reader):
    page = open_reader().page
    under_fire = item(page, UNDER_FIRE)
    assert under_fire.get_by_role("button", name="Load from Telegram").count() == 0
    under_fire.get_by_role("button", name="Show this item").click()
    assert under_fire.get_by_role("button", name="Load from Telegram").count() == 1


def test_link_only_items_are_never_embedded(open_reader):
    page = open_reader().page
    bodies = item(page, BODIES)
    assert bodies.locator("button").count() == 0
    assert bodies.locator("template").count() == 0
    assert "A fighter walks among the bodies" in bodies.inner_text()
    assert (
        bodies.get_by_role("link", name="View the original on X (Twitter)").count() == 1
    )


def test_without_javascript_warnings_and_links_work_and_nothing_loads(open_reader):
    reader = open_reader(java_script_enabled=False)
    page = reader.page
    hover_and_focus_everything(page)
    assert reader.third_party() == []
    assert page.get_by_role("button").count() == 0  # no control that could not work
    assert "Warning: graphic content" in item(page, BODIES).inner_text()
    assert item(page, UNDER_FIRE).locator(".evidence-media__description").is_visible()
    assert page.get_by_role("link", name="View the original on YouTube").count() == 1
    assert page.locator(".evidence-credits").first.is_visible()


def test_the_remembered_choice_holds_across_visits_and_can_be_undone(
    open_reader, article_url
):
    reader = open_reader()
    page = reader.page
    page.get_by_role("button", name="Choose what you see").click()
    dialog = page.get_by_role("dialog", name="What you see")
    dialog.get_by_role("group", name="Distress", exact=True).get_by_role(
        "radio", name="Show without asking"
    ).check()
    page.keyboard.press("Escape")
    assert item(page, UNDER_FIRE).locator("[data-evidence-cover]").is_hidden()

    page.reload()
    assert item(page, UNDER_FIRE).locator("[data-evidence-cover]").is_hidden()
    assert reader.third_party() == []  # showing warned items still loads no player
    page.get_by_role("button", name="Choose what you see").click()
    dialog.get_by_role("button", name="Back to the defaults").click()
    dialog.get_by_role("button", name="Done").click()
    page.reload()
    assert item(page, UNDER_FIRE).locator("[data-evidence-cover]").is_visible()


def test_a_full_interstitial_covers_the_body_not_the_headline(open_reader, article_url):
    from newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    article.content_warning_style = "interstitial"
    article.save_revision().publish()

    page = open_reader().page
    body = page.locator("#article-body")
    assert page.locator("h1").is_visible()
    assert body.evaluate("el => getComputedStyle(el).visibility") == "hidden"
    page.get_by_role("button", name="Continue to the article").click()
    assert body.evaluate("el => getComputedStyle(el).visibility") == "visible"
    assert page.get_by_role("button", name="Continue to the article").count() == 0
    assert body.evaluate("el => el === document.activeElement")

    no_js = open_reader(java_script_enabled=False).page
    assert (
        no_js.locator("#article-body").evaluate("el => getComputedStyle(el).visibility")
        == "visible"
    )


@pytest.mark.screenshots
def test_screenshots_for_the_docs(open_reader):
    page = open_reader().page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "reader-article.png", full_page=False)
    item(page, UNDER_FIRE).screenshot(path=SCREENSHOTS / "reader-covered-item.png")
    item(page, UNDER_FIRE).get_by_role("button", name="Show this item").click()
    item(page, UNDER_FIRE).screenshot(path=SCREENSHOTS / "reader-revealed-item.png")
    item(page, BODIES).screenshot(path=SCREENSHOTS / "reader-link-only-item.png")
    assert all(
        (SCREENSHOTS / name).stat().st_size > 1000
        for name in (
            "reader-article.png",
            "reader-covered-item.png",
            "reader-revealed-item.png",
        )
    )


def test_from_a_phone_to_a_wide_screen_nothing_overflows_and_the_card_adapts(
    open_reader,
):
    page = open_reader().page
    camp = item(page, "Training camp near Hawar Kilis")
    figure, facts = camp.locator(".evidence__figure"), camp.locator(".evidence__facts")
    for width in (360, 768, 1000, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"horizontal overflow at {width}px"
        side_by_side = place(facts)[1] < place(figure)[1] + place(figure)[3]
        # The card's own width decides: media beside the facts from 42rem.
        wide = camp.evaluate("el => el.getBoundingClientRect().width") >= 42 * 16
        assert side_by_side == wide, width
    assert page.evaluate("innerWidth") == 1400 and side_by_side
