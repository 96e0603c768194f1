"""The admin as the newsroom uses it, in a real browser, photographed for the
editors' guide (docs/editors-guide.md) so that its pictures stay current.

Each test logs in as one of the demo users, checks what the screen says (the
badges, the read-only statuses, the chooser's results, the checklist's rows,
the register's rows), and only then saves the screenshot.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.chromium import admin_tab
from tests.paths import SCREENSHOTS


# Each test saves pictures for the docs: `make screenshots` runs them alone.
pytestmark = pytest.mark.screenshots

PASSWORD = "browser-tests"  # what the article_url fixture gives load_demo
CONVOY = "Convoy in Horadiz"  # partially verified: the date filmed is not established
CAMP = "Training camp near Hawar Kilis"
UNDER_FIRE = "Mustapha Qanti under fire"  # verified, disturbing
BODIES = "Bodies of soldiers near Marjan"  # graphic, link only
DEMO_RECORDS = 9
REPOST = "Convoy video posted again as new, 2 November"  # recycled, cited nowhere
CITED_RECORDS = DEMO_RECORDS - 1  # every record but the repost
# The rows of a listing (the admin has other tables, such as its keyboard shortcuts).
ROWS = "table.listing > tbody > tr"


@pytest.fixture
def admin(browser, article_url, live_server, settings):
    """Log a demo user into the admin in a browser tab of their own."""
    # Avatars from Wagtail's default gravatar would be requests to another
    # site, and a broken image in every picture; use Wagtail's own.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    contexts = []

    def log_in(username, height=1000):
        page = admin_tab(
            browser,
            live_server.url,
            username,
            PASSWORD,
            viewport={"width": 1280, "height": height},
        )
        contexts.append(page.context)
        return page

    yield log_in
    for context in contexts:
        context.close()


def go(page, path):
    page.goto("{0.scheme}://{0.netloc}{1}".format(urlsplit(page.url), path))
    page.wait_for_load_state("networkidle")


def save(locator_or_page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator_or_page.screenshot(path=SCREENSHOTS / name)
    assert (SCREENSHOTS / name).stat().st_size > 1000


def cells(table_row):
    """The texts of a listing row's cells, as a set."""
    return {text.strip() for text in table_row.locator("td").all_inner_texts()}


def centre(locator):
    locator.evaluate("element => element.scrollIntoView({block: 'center'})")


def record(title):
    from wagtail_evidence.models import Evidence

    return Evidence.objects.get(title=title)


def row(page, title):
    return page.locator(ROWS, has=page.get_by_role("link", name=title, exact=True))


def test_the_evidence_list_and_form(admin):
    desk = admin("verifier", height=1900)
    go(desk, reverse("wagtailsnippets_wagtail_evidence_evidence:list"))
    assert desk.locator(ROWS).count() == DEMO_RECORDS
    assert {"Partially verified", "No warning", "Telegram", "LIVE"} <= cells(
        row(desk, CONVOY)
    )
    assert {"Verified", "Disturbing", "Telegram"} <= cells(row(desk, UNDER_FIRE))
    desk.set_viewport_size({"width": 1280, "height": 760})
    save(desk, "admin-evidence-list.png")

    # The desk edits the statuses and the verdict...
    desk.set_viewport_size({"width": 1280, "height": 1900})
    go(
        desk,
        reverse(
            "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record(CONVOY).pk]
        ),
    )
    assert [tab.inner_text() for tab in desk.get_by_role("tab").all()] == [
        "Media",
        "Sources",
        "Verification",
        "Content warning",
    ]
    desk.get_by_role("tab", name="Verification").click()
    assert desk.locator("select[name=location_status]").input_value() == "confirmed"
    assert desk.locator("select[name=date_status]").input_value() == "not_established"
    assert (
        desk.locator("select[name=identity_status]").input_value() == "not_established"
    )
    assert desk.locator("select[name=verdict]").input_value() == "verified"
    assert desk.locator("input[name=place]").input_value() == "Horadiz"
    save(desk, "admin-evidence-verification.png")

    # ...which an editor only reads: the form has no such field for them.
    editor = admin("editor")
    go(
        editor,
        reverse(
            "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record(CONVOY).pk]
        ),
    )
    editor.get_by_role("tab", name="Verification").click()
    assert (
        editor.locator("select[name=location_status], select[name=verdict]").count()
        == 0
    )
    where = editor.locator(
        "section.w-panel", has=editor.get_by_role("heading", name="Where it was filmed")
    )
    status = where.get_by_role("textbox", name="Location status")
    assert status.get_attribute("aria-readonly") == "true"
    assert status.inner_text().strip() == "Confirmed"
    assert where.locator(
        "input[name=place]"
    ).is_editable()  # the facts stay the editor's to type
    save(where, "admin-evidence-read-only-status.png")


def chosen(title, badge, warning):
    return f"\u2068{title}\u2069 · {badge} · {warning}"


def test_evidence_and_claims_in_the_page_editor(admin, article_url):
    from newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    editor = admin(
        "editor", height=2000
    )  # the tallest block fits, clear of the sticky bars
    go(editor, reverse("wagtailadmin_pages:edit", args=[article.pk]))
    blocks = editor.locator("[data-streamfield-child]")

    claim = blocks.filter(has=editor.locator("label", has_text="Our assessment")).first
    assert (
        "did not recruit Syrian fighters"
        in claim.locator("textarea").first.input_value()
    )
    # Each chosen record is named with its badge and warning, its title isolated.
    assert claim.locator(".chooser__title").all_inner_texts() == [
        chosen(CAMP, "Partially verified", "No warning"),
        chosen(CONVOY, "Partially verified", "No warning"),
        chosen(
            "Fighters call on others to join them", "Partially verified", "No warning"
        ),
        chosen(BODIES, "Partially verified", "Graphic"),
    ]
    centre(claim)
    save(claim, "admin-claim-block.png")

    evidence = blocks.filter(
        has=editor.locator(
            "label", has_text="What readers are told could not be verified"
        )
    ).first
    assert evidence.locator(".chooser__title").inner_text() == chosen(
        CAMP, "Partially verified", "No warning"
    )
    disclosure = evidence.locator("textarea").nth(1)
    assert disclosure.input_value().startswith("We do not know when it was filmed")
    centre(evidence)
    save(evidence, "admin-evidence-block.png")
    editor.set_viewport_size({"width": 1280, "height": 1000})

    # The chooser finds records by their working title.
    evidence.get_by_role("button", name="Actions").click()
    editor.get_by_role("button", name="Choose another evidence").click()
    chooser = editor.get_by_role("dialog")
    expect(chooser.locator(ROWS)).to_have_count(DEMO_RECORDS)
    chooser.get_by_role("textbox", name="Search term").fill("Horadiz")
    # The search reads the place too: the records filmed in Horadiz, and the
    # repost of the convoy video, which says where it was first filmed.
    expect(chooser.locator(ROWS)).to_have_count(3)
    expect(chooser.locator(ROWS)).to_contain_text(
        [CONVOY, "Mustapha Qanti finds abandoned ammunition", REPOST]
    )
    save(editor, "admin-evidence-chooser.png")


@pytest.fixture
def submitted_without_a_disclosure(article_url):
    """The demo article, resubmitted by its editor with the convoy's disclosure
    removed: the evidence check is the desk's to run, and it must fail."""
    from django.contrib.auth import get_user_model
    from newsroom.models import ArticlePage

    editor = get_user_model().objects.get(username="editor")
    article = ArticlePage.objects.get(
        slug="syrian-fighters-nagorno-karabakh"
    ).get_latest_revision_as_object()
    for block in article.body:
        if block.block_type == "evidence" and block.value["evidence"].title == CONVOY:
            block.value["disclosure"] = ""
    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)
    assert article.current_workflow_task.name == "Evidence check"
    return article


def test_the_evidence_check_in_the_workflow(admin, submitted_without_a_disclosure):
    desk = admin("verifier")
    waiting = desk.locator(
        "section",
        has=desk.get_by_role("heading", name="1 article waiting on the evidence check"),
    )
    expect(waiting).to_be_visible()
    assert waiting.get_by_role("listitem").all_inner_texts() == [
        "Videos place Syrian fighters on the Nagorno-Karabakh front · 1 item fails"
    ]
    save(desk, "admin-dashboard-desk.png")

    go(
        desk,
        reverse("wagtailadmin_pages:edit", args=[submitted_without_a_disclosure.pk]),
    )
    desk.get_by_role("button", name="More actions").click()
    desk.get_by_role("button", name="Check evidence and approve").click()
    dialog = desk.get_by_role("dialog")
    checklist = dialog.locator("table.evidence-checklist")
    checklist.wait_for()
    rows = checklist.locator("tbody > tr")
    assert rows.count() == CITED_RECORDS  # every record the article cites
    convoy = rows.filter(has=desk.get_by_role("rowheader", name=CONVOY))
    cells = convoy.locator("td").all_inner_texts()
    assert cells[:4] == ["live", "Partially verified", "No warning", "Missing"]
    assert cells[4].startswith("Fails")
    assert "without telling readers what could not be verified" in cells[4]
    camp = (
        rows.filter(has=desk.get_by_role("rowheader", name=CAMP))
        .locator("td")
        .all_inner_texts()
    )
    assert camp == ["live", "Partially verified", "No warning", "Given", "Passes"]
    under_fire = (
        rows.filter(has=desk.get_by_role("rowheader", name=UNDER_FIRE))
        .locator("td")
        .all_inner_texts()
    )
    assert under_fire == ["live", "Verified", "Disturbing", "Not needed", "Passes"]
    assert (
        dialog.get_by_role("button", name="Approve").count() == 0
    )  # nothing to approve with
    assert "cannot be approved until every item passes" in dialog.inner_text()
    save(desk, "admin-evidence-check.png")


def test_the_register(admin):
    desk = admin("verifier", height=820)
    go(desk, reverse("wagtail_evidence:register"))
    assert desk.locator(ROWS).count() == DEMO_RECORDS
    assert {
        "Partially verified",
        "Graphic",
        "X (Twitter)",
        "Marjan",
        "1 page",
    } <= cells(row(desk, BODIES))
    assert {"Partially verified", "No warning", "Horadiz", "1 page"} <= cells(
        row(desk, CONVOY)
    )
    save(desk, "admin-evidence-register.png")

    # Its search reaches beyond titles: a region no title names.
    desk.locator("#id_q").fill("Fuzuli")
    expect(desk.locator(ROWS)).to_have_count(1)
    expect(desk.locator(ROWS)).to_contain_text(CONVOY)
