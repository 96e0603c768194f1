"""Two saves of one article or record never interleave (admin/views/serial_saves.py).

Wagtail's autosave overwrites the editor's own autosaved revision once it has
checked that this revision is still the latest, against what the edit view
loaded when the request began. Save draft landing in between let the autosave
write its older state over the revision Save draft had just made: an article's
last evidence block lost the heading, caption and disclosure typed last. Each
test pauses the autosave just after the edit view has loaded the object, in a
thread of its own, and presses Save draft in another tab; the pause ends when
Save draft has finished, or after a while when Save draft cannot (it waits for
the autosave's lock).
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.factories import evidence_block, make_article, make_evidence


AUTOSAVE = {"accept": "application/json"}
PAUSE = 2  # seconds


def save_draft_during_an_autosave(users, hook, url, autosave, save_draft):
    """Post ``autosave`` as an autosave; once its edit view has loaded the
    object (its ``hook`` runs), post ``save_draft`` from another tab. Returns
    Save draft's answer."""
    from django.db import connections
    from wagtail import hooks

    paused, done = threading.Event(), threading.Event()
    answers = {}

    def pause(request, *args):
        if threading.current_thread().name == "autosave":
            paused.set()
            done.wait(PAUSE)

    def tab(name, data, headers, wait_for=None):
        client = Client()  # the same editor, a request of its own
        client.force_login(users["editor"])
        if wait_for is not None:
            assert wait_for.wait(10), "the autosave never reached its edit view"
        try:
            answers[name] = client.post(url, data, headers=headers)
        finally:
            done.set()
            connections.close_all()

    threads = [
        threading.Thread(
            target=tab, name="autosave", args=("autosave", autosave, AUTOSAVE)
        ),
        threading.Thread(target=tab, args=("save draft", save_draft, {}, paused)),
    ]
    with hooks.register_temporarily(hook, pause):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert set(answers) == {"autosave", "save draft"}
    return answers["save draft"]


def first_autosave(url, users, data):
    client = Client()
    client.force_login(users["editor"])
    answer = client.post(url, data, headers=AUTOSAVE).json()
    assert answer["success"] is True
    return str(answer["revision_id"])


@pytest.mark.django_db(transaction=True)
def test_an_article_keeps_what_was_typed_last(migrated_database, users):
    first = make_evidence(title="First record")
    second = make_evidence(
        title="Second record", media_url="https://t.me/demo_observers/2502"
    )
    article = make_article(
        [evidence_block(first, heading="Near Hawar Kilis"), evidence_block(second)],
        title="Fighters in Horadiz",
        slug="fighters-in-horadiz",
    )
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    editor = Client()
    editor.force_login(users["editor"])
    blocks = article.body.raw_data
    data = {**form_data(editor.get(url)), **body_data(blocks)}
    revision = first_autosave(url, users, data)

    # The autosave carries the form as it was; Save draft what was typed since.
    last = {**blocks[1], "value": {**blocks[1]["value"]}}
    last["value"].update(
        heading="In Horadiz", caption="Trucks in the square.", disclosure="The date."
    )
    answer = save_draft_during_an_autosave(
        users,
        "before_edit_page",
        url,
        autosave={**data, "overwrite_revision_id": revision},
        save_draft={**data, **body_data([blocks[0], last])},
    )

    assert answer.status_code == 302
    article.refresh_from_db()
    value = article.get_latest_revision_as_object().body[1].value
    assert (value["heading"], value["caption"], value["disclosure"]) == (
        "In Horadiz",
        "Trucks in the square.",
        "The date.",
    )


@pytest.mark.django_db(transaction=True)
def test_a_record_keeps_what_was_typed_last(migrated_database, users):
    evidence = make_evidence(publish=False, title="Convoy in Horadiz")
    evidence.save_revision(user=users["editor"])
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    editor = Client()
    editor.force_login(users["editor"])
    data = form_data(editor.get(url))
    revision = first_autosave(url, users, data)

    answer = save_draft_during_an_autosave(
        users,
        "before_edit_snippet",
        url,
        autosave={**data, "overwrite_revision_id": revision},
        # As the page posts it: the revision loaded, and its own autosave's
        # (static/wagtail_evidence/js/admin-autosave.js).
        save_draft={
            **data,
            "autosaved_revision_id": revision,
            "description": "Trucks in the square.",
        },
    )

    assert answer.status_code == 302
    evidence.refresh_from_db()
    latest = evidence.get_latest_revision_as_object()
    assert latest.description == "Trucks in the square."


@pytest.mark.django_db
def test_a_sites_own_before_edit_snippet_hook_runs_once(login):
    """The package's hook runs the record's edit view again
    (admin/views/serial_saves.py); a site's own hook runs in that second run only."""
    from wagtail import hooks

    evidence = make_evidence(publish=False)
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    client = login("editor")
    data = form_data(client.get(url))
    seen = []
    with hooks.register_temporarily(
        "before_edit_snippet", lambda request, instance: seen.append(instance.pk)
    ):
        assert client.post(url, data).status_code == 302
    assert seen == [evidence.pk]
