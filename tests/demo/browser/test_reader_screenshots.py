"""Pictures of the reader's side for the docs: a card on a desktop, the top of
the article on a phone, a card in dark mode, a card in Arabic and the reader's
choices. `make screenshots` writes them into docs/screenshots; other runs into
build/screenshots, which git ignores."""

import pytest

from tests.paths import SCREENSHOTS


pytestmark = pytest.mark.screenshots

CAMP = "Training camp near Hawar Kilis"


def card(page, title):
    section = page.locator("section.evidence", has=page.locator("h3", has_text=title))
    section.scroll_into_view_if_needed()
    # Posters load lazily: wait for this card's to arrive before the picture.
    section.locator("img").evaluate_all(
        "images => Promise.all(images.map(i => i.decode().catch(() => null)))"
    )
    return section


def saved(name):
    path = SCREENSHOTS / name
    assert path.stat().st_size > 5000, (
        f"{path} is too small to be a picture of the page"
    )
    return path


@pytest.fixture
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def test_a_card_on_a_desktop(open_reader, shots):
    page = open_reader().page
    page.set_viewport_size({"width": 1200, "height": 900})
    card(page, CAMP).screenshot(path=shots / "reader-card-desktop.png")
    saved("reader-card-desktop.png")


def test_the_article_on_a_phone(open_reader, shots):
    page = open_reader(device_scale_factor=2).page
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=shots / "reader-mobile-top.png")
    saved("reader-mobile-top.png")


def test_a_card_in_dark_mode(open_reader, shots):
    page = open_reader(color_scheme="dark").page
    page.set_viewport_size({"width": 1200, "height": 900})
    card(page, CAMP).screenshot(path=shots / "reader-card-dark.png")
    saved("reader-card-dark.png")


def test_a_card_in_arabic(open_reader, arabic_url, shots):
    page = open_reader(url=arabic_url).page
    page.set_viewport_size({"width": 1200, "height": 900})
    section = (
        page.locator("#evidence-1") if page.locator("#evidence-1").count() else None
    )
    section = section or page.locator("section.evidence").first
    section.scroll_into_view_if_needed()
    section.screenshot(path=shots / "reader-card-arabic.png")
    saved("reader-card-arabic.png")


def test_the_readers_choices(open_reader, shots):
    page = open_reader().page
    page.set_viewport_size({"width": 1000, "height": 1100})
    page.get_by_role("button", name="Choose what you see").click()
    dialog = page.get_by_role("dialog", name="What you see")
    dialog.get_by_role("group", name="Violence").get_by_role(
        "radio", name="Keep hidden"
    ).check()
    dialog.screenshot(path=shots / "reader-choices.png")
    page.keyboard.press("Escape")
    saved("reader-choices.png")
