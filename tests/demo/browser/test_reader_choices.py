"""The reader's choices dialog on the demo article, in a real browser: opened
from the article warning, named, free of accessibility violations in English
and Arabic, light and dark, and laid out right to left in Arabic."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.paths import SCREENSHOTS


UNDER_FIRE = "Mustapha Qanti under fire"  # Telegram, disturbing (distress): covered


def open_choices(page):
    page.locator("aside.evidence-article-warning [data-evidence-open-choices]").click()
    dialog = page.locator("dialog[data-evidence-choices]")
    assert dialog.is_visible()
    return dialog


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_choices_are_accessible_in_english(open_reader, scheme):
    reader = open_reader(color_scheme=scheme)
    page = reader.page
    dialog = open_choices(page)
    assert page.get_by_role("dialog", name="What you see").is_visible()
    # One group per warning category the package has, and the players.
    assert dialog.get_by_role("group").count() == 6
    dialog.get_by_role("group", name="Distress", exact=True).get_by_role(
        "radio", name="Show without asking"
    ).check()
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    page.keyboard.press("Escape")
    section = page.locator(
        "section.evidence", has=page.locator("h3", has_text=UNDER_FIRE)
    )
    assert section.locator("[data-evidence-cover]").is_hidden()  # distress: shown
    assert reader.csp_violations() == []


def test_the_choices_in_arabic_dark_read_right_to_left(open_reader, arabic_url):
    reader = open_reader(url=arabic_url, color_scheme="dark")
    page = reader.page
    dialog = open_choices(page)
    assert dialog.evaluate("el => getComputedStyle(el).direction") == "rtl"
    title = dialog.locator("h2")
    assert title.inner_text() == "ما تراه"
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialog.screenshot(path=SCREENSHOTS / "reader-choices-ar-dark.png")
