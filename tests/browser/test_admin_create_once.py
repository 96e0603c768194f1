"""One create form makes one Evidence record, or one article, however fast the
editor is.

Wagtail autosaves a create form: its first autosave creates the record or page,
and the form posts to its edit view only once that answer is back. Each test
holds the answer (the server has already created what the form made) and
presses Save draft in that moment: for a record, as an editor did when two
records with one title appeared; for an article, the second post was refused
for its slug and what the editor had typed since was not saved.
"""

import pytest
from django.urls import reverse

from tests.browser.chromium import admin_tab
from tests.conftest import PASSWORD


EVIDENCE_ADD = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
WATCH_EDITS = """document.addEventListener("w-unsaved:watch-edits", () => {
  window.watchingEdits = true;
});"""


@pytest.fixture
def editor(browser, live_server, migrated_database, users):
    page = admin_tab(
        browser,
        live_server.url,
        "editor",
        PASSWORD,
        viewport={"width": 1280, "height": 1000},
    )
    yield page
    page.context.close()


def open_holding_the_first_autosave(editor, url):
    """Open a create form, and hold the answer to its first autosave that
    succeeds; returns the list the held (route, answer) is put in."""
    held = []

    def hold_the_autosaves_answer(route):
        request = route.request
        if request.method != "POST" or "json" not in request.headers.get("accept", ""):
            route.continue_()
            return
        answer = route.fetch()
        if answer.ok:
            held.append((route, answer))  # the server has created what the form made
        else:
            route.fulfill(response=answer)  # the form was not complete yet

    # Wagtail notes the form's first state two seconds after it loads, and
    # autosaves what differs from it.
    editor.add_init_script(WATCH_EDITS)
    editor.goto(url)
    editor.wait_for_function("window.watchingEdits")
    editor.route(url, hold_the_autosaves_answer)
    return held


def the_held_autosave(editor, held):
    # Up to 30 s: a loaded CI machine autosaves late, never not at all.
    for _ in range(300):  # Playwright runs the handler while the page waits
        if held:
            break
        editor.wait_for_timeout(100)
    assert len(held) == 1, "the create form did not autosave"
    ((autosave, answer),) = held
    assert answer.json()["success"] is True
    return autosave, answer


def type_the_title_and_save_before_the_answer(editor, held, title):
    autosave, answer = the_held_autosave(editor, held)
    editor.get_by_role("textbox", name="Title").first.fill(title)
    editor.get_by_role("textbox", name="Title").first.press("Tab")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save draft").click()
    autosave.fulfill(response=answer)


def test_save_draft_during_the_first_autosave_makes_one_record(editor, live_server):
    from wagtail_evidence.models import Evidence

    held = open_holding_the_first_autosave(editor, live_server.url + EVIDENCE_ADD)
    editor.locator("[name=media_url]").fill("https://t.me/horadiz_news/1234")
    editor.get_by_role("textbox", name="Title").fill("Convoy in Horadiz")
    the_held_autosave(editor, held)
    assert Evidence.objects.filter(title="Convoy in Horadiz").count() == 1

    # The editor goes on typing, and saves before the answer is back.
    type_the_title_and_save_before_the_answer(
        editor, held, "Convoy in Horadiz, 27 September"
    )

    (record,) = Evidence.objects.all()
    assert editor.url == live_server.url + reverse(
        "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk]
    )
    assert editor.get_by_role("textbox", name="Title").input_value() == (
        "Convoy in Horadiz, 27 September"
    )
    assert record.get_latest_revision_as_object().title == (
        "Convoy in Horadiz, 27 September"
    )


def test_save_draft_during_an_articles_first_autosave_saves_the_article_made(
    editor, live_server
):
    from tests.factories import home_page
    from tests.testapp.models import ArticlePage

    add = reverse(
        "wagtailadmin_pages:add", args=["testapp", "articlepage", home_page().pk]
    )
    held = open_holding_the_first_autosave(editor, live_server.url + add)
    # Leaving the title fills in the slug, which an autosave needs.
    editor.get_by_role("textbox", name="Title").first.fill("Convoy in Horadiz")
    editor.get_by_role("textbox", name="Title").first.press("Tab")
    the_held_autosave(editor, held)
    assert ArticlePage.objects.filter(title="Convoy in Horadiz").count() == 1

    type_the_title_and_save_before_the_answer(
        editor, held, "Convoy in Horadiz, 27 September"
    )

    (article,) = ArticlePage.objects.all()
    assert editor.url == live_server.url + reverse(
        "wagtailadmin_pages:edit", args=[article.pk]
    )
    assert editor.get_by_role("status").filter(has_text="has been updated").count() == 1
    assert article.get_latest_revision_as_object().title == (
        "Convoy in Horadiz, 27 September"
    )
