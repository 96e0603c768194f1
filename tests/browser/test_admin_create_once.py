"""One create form makes one Evidence record, however fast the editor is.

Wagtail autosaves a create form: its first autosave creates the record, and the
form posts to the record's edit view only once that answer is back. The test
holds the answer (the server has already created the record) and presses Save
draft in that moment, as an editor did when two records with one title
appeared.
"""

import pytest
from django.urls import reverse

from tests.browser.chromium import admin_tab
from tests.conftest import PASSWORD


ADD = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
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


def test_save_draft_during_the_first_autosave_makes_one_record(editor, live_server):
    from wagtail_evidence.models import Evidence

    held = []

    def hold_the_autosaves_answer(route):
        request = route.request
        if request.method != "POST" or "json" not in request.headers.get("accept", ""):
            route.continue_()
            return
        answer = route.fetch()
        if answer.ok:
            held.append((route, answer))  # the server has created the record
        else:
            route.fulfill(response=answer)  # the form was not complete yet

    # Wagtail notes the form's first state two seconds after it loads, and
    # autosaves what differs from it.
    editor.add_init_script(WATCH_EDITS)
    editor.goto(live_server.url + ADD)
    editor.wait_for_function("window.watchingEdits")
    editor.route(live_server.url + ADD, hold_the_autosaves_answer)
    editor.locator("[name=media_url]").fill("https://t.me/horadiz_news/1234")
    editor.get_by_role("textbox", name="Title").fill("Convoy in Horadiz")
    for _ in range(100):  # Playwright runs the handler while the page waits
        if held:
            break
        editor.wait_for_timeout(100)
    assert len(held) == 1, "the create form did not autosave"
    ((autosave, answer),) = held
    assert answer.json()["success"] is True
    assert Evidence.objects.filter(title="Convoy in Horadiz").count() == 1

    # The editor goes on typing, and saves before the answer is back.
    editor.get_by_role("textbox", name="Title").fill("Convoy in Horadiz, 27 September")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save draft").click()
    autosave.fulfill(response=answer)

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
