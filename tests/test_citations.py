"""A change to a record is a correction for an article only from when the
article went live with the record in it: not from the article's first
publication, when the record may have been added a month later."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import read, text
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Citation


pytestmark = pytest.mark.django_db


def notice_lines(client, article):
    aside = read(client, article).select_one("aside.evidence-corrections")
    return [text(li) for li in aside.select("li")] if aside else []


def listing(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/corrections/").content, "html.parser")
    return [text(li) for li in soup.select(".evidence-corrections-page li")]


def edit_and_publish(login, article, blocks):
    """The editor replaces the article's body and publishes, in the admin."""
    editor = login("admin")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {**form_data(editor.get(url)), **body_data(blocks), "action-publish": "1"}
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_change_made_before_an_item_was_added_is_not_a_correction(
    client, login, users
):
    first = make_evidence(title="First item")
    added = make_evidence(
        title="Added later", media_url="https://t.me/demo_observers/5"
    )
    article = make_article([evidence_block(first)], title="Live article")
    # The desk revises the second record while the article does not show it.
    change_verification(added, users["verifier"], verdict="misleading")
    edit_and_publish(login, article, [evidence_block(first), evidence_block(added)])
    article.refresh_from_db()
    assert "Added later" in read(client, article).get_text()
    assert notice_lines(client, article) == []
    assert listing(client) == []
    # A change after it was added is one.
    change_verification(added, users["verifier"], verdict="verified")
    [line] = notice_lines(client, article)
    assert "“Added later”" in line and "it was False or misleading" in line
    [listed] = listing(client)
    assert "Added later" in listed and "Live article" in listed


def test_an_item_removed_and_added_again_counts_from_its_return(client, login, users):
    record = make_evidence(title="Comes and goes")
    other = make_evidence(title="Stays", media_url="https://t.me/demo_observers/6")
    article = make_article([evidence_block(record), evidence_block(other)])
    edit_and_publish(login, article, [evidence_block(other)])
    assert not Citation.objects.filter(page=article, evidence=record).exists()
    change_verification(record, users["verifier"], verdict="misleading")
    edit_and_publish(login, article, [evidence_block(other), evidence_block(record)])
    assert notice_lines(client, article) == []


def test_articles_live_before_the_upgrade_count_from_their_first_publication():
    record = make_evidence(title="Old record")
    article = make_article([evidence_block(record)])
    Citation.objects.all().delete()  # as a database before this release
    migration = importlib.import_module("wagtail_evidence.migrations.0012_citations")
    migration.cited_since_first_publication(apps, None)
    citation = Citation.objects.get(page=article, evidence=record)
    article.refresh_from_db()
    assert citation.since == article.first_published_at
