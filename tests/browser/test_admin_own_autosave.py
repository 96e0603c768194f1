"""Save draft after the form's own autosave saves, in the browser.

The record's editor refuses a form older than the record (admin/views/edit.py);
Wagtail's autosave writes a revision while the form stays as it was loaded, and
the editor's Save draft was refused for it ("Since you opened this form,
editor changed: Working title"). The page tells the form which revision its
own autosave wrote (static/wagtail_evidence/js/admin-autosave.js).
"""

import pytest
from django.urls import reverse

from tests.browser.chromium import admin_tab
from tests.conftest import PASSWORD


COUNT_AUTOSAVES = """document.addEventListener("w-autosave:success", () => {
  window.autosaves = (window.autosaves || 0) + 1;
});"""


@pytest.fixture
def editor(browser, live_server, migrated_database, users):
    page = admin_tab(browser, live_server.url, "editor", PASSWORD)
    yield page
    page.context.close()


def test_save_draft_after_an_autosave_saves_what_was_typed(editor, live_server, users):
    from tests.factories import make_evidence

    evidence = make_evidence(publish=False, title="Convoy in Horadiz")
    evidence.save_revision(user=users["editor"])
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    editor.add_init_script(COUNT_AUTOSAVES)
    editor.goto(live_server.url + url)
    title = editor.get_by_role("textbox", name="Title")
    # Wagtail watches for edits two seconds after the form loads.
    editor.wait_for_timeout(2500)
    title.fill("Convoy in Horadiz, 27 September")
    editor.wait_for_function("window.autosaves >= 1")
    title.fill("Convoy in Horadiz, 27 September, at dawn")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save draft").click()

    assert editor.get_by_text("it changed since you opened it").count() == 0
    assert editor.get_by_role("status").filter(has_text="updated").count() == 1
    evidence.refresh_from_db()
    assert evidence.get_latest_revision_as_object().title == (
        "Convoy in Horadiz, 27 September, at dawn"
    )
