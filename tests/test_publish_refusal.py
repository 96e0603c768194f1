"""The page editor's publish button, refused by the gate, keeps the editor's
work: the draft is saved, the editor lands back on it and reads first that it
is saved, then why the article cannot go live, with a link to each record to
fix. Nothing says "could not be saved"."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.admin_forms import body_data, form_data
from tests.factories import evidence_block, home_page, make_article, make_evidence
from tests.testapp.models import ArticlePage
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db
SAVED = "Your changes are saved as a draft. The article was not published."


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def evidence_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def messages_of(response):
    """[(level, text, [(button text, href)])] of the messages on the page."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = []
    for item in soup.select(".messages li"):
        level = next(name for name in item["class"] if name != "messages__item")
        buttons = [
            (link.get_text(strip=True), link["href"])
            for link in item.select(".buttons a")
        ]
        # The buttons, and Wagtail's hidden "Go to the first error" (this page has none).
        for button in item.select(".buttons, button.w-hidden"):
            button.extract()
        found.append((level, " ".join(item.get_text().split()), buttons))
    return found


@pytest.fixture
def records():
    unpublished = make_evidence(title="Unverified convoy", publish=False)
    unwarned = make_evidence(title="Bodies near Marjan")
    # Categories without a level: refused by the form, possible by other paths.
    Evidence.objects.filter(pk=unwarned.pk).update(warning_categories=["violence"])
    return unpublished, Evidence.objects.get(pk=unwarned.pk)


def publish(client, page, blocks, **fields):
    url = edit_url(page)
    data = {
        **form_data(client.get(url)),
        **body_data(blocks),
        **fields,
        "action-publish": "action-publish",
    }
    return client.post(url, data, follow=True)


def test_the_draft_is_kept_and_each_record_to_fix_is_named_with_a_link(login, records):
    unpublished, unwarned = records
    article = make_article([], publish=False, title="Gated", slug="gated")
    response = publish(
        login("moderator"),
        article,
        [evidence_block(unpublished), evidence_block(unwarned)],
        title="Gated, rewritten",
    )
    assert response.redirect_chain == [(edit_url(article), 302)]
    assert messages_of(response) == [
        ("warning", SAVED, []),
        (
            "error",
            "This article cannot go live: It cites “Unverified convoy”, which is "
            "not published. Ask the verification desk to publish it, or remove it.",
            [("Open “Unverified convoy”", evidence_url(unpublished))],
        ),
        (
            "error",
            "This article cannot go live: It cites “Bodies near Marjan”, marked as "
            "distressing but without a content warning.",
            [("Open “Bodies near Marjan”", evidence_url(unwarned))],
        ),
    ]
    assert "could not be saved" not in response.content.decode()
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live
    draft = article.get_latest_revision_as_object()
    assert draft.title == "Gated, rewritten"
    assert [block.value["evidence"].pk for block in draft.body] == [
        unpublished.pk,
        unwarned.pk,
    ]


def test_a_new_article_has_no_draft_yet_and_is_refused_in_its_form(login, records):
    """Wagtail would save a new article live before any hook could refuse it:
    the form refuses instead, keeping everything typed, and saves nothing."""
    unpublished, _unwarned = records
    client = login("admin")
    url = reverse(
        "wagtailadmin_pages:add",
        args=[
            ArticlePage._meta.app_label,
            ArticlePage._meta.model_name,
            home_page().pk,
        ],
    )
    data = {
        **form_data(client.get(url)),
        **body_data([evidence_block(unpublished)]),
        "title": "A new article",
        "slug": "a-new-article",
        "action-publish": "action-publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This article cannot go live: It cites “Unverified convoy”, which is not "
        "published. Ask the verification desk to publish it, or remove it."
    ]
    assert response.context["form"]["title"].value() == "A new article"
    assert not ArticlePage.objects.filter(slug="a-new-article").exists()


def test_a_live_article_stays_as_it_is_while_its_new_draft_is_kept(login, records):
    unpublished, _unwarned = records
    published = make_evidence(title="Convoy in Horadiz")
    article = make_article([evidence_block(published)], title="Live", slug="live")
    live_revision = ArticlePage.objects.get(pk=article.pk).live_revision_id
    assert live_revision is not None
    response = publish(
        login("moderator"), article, [evidence_block(unpublished)], title="Live, new"
    )
    assert messages_of(response)[0][1] == SAVED
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.live_revision_id == live_revision
    assert article.title == "Live"
    assert article.get_latest_revision_as_object().title == "Live, new"


def test_a_title_cannot_reorder_the_sentence_that_names_it(login):
    hostile = make_evidence(title="\u202econvoy <b>x</b>", publish=False)
    article = make_article([evidence_block(hostile)], publish=False, slug="bidi")
    response = publish(login("moderator"), article, [evidence_block(hostile)])
    html = response.content.decode()
    assert (
        "It cites “<bdi>\u202econvoy &lt;b&gt;x&lt;/b&gt;</bdi>”, which is not" in html
    )
    assert "Open “<bdi>\u202econvoy &lt;b&gt;x&lt;/b&gt;</bdi>”" in html


def test_someone_who_cannot_edit_evidence_gets_no_link(records, django_user_model):
    """A publisher outside the evidence roles reads why, without a link to a
    form they could not open."""
    unpublished, _unwarned = records
    publishers = Group.objects.create(name="Publishers")
    publishers.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=publishers,
            page=home_page(),
            permission=Permission.objects.get(codename=permission),
        )
    user = django_user_model.objects.create_user("publisher", password="x")
    user.groups.add(publishers)
    client = Client()
    client.force_login(user)
    article = make_article([], publish=False, slug="no-link")
    response = publish(client, article, [evidence_block(unpublished)])
    assert messages_of(response) == [
        ("warning", SAVED, []),
        (
            "error",
            "This article cannot go live: It cites “Unverified convoy”, which is "
            "not published. Ask the verification desk to publish it, or remove it.",
            [],
        ),
    ]
