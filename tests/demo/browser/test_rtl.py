"""Right to left, in a real browser: the demo article in Arabic, and the admin
additions for an editor whose admin language is Arabic.

Layout is read from the browser (computed styles and boxes), so a physical
property (margin-left, border-right...) where a logical one belongs fails here.
"""

import pytest

from tests.browser.chromium import assert_accessible_before_and_after_reveal, tab_to


UNDER_FIRE = "Mustapha Qanti under fire"  # Telegram, disturbing: covered
CAMP = "Training camp near Hawar Kilis"  # partially verified, credits
BODIES = "Bodies of soldiers near Marjan"  # graphic, link only
PASSWORD = "browser-tests"  # the article_url fixture's load_demo password


def item(page, title):
    from wagtail_evidence.models import Evidence

    return page.locator(f"#evidence-{Evidence.objects.get(title=title).pk}")


def box(locator):
    """Where the element's content sits: its text, for a block that spans the line."""
    return locator.evaluate(
        "el => { const range = document.createRange(); range.selectNodeContents(el);"
        " const r = getComputedStyle(el).display.includes('inline') || !el.textContent.trim()"
        " ? el.getBoundingClientRect() : range.getBoundingClientRect();"
        " return {left: r.left, right: r.right, width: r.width}; }"
    )


def style(locator, name):
    return locator.evaluate(f"el => getComputedStyle(el).getPropertyValue('{name}')")


def no_horizontal_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sits_at_the_right(inner, outer):
    """``inner`` is nearer the right edge of ``outer`` than the left: the inline
    start of a right-to-left line."""
    inner, outer = box(inner), box(outer)
    return outer["right"] - inner["right"] < inner["left"] - outer["left"]


def test_the_arabic_article_is_laid_out_right_to_left(open_reader, arabic_url):
    reader = open_reader(url=arabic_url)
    page = reader.page
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"

    camp = item(page, CAMP)
    assert style(camp, "direction") == "rtl"
    # The card's first column, the media, is at the right; the badge starts
    # its facts' column at that column's right.
    assert sits_at_the_right(camp.locator(".evidence__figure"), camp)
    assert sits_at_the_right(
        camp.locator(".evidence-badge__pill").first, camp.locator(".evidence__facts")
    )
    assert camp.locator(".evidence-badge__pill").first.inner_text() == "متحقَّق منه جزئيًا"
    # The coordinates read left to right, latitude first, Arabic hemisphere
    # letters and all (without a mark after each letter, the bidi algorithm
    # pulls the longitude into a right-to-left run).
    coordinates = camp.locator(".evidence-location__coordinates")
    assert coordinates.evaluate(
        """el => {
            const text = el.firstChild, at = (s) => {
                const range = document.createRange(), i = text.data.indexOf(s);
                range.setStart(text, i); range.setEnd(text, i + s.length);
                return range.getBoundingClientRect().left;
            };
            return at("36.545") < at("ش") && at("ش") < at("37.055") && at("37.055") < at("ق");
        }"""
    )
    facet = camp.locator(".evidence-facet").first
    assert sits_at_the_right(
        facet.locator("dt"), facet
    )  # the facet's name first, at the right
    credits = camp.locator(".evidence-credits__list")
    assert (
        style(credits, "padding-right") != "0px"
        and style(credits, "padding-left") == "0px"
    )

    warning = page.locator("aside.evidence-article-warning")
    assert (
        style(warning, "border-right-width") != "0px"
        and style(warning, "border-left-width") == "0px"
    )
    assert (
        warning.locator(".evidence-article-warning__title")
        .inner_text()
        .startswith("تحذير")
    )

    claim = page.locator("section.claim").first
    statement = claim.locator(".claim__statement")
    assert style(claim, "direction") == "rtl"
    assert (
        style(statement, "border-right-width") == "3px"
        and style(statement, "border-left-width") == "0px"
    )
    assert sits_at_the_right(claim.locator(".claim__stance"), claim)

    cover = item(page, UNDER_FIRE).locator("[data-evidence-cover]")
    assert style(cover, "direction") == "rtl"
    assert sits_at_the_right(
        cover.locator(".evidence-media__warning-title strong"), cover
    )
    assert (
        item(page, BODIES)
        .get_by_role("link", name="مشاهدة الأصل على إكس (تويتر)")
        .count()
        == 1
    )

    for width in (1000, 360):  # a phone too
        page.set_viewport_size({"width": width, "height": 800})
        assert no_horizontal_overflow(page), f"horizontal overflow at {width}px"
    assert reader.csp_violations() == []
    assert reader.third_party() == []


def active_name(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_reveal_and_hide_by_keyboard_in_arabic(open_reader, arabic_url):
    reader = open_reader(url=arabic_url)
    page = reader.page
    under_fire = item(page, UNDER_FIRE)
    show = under_fire.get_by_role("button", name="عرض هذه المادة")
    tab_to(page, show, what="the Show button")
    page.keyboard.press("Enter")
    assert under_fire.locator("[data-evidence-cover]").is_hidden()
    load = under_fire.get_by_role("button", name="تحميل من تلغرام")
    assert load.evaluate(
        "el => el === document.activeElement"
    )  # focus moves to the next decision
    hide = under_fire.get_by_role("button", name="إخفاء مجددًا")
    # "Hide again" sits at the inline end of the box: the left, in Arabic.
    assert not sits_at_the_right(hide, under_fire.locator(".evidence-media"))
    page.keyboard.press("Tab")  # after "Load from Telegram": "Your choices"
    assert active_name(page) == "خياراتك"
    page.keyboard.press("Tab")
    assert hide.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert under_fire.locator("[data-evidence-cover]").is_visible()
    assert show.evaluate("el => el === document.activeElement")
    assert reader.third_party() == []


def test_the_interstitial_in_arabic_covers_the_body_until_the_reader_goes_on(
    open_reader, arabic_url
):
    from newsroom.models import ArticlePage

    arabic = ArticlePage.objects.get(locale__language_code="ar", depth=3)
    arabic.content_warning_style = "interstitial"
    arabic.save_revision().publish()

    page = open_reader(url=arabic_url).page
    body = page.locator("#article-body")
    assert page.locator("h1").is_visible()
    assert style(body, "visibility") == "hidden"
    go_on = page.get_by_role("button", name="متابعة قراءة المقال")
    assert sits_at_the_right(go_on, page.locator("aside.evidence-article-warning"))
    go_on.focus()
    page.keyboard.press("Enter")
    assert style(body, "visibility") == "visible"
    assert body.evaluate("el => el === document.activeElement")
    assert no_horizontal_overflow(page)


def test_no_accessibility_violations_in_arabic(open_reader, arabic_url):
    reader = open_reader(url=arabic_url)
    assert_accessible_before_and_after_reveal(
        reader, item(reader.page, UNDER_FIRE), item(reader.page, CAMP)
    )


# The admin additions, for an editor whose admin language is Arabic.


@pytest.fixture
def arabic_admin(browser, article_url, live_server):
    """A browser tab logged in to the admin as ``username``, in Arabic."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    contexts = []

    def log_in(username):
        user = get_user_model().objects.get(username=username)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "ar"
        profile.save()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin/")
        return page

    yield log_in
    for context in contexts:
        context.close()


def test_the_evidence_form_is_right_to_left_without_overflow(arabic_admin, live_server):
    from wagtail_evidence.models import Evidence

    page = arabic_admin("verifier")
    record = Evidence.objects.get(title=CAMP)
    page.goto(
        f"{live_server.url}/admin/snippets/wagtail_evidence/evidence/edit/{record.pk}/"
    )
    assert page.locator("html").get_attribute("dir") == "rtl"
    for tab in ("المادة", "المصادر", "التحقق", "تحذير من المحتوى"):
        page.get_by_role("tab", name=tab).click()
        assert no_horizontal_overflow(page), f"horizontal overflow on the {tab} tab"
    page.get_by_role("tab", name="التحقق").click()
    heading = page.get_by_role("heading", name="أين صُوّرت")
    assert heading.is_visible()
    panel = page.locator("section.w-panel", has=heading).first
    assert sits_at_the_right(heading, panel)
    assert page.get_by_text("سبب هذه التغييرات").first.is_visible()  # the reason field
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 900})
        assert no_horizontal_overflow(page), f"horizontal overflow at {width}px"


def test_the_evidence_check_dialog_is_right_to_left_without_overflow(
    arabic_admin, live_server
):
    from django.contrib.auth import get_user_model
    from newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    editor = get_user_model().objects.get(username="editor")
    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)

    page = arabic_admin("verifier")
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    action = page.get_by_role("button", name="فحص الأدلة والإجازة")
    if not action.is_visible():  # in the footer's menu of more actions
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    action.click()
    dialog = page.get_by_role("dialog")
    checklist = dialog.locator("table.evidence-checklist")
    checklist.wait_for()
    assert dialog.get_by_role("heading", name="فحص الأدلة").first.is_visible()
    assert style(checklist, "direction") == "rtl"
    header = checklist.locator("thead th").first
    assert sits_at_the_right(header, checklist)  # the first column is at the right
    content = dialog.locator(".modal-content, [role=document]").first
    assert checklist.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert (
        box(checklist)["left"] >= box(content)["left"] - 1
        and box(checklist)["right"] <= box(content)["right"] + 1
    )
    assert no_horizontal_overflow(page)
