"""In Chromium: the reader's choices per warning category (show, warn, hide) and
for players from other sites, kept in this browser only, reachable from every
warned item and the article warning, undoable, by keyboard, moving nothing."""

import json

import pytest

from tests.browser.chromium import hover_and_focus, tab_to


KEY = "wagtail-evidence:choices"

VIOLENT = "Shelling of the market"
DISTRESS = "A mother searches the rubble"
BOTH = "Wounded carried from the market"
FLASHING = "Strikes at night"
UNSORTED = "A statement read under duress"
PLAYER = "Fighters on the front line"


@pytest.fixture
def choices_url(live_server, migrated_database):
    from tests.factories import evidence_block, make_article, make_evidence

    def warned(title, number, categories):
        return make_evidence(
            title=title,
            media_url=f"https://t.me/demo_observers/{number}",
            description=f"The safe description of: {title}.",
            warning_level="disturbing",
            warning_categories=categories,
        )

    items = [
        warned(VIOLENT, 2701, ["violence"]),
        warned(DISTRESS, 2702, ["distress"]),
        warned(BOTH, 2703, ["violence", "distress"]),
        warned(FLASHING, 2704, ["flashing"]),
        warned(UNSORTED, 2705, []),
        make_evidence(
            title=PLAYER, media_url="https://www.youtube.com/watch?v=Zx8cV2bN4mQ"
        ),
    ]
    article = make_article([evidence_block(item) for item in items], title="Market")
    return live_server.url + article.url


def item(page, title):
    return page.locator("section.evidence", has=page.locator("h3", has_text=title))


def covered(page, title):
    return item(page, title).locator("[data-evidence-cover]").is_visible()


def hidden_by_choice(page, title):
    return item(page, title).get_by_text("Hidden, as you chose").is_visible()


def state(page, title):
    if not covered(page, title):
        return "show"
    return "hide" if hidden_by_choice(page, title) else "warn"


def states(page):
    return {
        title: state(page, title)
        for title in (VIOLENT, DISTRESS, BOTH, FLASHING, UNSORTED)
    }


def dialog(page):
    return page.get_by_role("dialog", name="What you see")


def choose(page, category, level):
    dialog(page).get_by_role("group", name=category, exact=True).get_by_role(
        "radio", name=level
    ).check()


def open_from(page, opener):
    opener.focus()
    page.keyboard.press("Enter")
    assert dialog(page).is_visible()


def close_with_escape(page):
    page.keyboard.press("Escape")
    assert not dialog(page).is_visible()


def place(locator):
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }"
    )


def test_each_category_follows_its_choice_and_the_strictest_wins(
    open_reader, choices_url
):
    reader = open_reader(choices_url)
    page = reader.page
    assert set(states(page).values()) == {"warn"}  # the default: warn first
    open_from(
        page,
        page.locator("aside.evidence-article-warning [data-evidence-open-choices]"),
    )
    # Flashing lights cannot be shown without asking: the choice is not offered.
    flashing = dialog(page).get_by_role("group", name="Flashing or strobing lights")
    assert flashing.get_by_role("radio").count() == 2
    assert flashing.get_by_role("radio", name="Show without asking").count() == 0

    choose(page, "Distress", "Show without asking")
    choose(page, "Violence", "Keep hidden")
    choose(page, "Other distressing content", "Show without asking")
    status = dialog(page).get_by_role("status")
    assert status.inner_text().startswith("Saved in this browser")
    close_with_escape(page)
    expected = {
        VIOLENT: "hide",
        DISTRESS: "show",
        BOTH: "hide",  # violence and distress: the strictest choice wins
        FLASHING: "warn",
        UNSORTED: "show",  # a warning with no category counts as "other"
    }
    assert states(page) == expected
    # Kept in this browser only: in localStorage, never in a cookie.
    assert json.loads(page.evaluate(f"localStorage.getItem('{KEY}')")) == {
        "distress": "show",
        "violence": "hide",
        "other": "show",
    }
    assert reader.context.cookies() == []
    page.reload()
    page.wait_for_load_state("networkidle")
    assert states(page) == expected
    # Applied as the page opens, moving nothing.
    assert reader.layout_shift() == 0, reader.shifted()
    # Shown without asking is still not loaded: hovering and focusing every
    # control and link fetches nothing from another site.
    hover_and_focus(page, ".evidence button:visible, .evidence a")
    assert reader.third_party() == []


def test_a_hidden_item_keeps_its_place_and_offers_only_the_choices(
    open_reader, choices_url
):
    reader = open_reader(choices_url)
    page = reader.page
    violent = item(page, VIOLENT)
    boxes = {title: place(item(page, title)) for title in (VIOLENT, PLAYER)}
    open_from(page, violent.get_by_role("button", name="Your choices"))
    choose(page, "Violence", "Keep hidden")
    close_with_escape(page)
    assert hidden_by_choice(page, VIOLENT)
    # Its description and "Show this item" give way to the note, in place.
    assert not violent.get_by_text("The safe description of").is_visible()
    assert violent.get_by_role("button", name="Show this item").count() == 0
    assert violent.get_by_role("button", name="Your choices").is_visible()
    # Focus is back on the button that opened the dialog.
    assert violent.get_by_role("button", name="Your choices").evaluate(
        "el => el === document.activeElement"
    )
    assert {title: place(item(page, title)) for title in boxes} == boxes
    assert reader.layout_shift() == 0, reader.shifted()


def test_every_warned_item_and_every_player_reaches_the_choices(
    open_reader, choices_url
):
    page = open_reader(choices_url).page
    for title in (VIOLENT, DISTRESS, BOTH, FLASHING, UNSORTED, PLAYER):
        opener = item(page, title).get_by_role("button", name="Your choices")
        assert opener.is_visible(), title
        open_from(page, opener)
        # A modal dialog: focus is inside it, the page behind is inert.
        assert page.evaluate(
            "document.querySelector('dialog[open]').contains(document.activeElement)"
        )
        close_with_escape(page)
        assert opener.evaluate("el => el === document.activeElement"), title


def test_never_loading_players_from_other_sites_links_out_instead(
    open_reader, choices_url
):
    reader = open_reader(choices_url, stand_in_players=True)
    page = reader.page
    player = item(page, PLAYER)
    player.get_by_role("button", name="Load from YouTube").click()
    assert player.locator("iframe").count() == 1
    box = place(player.locator(".evidence-media"))

    open_from(
        page,
        page.locator("aside.evidence-article-warning [data-evidence-open-choices]"),
    )
    choose(
        page, "Players from other sites", "Never load them: link to the site instead"
    )
    close_with_escape(page)
    # The player the reader had loaded is unloaded; no button can load one.
    assert player.locator("iframe").count() == 0
    assert page.get_by_role("button", name="Load from YouTube").count() == 0
    assert player.get_by_text("the link below opens it on YouTube").is_visible()
    assert player.get_by_role("link", name="YouTube").count() >= 1
    assert place(player.locator(".evidence-media")) == box

    # A warned item shown afterwards offers no player either.
    distress = item(page, DISTRESS)
    distress.get_by_role("button", name="Show this item").click()
    assert distress.get_by_role("button", name="Load from Telegram").count() == 0
    assert distress.get_by_text("the link below opens it on Telegram").is_visible()

    # On the next visit, hovering and focusing everything loads nothing.
    before = len(reader.third_party())  # the player the reader loaded above
    page.reload()
    page.wait_for_load_state("networkidle")
    hover_and_focus(page, ".evidence button:visible, .evidence a")
    assert page.get_by_role("button", name="Load from YouTube").count() == 0
    assert len(reader.third_party()) == before == 1
    assert reader.layout_shift() == 0, reader.shifted()


def test_back_to_the_defaults_undoes_every_choice(open_reader, choices_url):
    reader = open_reader(choices_url)
    page = reader.page
    open_from(page, item(page, DISTRESS).get_by_role("button", name="Your choices"))
    choose(page, "Distress", "Show without asking")
    choose(page, "Violence", "Keep hidden")
    choose(
        page, "Players from other sites", "Never load them: link to the site instead"
    )
    assert states(page)[DISTRESS] == "show"
    dialog(page).get_by_role("button", name="Back to the defaults").click()
    assert (
        dialog(page)
        .get_by_role("status")
        .inner_text()
        .startswith("Back to the defaults")
    )
    assert dialog(page).get_by_role("radio", name="Warn me first").count() == 5
    for radio in dialog(page).get_by_role("radio", name="Warn me first").all():
        assert radio.is_checked()
    assert dialog(page).get_by_role("radio", name="Ask me each time").is_checked()
    dialog(page).get_by_role("button", name="Done").click()
    assert set(states(page).values()) == {"warn"}
    assert (
        item(page, PLAYER).get_by_role("button", name="Load from YouTube").is_visible()
    )
    page.reload()
    assert set(states(page).values()) == {"warn"}


def test_the_earlier_single_switch_carries_over(open_reader, choices_url):
    """A reader who chose "show warned items without asking" before keeps
    that choice, for every category but flashing lights."""
    reader = open_reader(choices_url)
    page = reader.page
    page.evaluate("localStorage.setItem('wagtail-evidence:warned-items', 'show')")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert states(page) == {
        VIOLENT: "show",
        DISTRESS: "show",
        BOTH: "show",
        FLASHING: "warn",
        UNSORTED: "show",
    }
    open_from(page, item(page, FLASHING).get_by_role("button", name="Your choices"))
    assert (
        dialog(page)
        .get_by_role("group", name="Violence")
        .get_by_role("radio", name="Show without asking")
        .is_checked()
    )
    assert (
        dialog(page)
        .get_by_role("group", name="Flashing or strobing lights")
        .get_by_role("radio", name="Warn me first")
        .is_checked()
    )


def test_the_choices_are_usable_by_keyboard_alone(open_reader, choices_url):
    page = open_reader(choices_url).page
    opener = item(page, VIOLENT).get_by_role("button", name="Your choices")
    tab_to(page, opener, what="the choices")
    page.keyboard.press("Enter")
    # Tab to the violence group, then the arrow keys move within it.
    violence = dialog(page).get_by_role("group", name="Violence")
    for _ in range(20):
        if violence.evaluate("el => el.contains(document.activeElement)"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the first group cannot be reached with Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert violence.get_by_role("radio", name="Keep hidden").is_checked()
    page.keyboard.press("Escape")
    assert hidden_by_choice(page, VIOLENT)
