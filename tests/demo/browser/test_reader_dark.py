"""The reader's side in dark mode: the boxes follow the reader's system, every
text keeps its contrast (axe) before and after reveal, in English and Arabic."""

from tests.browser.chromium import assert_accessible_before_and_after_reveal
from tests.paths import SCREENSHOTS


UNDER_FIRE = "Mustapha Qanti under fire"
FRONT_LINE = "Fighters on the front line, 12 October"


def item(page, heading):
    return page.locator("section.evidence", has=page.locator("h3", has_text=heading))


def background(locator):
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def test_dark_mode_is_dark_and_accessible(open_reader):
    reader = open_reader(color_scheme="dark")
    page = reader.page
    camp = item(page, "Training camp near Hawar Kilis")
    assert background(camp) == "rgb(31, 32, 29)"  # --evidence-surface, dark
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    camp.screenshot(path=SCREENSHOTS / "reader-dark.png")
    assert_accessible_before_and_after_reveal(
        reader, item(page, UNDER_FIRE), item(page, FRONT_LINE)
    )


def test_a_site_can_keep_the_light_palette(open_reader):
    reader = open_reader(color_scheme="dark")
    page = reader.page
    page.evaluate("document.documentElement.classList.add('evidence-light')")
    camp = item(page, "Training camp near Hawar Kilis")
    assert background(camp) == "rgb(244, 244, 241)"  # --evidence-surface, light


def test_dark_mode_in_arabic_is_accessible(open_reader, arabic_url):
    from axe_playwright_python.sync_playwright import Axe

    reader = open_reader(arabic_url, color_scheme="dark")
    assert reader.page.locator("html").get_attribute("dir") == "rtl"
    result = Axe().run(reader.page)
    assert result.violations_count == 0, result.generate_report()
