"""Where an item was filmed, in a real browser: the locator map is drawn from
the page itself, the map links load nothing until clicked, and withheld
coordinates are nowhere in what the browser received."""

from urllib.parse import urljoin

from tests.paths import SCREENSHOTS


CONVOY = "Convoy in Horadiz"  # coordinates shown, vicinity
AMMUNITION = "Mustapha Qanti finds abandoned ammunition"  # coordinates withheld


def where(page, heading):
    section = page.locator("section.evidence", has=page.locator("h3", has_text=heading))
    return section.locator(
        ".evidence-facet", has=page.locator("dt", has_text="Location")
    )


def test_the_map_is_drawn_inline_and_its_links_load_nothing_until_clicked(open_reader):
    reader = open_reader()
    page = reader.page
    convoy = where(page, CONVOY)
    svg = convoy.locator("svg.evidence-map")
    assert svg.is_visible()
    assert svg.get_attribute("role") == "img"
    box = svg.bounding_box()
    assert box["width"] > 100 and box["height"] > 50  # laid out, not collapsed
    assert convoy.locator(".evidence-location__coordinates").inner_text() == (
        "39.448° N, 47.336° E"
    )
    # Open "Open in a map" by keyboard, go through its links: nothing is fetched.
    summary = convoy.locator("summary", has_text="Open in a map")
    summary.focus()
    page.keyboard.press("Enter")
    links = convoy.locator(".evidence-location__map-links a")
    assert links.count() == 3
    for index in range(links.count()):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == (
            links.nth(index).inner_text()
        )
        links.nth(index).hover()
    page.wait_for_timeout(300)
    assert reader.third_party() == []
    assert reader.csp_violations() == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    convoy.screenshot(path=SCREENSHOTS / "reader-location.png")
    assert (SCREENSHOTS / "reader-location.png").stat().st_size > 1000


def test_withheld_coordinates_never_reach_the_browser(open_reader):
    reader = open_reader()
    page = reader.page
    ammunition = where(page, AMMUNITION)
    assert "Coordinates withheld to protect people on the ground." in (
        ammunition.inner_text()
    )
    assert ammunition.locator("svg").count() == 0
    # The whole document the browser got, JSON-LD included, never holds them.
    html = page.content()
    # As stored, and as a leak through the reader's rounding would print them.
    for digits in ("39.461", "47.305", "39.46", "47.31"):
        assert digits not in html
    # Nor does what the browser can ask of the API about the same article.
    from newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    api = page.request.get(urljoin(page.url, f"/api/v2/pages/{article.pk}/"))
    assert api.ok and "Mustapha Qanti finds abandoned ammunition" in api.text()
    for digits in ("39.461", "47.305", "39.46", "47.31"):
        assert digits not in api.text()
