"""Staff wellbeing in a real browser: a warned record's poster is blurred and in
grayscale in the admin until the editor shows it, with the mouse or the
keyboard, and blurred again on request; nothing plays by itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.chromium import admin_tab
from tests.conftest import PASSWORD
from tests.factories import make_evidence, make_poster


SNIPPETS = "wagtailsnippets_wagtail_evidence_evidence"
COVER = "[data-evidence-warned-media]"


@pytest.fixture
def record(migrated_database, users):
    from django.core.cache import cache

    # Wagtail caches renditions by image id; ids come round again in another
    # test, whose files were in another media folder.
    cache.clear()
    return make_evidence(
        title="Bodies on a road",
        poster=make_poster("Still of the road"),
        warning_level="graphic",
        warning_categories=["dead_or_injured"],
        description="Men lie on a road; the faces cannot be seen.",
    )


@pytest.fixture
def admin(browser, live_server):
    """An editor logged into the admin, in a tab of their own."""
    contexts = []

    def log_in(username="editor", **context_options):
        context_options.setdefault("viewport", {"width": 1280, "height": 1000})
        page = admin_tab(
            browser, live_server.url, username, PASSWORD, **context_options
        )
        contexts.append(page.context)
        return page

    yield log_in
    for context in contexts:
        context.close()


def open_admin(page, live_server, url):
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")


def filter_of(image):
    return image.evaluate("element => getComputedStyle(element).filter")


def settles(image, blurred):
    """Wait out the filter's transition; then the image is blurred, or not."""
    image.page.wait_for_function(
        "([element, blurred]) => getComputedStyle(element).filter.includes('blur(')"
        " === blurred && element.getAnimations().length === 0",
        arg=[image.element_handle(), blurred],
    )
    return filter_of(image)


@pytest.mark.parametrize("view", ["edit", "inspect"])
def test_the_poster_is_blurred_until_the_editor_shows_it(
    admin, live_server, record, view
):
    page = admin()
    open_admin(page, live_server, reverse(f"{SNIPPETS}:{view}", args=[record.pk]))
    cover = page.locator(COVER)
    image = cover.locator("img")
    expect(image).to_be_visible()
    blurred = filter_of(image)
    assert "blur(" in blurred and "grayscale(1)" in blurred

    show = cover.get_by_role("button", name="Show graphic media")
    show.click()
    expect(cover.get_by_role("button", name="Hide graphic media")).to_be_visible()
    assert settles(image, blurred=False) == "none"

    cover.get_by_role("button", name="Hide graphic media").click()
    expect(show).to_be_visible()
    assert settles(image, blurred=True) == blurred
    assert page.locator("video[autoplay], audio[autoplay], [autoplay]").count() == 0


def test_the_keyboard_shows_and_hides_it(admin, live_server, record):
    page = admin()
    open_admin(page, live_server, reverse(f"{SNIPPETS}:edit", args=[record.pk]))
    cover = page.locator(COVER)
    image = cover.locator("img")
    toggle = cover.locator("button[data-evidence-warned-media-toggle]")

    # Reached with Tab from the element before it, as a keyboard user would.
    cover.locator(".evidence-warned-media__media").evaluate(
        "element => { element.tabIndex = -1; element.focus(); }"
    )
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    assert toggle.evaluate("element => element.matches(':focus-visible')")
    assert toggle.evaluate("element => getComputedStyle(element).outlineStyle") != (
        "none"
    )

    page.keyboard.press("Enter")
    expect(toggle).to_have_accessible_name("Hide graphic media")
    assert settles(image, blurred=False) == "none"
    page.keyboard.press("Space")
    expect(toggle).to_have_accessible_name("Show graphic media")
    assert "blur(" in settles(image, blurred=True)
    # A button of its own: pressing it neither saved nor left the form.
    assert page.url.endswith(reverse(f"{SNIPPETS}:edit", args=[record.pk]))


def test_reduced_motion_shows_it_without_a_transition(admin, live_server, record):
    url = reverse(f"{SNIPPETS}:edit", args=[record.pk])
    durations = {}
    for motion in ("no-preference", "reduce"):
        page = admin(reduced_motion=motion)
        open_admin(page, live_server, url)
        durations[motion] = (
            page.locator(COVER)
            .locator("img")
            .evaluate("element => getComputedStyle(element).transitionDuration")
        )
    assert durations == {"no-preference": "0.2s", "reduce": "0s"}


def test_the_cover_passes_axe(admin, live_server, record):
    from axe_playwright_python.sync_playwright import Axe

    page = admin()
    open_admin(page, live_server, reverse(f"{SNIPPETS}:edit", args=[record.pk]))
    axe = Axe()
    before = axe.run(page, context=COVER)
    assert before.violations_count == 0, before.generate_report()
    page.locator(COVER).get_by_role("button").click()
    after = axe.run(page, context=COVER)
    assert after.violations_count == 0, after.generate_report()


def test_an_editor_who_chose_to_see_warned_media_sees_it(
    admin, live_server, record, users
):
    from wagtail_evidence.models import AdminPreferences

    AdminPreferences.objects.create(user=users["editor"], warned_media="show")
    page = admin()
    open_admin(page, live_server, reverse(f"{SNIPPETS}:edit", args=[record.pk]))
    cover = page.locator(COVER)
    assert settles(cover.locator("img"), blurred=False) == "none"
    expect(cover.get_by_role("button", name="Hide graphic media")).to_be_visible()


@pytest.fixture
def quiet_record(record):
    return make_evidence(title="A quiet street", poster=make_poster("Quiet street"))


def thumbnail(page, title):
    """A thumbnail of Wagtail's image listing or chooser, by its image's title."""
    return page.locator("ul.listing.images > li", has_text=title)


def test_wagtails_image_listing_blurs_the_warned_poster_only(
    admin, live_server, record, quiet_record
):
    page = admin()
    open_admin(page, live_server, reverse("wagtailimages:index"))
    warned_one, quiet_one = (
        thumbnail(page, "Still of the road"),
        thumbnail(page, "Quiet street"),
    )
    expect(warned_one.get_by_role("button", name="Show graphic media")).to_be_visible()
    assert "blur(" in settles(warned_one.locator("img"), blurred=True)
    assert settles(quiet_one.locator("img"), blurred=False) == "none"
    assert quiet_one.get_by_role("button").count() == 0

    warned_one.get_by_role("button", name="Show graphic media").click()
    assert settles(warned_one.locator("img"), blurred=False) == "none"
    # The button is beside the image's link, not in it: the page did not change.
    assert page.url.endswith(reverse("wagtailimages:index"))


def test_the_image_chooser_blurs_the_warned_poster(
    admin, live_server, record, quiet_record
):
    page = admin()
    open_admin(page, live_server, reverse(f"{SNIPPETS}:edit", args=[quiet_record.pk]))
    chooser = page.locator("#id_poster-chooser")
    chooser.get_by_role("button", name="Actions").click()
    chooser.get_by_role("button", name="Choose another poster image").click()
    dialog = page.get_by_role("dialog")
    warned_one = thumbnail(dialog, "Still of the road")
    show = warned_one.get_by_role("button", name="Show graphic media")
    expect(show).to_be_visible()
    assert "blur(" in settles(warned_one.locator("img"), blurred=True)
    assert settles(thumbnail(dialog, "Quiet street").locator("img"), False) == "none"

    show.focus()
    page.keyboard.press("Enter")
    assert settles(warned_one.locator("img"), blurred=False) == "none"
    expect(dialog).to_be_visible()  # showing it did not choose it


def test_the_images_own_edit_page_blurs_a_warned_poster_only(
    admin, live_server, record, quiet_record
):
    page = admin()
    open_admin(
        page, live_server, reverse("wagtailimages:edit", args=[record.poster_id])
    )
    show = page.get_by_role("button", name="Show graphic media")
    expect(show).to_be_visible()
    preview = page.locator(".focal-point-chooser > img")
    assert "blur(" in settles(preview, blurred=True)
    show.click()
    assert settles(preview, blurred=False) == "none"
    expect(page.get_by_role("button", name="Hide graphic media")).to_be_visible()

    open_admin(
        page, live_server, reverse("wagtailimages:edit", args=[quiet_record.poster_id])
    )
    assert settles(page.locator(".focal-point-chooser > img"), blurred=False) == "none"
    assert page.get_by_role("button", name="Show graphic media").count() == 0


def test_an_articles_own_image_chooser_blurs_a_warned_poster_until_another_is_chosen(
    admin, live_server, record, quiet_record
):
    from tests.factories import make_article

    article = make_article([], feed_image=record.poster)
    page = admin()
    open_admin(page, live_server, reverse("wagtailadmin_pages:edit", args=[article.pk]))
    page.get_by_role("tab", name="Promote").click()
    chooser = page.locator("#id_feed_image-chooser")
    chosen = chooser.locator("img.chooser__image")
    expect(chooser.get_by_role("button", name="Show graphic media")).to_be_visible()
    assert "blur(" in settles(chosen, blurred=True)

    chooser.get_by_role("button", name="Actions").click()
    chooser.get_by_role("button", name="Change image").click()
    dialog = page.get_by_role("dialog")
    thumbnail(dialog, "Quiet street").get_by_role("link").first.click()
    expect(dialog).to_be_hidden()
    expect(chooser).to_contain_text("Quiet street")
    expect(chooser.get_by_role("button", name="Show graphic media")).to_have_count(0)
    assert settles(chosen, blurred=False) == "none"
