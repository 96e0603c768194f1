"""The line under each badge and the legend it links to, in a real browser:
reached by keyboard, and the reader lands on the legend."""

from tests.paths import SCREENSHOTS


CAMP = "Training camp near Hawar Kilis"


def test_the_line_under_a_badge_leads_to_the_legend_by_keyboard(open_reader):
    reader = open_reader()
    page = reader.page
    camp = page.locator("section.evidence", has=page.locator("h3", has_text=CAMP))
    line = camp.locator(".evidence-badge__summary")
    assert line.inner_text().startswith(
        "Confirmed: place and who appears; not established: date; not checked: "
        "authenticity"
    )
    link = line.get_by_role("link", name="What the badges mean")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#evidence-legend'")
    legend = page.locator("#evidence-legend")
    # Focus follows the reader to the legend, so the next Tab goes on from there.
    assert page.evaluate("document.activeElement.id") == "evidence-legend"
    assert legend.is_visible()
    assert legend.get_by_role("heading", name="What our badges mean").is_visible()
    assert legend.locator("dt").count() == 5
    assert reader.third_party() == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    camp.locator(".evidence-badge").screenshot(path=SCREENSHOTS / "reader-badge.png")
    legend.screenshot(path=SCREENSHOTS / "reader-badge-legend.png")
    assert (SCREENSHOTS / "reader-badge-legend.png").stat().st_size > 1000
