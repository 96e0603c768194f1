"""A change to a record is a correction for an article only from when the
article went live with the record in it: not from the article's first
publication, when the record may have been added a month later."""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.factories import claim_block, evidence_block, make_article, make_evidence
from tests.reading import read, text
from tests.testapp.models import ArticlePage
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


def test_a_live_copy_of_an_article_notes_its_own_citations(client, login, users):
    """Wagtail's page copy, with "publish copies", sends page_published for the
    copy: its items count from the copy's going live, not from the original's."""
    from tests.factories import home_page
    from tests.testapp.models import ArticlePage

    record = make_evidence(title="Copied item")
    original = make_article([evidence_block(record)], title="Original")
    [noted] = Citation.objects.filter(page=original, evidence=record)
    change_verification(record, users["verifier"], verdict="misleading")
    response = login("admin").post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "The copy",
            "new_slug": "the-copy",
            "new_parent_page": home_page().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    copy = ArticlePage.objects.get(slug="the-copy")
    assert copy.live
    [copied] = Citation.objects.filter(page=copy, evidence=record)
    assert copied.since > noted.since
    # The verdict changed while only the original showed the item: a correction
    # there, none in the copy, which went live with the new verdict.
    assert len(notice_lines(client, original)) == 1
    assert notice_lines(client, copy) == []


def test_a_bulk_publish_notes_the_citations_of_each_article(login, users):
    record = make_evidence(title="Bulk item")
    drafts = [
        make_article([evidence_block(record)], publish=False, title=f"Draft {n}")
        for n in (1, 2)
    ]
    assert not Citation.objects.filter(evidence=record).exists()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = "&".join(f"id={page.pk}" for page in drafts)
    response = login("admin").post(f"{url}?{query}", {})
    assert response.status_code == 302, response.content.decode()[:2000]
    noted = Citation.objects.filter(evidence=record)
    assert sorted(noted.values_list("page_id", flat=True)) == sorted(
        page.pk for page in drafts
    )


def test_a_record_id_stored_as_a_float_is_still_found(db):
    """JSON written behind Django's back may hold 7.0 for 7: the walk that
    loads the blocks' and claims' records together lets each load its own."""
    record = make_evidence()
    article = make_article([evidence_block(record)])
    body = [evidence_block(record), claim_block(record)]
    body[0]["value"]["evidence"] = float(record.pk)
    body[1]["value"]["evidence"] = [float(record.pk)]
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(body))
    citations = ArticlePage.objects.get(pk=article.pk).evidence_citations()
    assert [item.pk for item in citations.shown] == [record.pk]
    assert [citation.evidence.pk for citation in citations] == [record.pk, record.pk]
