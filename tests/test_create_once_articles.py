"""One create form makes one article (admin/views/create.py): the page create
form posted again, by autosave or by a button, edits the page it made. Through
the admin over HTTP; the browser's version of the race is in
tests/browser/test_admin_create_once.py, the record's in tests/test_create_once.py."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.at_once import post_at_once
from tests.factories import evidence_block, home_page, make_evidence


AUTOSAVE = {"accept": "application/json"}


def add_url():
    return reverse(
        "wagtailadmin_pages:add", args=["testapp", "articlepage", home_page().pk]
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def new_form(client, **values):
    data = form_data(client.get(add_url()))
    data.update(body_data([]))
    data.update({"title": "Convoy in Horadiz", "slug": "convoy-in-horadiz", **values})
    return data


def articles():
    from tests.testapp.models import ArticlePage

    return ArticlePage.objects.order_by("pk")


def latest(page):
    return page.get_latest_revision_as_object()


@pytest.mark.django_db
def test_the_create_form_carries_a_key_of_its_own_and_the_edit_form_none(login):
    client = login("editor")
    first, second = new_form(client), new_form(client)
    assert len(first["create_form_key"]) >= 32
    assert first["create_form_key"] != second["create_form_key"]
    client.post(add_url(), first)
    (article,) = articles()
    assert "create_form_key" not in form_data(client.get(edit_url(article)))


@pytest.mark.django_db
def test_save_draft_after_the_first_autosave_edits_the_article_it_made(login):
    client = login("editor")
    data = new_form(client)
    autosave = client.post(add_url(), data, headers=AUTOSAVE)
    assert autosave.status_code == 200 and autosave.json()["success"] is True
    (article,) = articles()

    data["title"] = "Convoy in Horadiz, 27 September"  # typed since
    response = client.post(add_url(), data, follow=True)

    assert response.redirect_chain == [(edit_url(article), 302)]
    assert "could not be created" not in response.content.decode()
    (saved,) = articles()
    assert saved.pk == article.pk
    assert latest(saved).title == "Convoy in Horadiz, 27 September"
    assert saved.revisions.count() == 2


@pytest.mark.django_db
def test_a_second_autosave_of_the_create_form_edits_the_article_too(login):
    client = login("editor")
    data = new_form(client)
    first = client.post(add_url(), data, headers=AUTOSAVE).json()
    data["title"] = "Convoy in Horadiz, at dawn"
    again = client.post(add_url(), data, headers=AUTOSAVE)
    assert again.status_code == 200 and again.json()["success"] is True
    assert again.json()["pk"] == first["pk"]
    (article,) = articles()
    assert latest(article).title == "Convoy in Horadiz, at dawn"
    # The create view's answer: the form posts to the edit view from now on.
    assert again.json()["url"] == first["url"] == edit_url(article)
    assert again.json()["hydrate_url"] == first["hydrate_url"]


@pytest.mark.django_db
def test_an_autosave_posted_again_after_someone_else_saved_is_refused(login, users):
    client = login("editor")
    data = new_form(client)
    client.post(add_url(), data, headers=AUTOSAVE)
    (article,) = articles()
    theirs = latest(article)
    theirs.title = "Convoy in Horadiz, as the moderator put it"
    theirs.save_revision(user=users["moderator"])

    data["title"] = "Convoy in Horadiz, at dawn"
    again = client.post(add_url(), data, headers=AUTOSAVE)

    assert again.json()["success"] is False
    assert again.json()["error_code"] == "invalid_revision"
    assert latest(articles().get()).title == (
        "Convoy in Horadiz, as the moderator put it"
    )


@pytest.mark.django_db
def test_publish_after_the_first_autosave_publishes_the_article_it_made(login):
    client = login("moderator")
    data = new_form(client)
    client.post(add_url(), data, headers=AUTOSAVE)
    data["action-publish"] = "action-publish"
    response = client.post(add_url(), data)
    assert response.status_code == 302
    (article,) = articles()
    assert article.live is True


@pytest.mark.django_db
def test_the_gate_still_meets_the_article_posted_again(login):
    """The second post is an edit, and the edit keeps its own checks: a draft
    record cited is refused on publish, the draft kept."""
    draft = make_evidence(publish=False, title="A record the desk has not seen")
    client = login("moderator")
    data = new_form(client)
    client.post(add_url(), data, headers=AUTOSAVE)
    data.update(body_data([evidence_block(draft)]))
    data["action-publish"] = "action-publish"
    response = client.post(add_url(), data, follow=True)

    (article,) = articles()
    assert article.live is False
    assert response.redirect_chain[-1][0] == edit_url(article)
    assert "A record the desk has not seen" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_form_can_be_posted_again_and_creates_once(login):
    client = login("editor")
    data = new_form(client, title="")
    refused = client.post(add_url(), data)
    assert refused.status_code == 200
    assert not articles().exists()

    data["title"] = "Convoy in Horadiz"
    assert client.post(add_url(), data).status_code == 302
    data["title"] = "Convoy in Horadiz, 27 September"
    assert client.post(add_url(), data).status_code == 302
    (article,) = articles()
    assert latest(article).title == "Convoy in Horadiz, 27 September"


@pytest.mark.django_db
def test_a_key_another_user_claimed_makes_nothing_and_edits_nothing(login):
    client = login("editor")
    data = new_form(client)
    client.post(add_url(), data)

    other = login("moderator")
    data["title"] = "Someone else's title"
    response = other.post(add_url(), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    (article,) = articles()
    assert latest(article).title == "Convoy in Horadiz"


@pytest.mark.django_db
def test_a_form_without_a_key_or_with_a_malformed_one_creates_as_in_wagtail(login):
    client = login("editor")
    for slug, key in (("without-a-key", None), ("malformed-key", "not a key")):
        data = new_form(client, slug=slug)
        if key is None:
            del data["create_form_key"]
        else:
            data["create_form_key"] = key
        assert client.post(add_url(), data).status_code == 302
    assert list(articles().values_list("slug", flat=True)) == [
        "without-a-key",
        "malformed-key",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_the_same_moment_make_one_article(
    migrated_database, users
):
    """Each post in a thread of its own, with its own database connection: the
    key is claimed in the transaction that creates the page, so whichever comes
    second waits for the first, then edits what it made."""
    editor = Client()
    editor.force_login(users["editor"])
    answers = post_at_once(users["editor"], add_url(), new_form(editor))

    (article,) = articles()
    # Both saved, the second as an edit of the first: neither was refused.
    assert answers == [edit_url(article)] * 2
    assert article.revisions.count() == 2


@pytest.mark.django_db
def test_a_sites_own_before_create_page_hook_runs_once(login):
    """The package's hook runs the create view again (admin/views/create.py);
    a site's own hook runs in that second run only."""
    from wagtail import hooks

    seen = []

    def count(request, parent_page, page_class):
        seen.append(request.method)

    client = login("editor")
    data = new_form(client)
    with hooks.register_temporarily("before_create_page", count):
        assert client.post(add_url(), data).status_code == 302
    assert seen == ["POST"]
    assert articles().count() == 1
