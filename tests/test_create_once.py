"""One create form makes one Evidence record (admin/views/create.py): a form
posted again, by autosave or by a button, at once or later, edits the record it
made. Through the admin over HTTP; the browser's version of the race is in
tests/browser/test_admin_create_once.py."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_forms import form_data, inline_rows
from tests.at_once import post_at_once
from tests.factories import make_evidence


SNIPPETS = "wagtailsnippets_wagtail_evidence_evidence"
ADD_URL = reverse(f"{SNIPPETS}:add")
AUTOSAVE = {"accept": "application/json"}


def edit_url(evidence):
    return reverse(f"{SNIPPETS}:edit", args=[evidence.pk])


def new_form(client, url=ADD_URL, **values):
    data = form_data(client.get(url))
    data.update(
        {
            "title": "Convoy in Horadiz",
            "media_url": "https://t.me/demo_observers/2533",
            **values,
        }
    )
    return data


def records():
    from wagtail_evidence.models import Evidence

    return Evidence.objects.order_by("pk")


@pytest.mark.django_db
def test_the_form_carries_a_key_of_its_own_and_the_edit_form_none(login):
    client = login("editor")
    first, second = new_form(client), new_form(client)
    assert len(first["create_form_key"]) >= 32
    assert first["create_form_key"] != second["create_form_key"]
    evidence = make_evidence()
    assert "create_form_key" not in form_data(client.get(edit_url(evidence)))


@pytest.mark.django_db
def test_save_draft_after_the_first_autosave_edits_the_record_it_made(login):
    client = login("editor")
    data = new_form(client)
    autosave = client.post(ADD_URL, data, headers=AUTOSAVE)
    assert autosave.status_code == 200 and autosave.json()["success"] is True
    (record,) = records()

    data["title"] = "Convoy in Horadiz, 27 September"  # typed since
    response = client.post(ADD_URL, data)

    assert response.status_code == 302
    assert response["Location"] == edit_url(record)
    (saved,) = records()
    assert saved.pk == record.pk
    assert saved.get_latest_revision_as_object().title == (
        "Convoy in Horadiz, 27 September"
    )
    assert saved.revisions.count() == 2


@pytest.mark.django_db
def test_a_second_autosave_of_the_create_form_edits_the_record_too(login):
    client = login("editor")
    data = new_form(client)
    client.post(ADD_URL, data, headers=AUTOSAVE)
    data["title"] = "Convoy in Horadiz, at dawn"
    again = client.post(ADD_URL, data, headers=AUTOSAVE)
    assert again.status_code == 200 and again.json()["success"] is True
    (record,) = records()
    assert record.get_latest_revision_as_object().title == "Convoy in Horadiz, at dawn"
    # The create view's answer: the form posts to the edit view from now on.
    assert again.json()["url"] == edit_url(record)
    assert again.json()["hydrate_url"] == (
        edit_url(record) + "?_w_hydrate_create_view=1"
    )


@pytest.mark.django_db
def test_rows_the_first_save_made_are_edited_not_added_again(login):
    """The autosave's answer would have given the form its rows' ids; a post
    sent before it came back carries none, and must not add them twice."""
    client = login("editor")
    data = new_form(client)
    sighting = {
        "platform": "telegram",
        "account": "Horadiz news",
        "url": "https://t.me/horadiz_news/1234",
        "first_seen": "2020-09-27",
        "first_seen_precision": "exact",
        "archive_urls": "",
        "note": "",
    }
    data.update(inline_rows("appearances", [sighting]))
    client.post(ADD_URL, data, headers=AUTOSAVE)

    data["appearances-0-note"] = "First seen in the evening."  # typed since
    data.update(
        {
            f"appearances-1-{name}": value
            for name, value in {
                **sighting,
                "id": "",
                "account": "A relay account",
                "url": "",
                "ORDER": "2",
                "DELETE": "",
            }.items()
        }
    )
    data["appearances-TOTAL_FORMS"] = "2"
    # An autosave sent again (its first answer lost) is answered with the ids of
    # every row saved so far, as the create view's answer would have been.
    answer = client.post(ADD_URL, data, headers=AUTOSAVE).json()
    (record,) = records()
    first, second = record.appearances.order_by("pk")
    assert answer["field_updates"] == {
        "appearances-INITIAL_FORMS": "2",
        "appearances-0-id": str(first.pk),
        "appearances-1-id": str(second.pk),
    }
    assert client.post(ADD_URL, data).status_code == 302

    (record,) = records()
    rows = list(record.appearances.order_by("pk").values_list("account", "note"))
    assert rows == [
        ("Horadiz news", "First seen in the evening."),
        ("A relay account", ""),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_the_same_moment_make_one_record(
    migrated_database, users
):
    """Each post in a thread of its own, with its own database connection; the
    key is claimed in the transaction that creates the record, so whichever
    comes second waits for the first and then edits what it made."""
    editor = Client()
    editor.force_login(users["editor"])
    answers = post_at_once(users["editor"], ADD_URL, new_form(editor))

    (record,) = records()
    # Both saved, the second as an edit of the first: neither was refused.
    assert answers == [edit_url(record)] * 2
    assert record.revisions.count() == 2


@pytest.mark.django_db
def test_a_key_another_user_claimed_makes_nothing_and_edits_nothing(login):
    client = login("editor")
    data = new_form(client)
    client.post(ADD_URL, data)
    (record,) = records()

    desk = login("verifier")
    data["title"] = "Someone else's title"
    response = desk.post(ADD_URL, data)

    # Wagtail's answer to a refused admin request: its dashboard, with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    (unchanged,) = records()
    assert unchanged.get_latest_revision_as_object().title == "Convoy in Horadiz"


@pytest.mark.django_db
def test_a_form_posted_again_after_the_desk_changed_the_record_is_refused_as_stale(
    login, users
):
    client = login("editor")
    data = new_form(client)
    client.post(ADD_URL, data, headers=AUTOSAVE)
    (record,) = records()
    desk_version = record.get_latest_revision_as_object()
    desk_version.description = "Men in uniform ride pick-up trucks."
    desk_version.save_revision(user=users["verifier"])

    data["title"] = "Convoy in Horadiz, 27 September"
    response = client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "it changed since you opened it" in response.content.decode()
    (kept,) = records()
    latest = kept.get_latest_revision_as_object()
    assert latest.description == "Men in uniform ride pick-up trucks."
    assert latest.title == "Convoy in Horadiz"


@pytest.mark.django_db
def test_a_copy_form_posted_twice_makes_one_copy(login):
    original = make_evidence(title="Training camp near Hawar Kilis")
    client = login("editor")
    copy_url = reverse(f"{SNIPPETS}:copy", args=[original.pk])
    data = new_form(client, copy_url, title="Training camp, second video")
    client.post(copy_url, data, headers=AUTOSAVE)
    response = client.post(copy_url, data)

    assert response.status_code == 302
    copies = records().exclude(pk=original.pk)
    assert copies.count() == 1
    assert response["Location"] == edit_url(copies.get())


@pytest.mark.django_db
def test_a_malformed_key_is_ignored_and_the_form_still_saves(login):
    client = login("editor")
    data = new_form(client, create_form_key="not a key")
    response = client.post(ADD_URL, data)
    assert response.status_code == 302
    assert records().count() == 1
