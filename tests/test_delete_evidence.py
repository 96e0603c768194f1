"""Deleting an Evidence record that articles cite is confirmed with the list of
those articles, live and draft; the articles keep rendering, the item withdrawn.
Over HTTP, as the desk and the editors use the admin."""

import re
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import claim_block, evidence_block, make_article, make_evidence
from tests.testapp.models import ArticlePage
from wagtail_evidence.editorial.gate import EvidenceGateError
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

WITHDRAWN = "This item has been withdrawn."
CONSEQUENCE = "readers of these articles will see that the item was withdrawn"


def delete_url(evidence):
    return reverse(
        "wagtailsnippets_wagtail_evidence_evidence:delete", args=[evidence.pk]
    )


def bulk_delete_url(*records):
    query = urlencode([("id", record.pk) for record in records])
    return (
        reverse("wagtail_bulk_action", args=["wagtail_evidence", "evidence", "delete"])
        + "?"
        + query
    )


def save_draft(article, body):
    """A new latest revision; the live row (and so the reference index) keeps the old body."""
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = body
    page.save_revision()
    return page


def text(node):
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def view_live_link(item):
    links = [link for link in item.select("a") if text(link).startswith("View live")]
    return links[0]["href"] if links else None


def citing_list(response, record):
    """{title: the list item's text} in the section about ``record``."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.find(id=f"evidence-citing-{record.pk}")
    if section is None:
        return {}
    items = section.find_parent("section").select(".evidence-citing__article")
    return {text(item.select_one("a")): item for item in items}


@pytest.fixture
def world(users):
    cited = make_evidence(title="Convoy in Horadiz")
    other = make_evidence(title="Training camp")
    articles = {
        "live": make_article(
            [evidence_block(cited)], title="Live article", slug="live-article"
        ),
        "draft": make_article(
            [claim_block(other, cited)],
            publish=False,
            title="Draft article",
            slug="draft-article",
        ),
        "uncited": make_article(
            [evidence_block(other)], title="Uncited article", slug="uncited-article"
        ),
    }
    # Live without the record, its newer draft citing it (in a claim): not in the reference index.
    articles["in a newer draft"] = save_draft(
        make_article(
            [evidence_block(other)], title="Cited in a newer draft", slug="newer-draft"
        ),
        [evidence_block(other), claim_block(cited)],
    )
    # Live with the record, its newer draft without it.
    articles["dropped from the draft"] = save_draft(
        make_article(
            [evidence_block(cited)], title="Dropped from the draft", slug="dropped"
        ),
        [evidence_block(other)],
    )
    return cited, other, articles


def test_the_confirmation_lists_the_citing_articles_live_and_draft_and_only_them(
    login, world
):
    cited, _other, articles = world
    response = login("verifier").get(delete_url(cited))

    listed = citing_list(response, cited)
    assert sorted(listed) == [
        "Cited in a newer draft",
        "Draft article",
        "Dropped from the draft",
        "Live article",
    ]
    assert "Uncited article" not in response.content.decode()

    live = listed["Live article"]
    assert live.select_one("a")["href"] == reverse(
        "wagtailadmin_pages:edit", args=[articles["live"].pk]
    )
    assert "live" in text(live.select_one(".w-status"))
    assert view_live_link(live) == articles["live"].url

    draft = listed["Draft article"]
    assert draft.select_one("a")["href"] == reverse(
        "wagtailadmin_pages:edit", args=[articles["draft"].pk]
    )
    assert "draft" in text(draft.select_one(".w-status"))
    assert view_live_link(draft) is None  # nothing live to view

    assert "Only the latest draft cites it" in text(listed["Cited in a newer draft"])
    assert "Only the live version cites it" in text(listed["Dropped from the draft"])
    assert "Only the" not in text(live)

    page = text(BeautifulSoup(response.content, "html.parser"))
    assert CONSEQUENCE in page
    assert "cannot be published again" in page
    assert "unpublish it" in page  # the desk may publish, so may unpublish instead
    assert "Yes, delete" in page  # confirmed, not refused


def test_a_record_no_article_cites_gets_wagtails_plain_confirmation(login, users):
    record = make_evidence(title="Never used")
    response = login("verifier").get(delete_url(record))
    assert citing_list(response, record) == {}
    assert "cannot be published again" not in response.content.decode()
    assert "Yes, delete" in response.content.decode()


def test_a_record_cited_only_in_drafts_tells_of_no_readers(login, users):
    record = make_evidence(title="Drafted only")
    make_article(
        [evidence_block(record)],
        publish=False,
        title="Unpublished piece",
        slug="unpublished-piece",
    )
    response = login("verifier").get(delete_url(record))
    assert list(citing_list(response, record)) == ["Unpublished piece"]
    page = response.content.decode()
    assert CONSEQUENCE not in page  # nobody reads a draft
    assert "cannot be published again" in page


def test_deleting_cited_evidence_keeps_the_articles_rendering_withdrawn(
    client, login, world
):
    cited, _other, articles = world
    desk = login("verifier")
    response = desk.post(delete_url(cited))

    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=cited.pk).exists()
    client.logout()
    for name in ("live", "dropped from the draft"):
        reader = client.get(articles[name].url)
        assert reader.status_code == 200
        page = reader.content.decode()
        assert WITHDRAWN in page
        assert "Convoy in Horadiz" not in page
    # ...and, as the confirmation said, none of them goes live again while it cites the record
    for name in ("live", "draft", "in a newer draft"):
        with pytest.raises(EvidenceGateError):
            ArticlePage.objects.get(
                pk=articles[name].pk
            ).get_latest_revision().publish()


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_without_delete_permission_every_path_is_refused(login, world, role):
    cited, other, _articles = world
    client = login(role)

    for url in (delete_url(cited), bulk_delete_url(cited, other)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "wagtailadmin_home"
        )
        assert client.post(url).status_code == 302
    assert Evidence.objects.filter(pk__in=[cited.pk, other.pk]).count() == 2


def test_bulk_delete_lists_each_records_citing_articles_then_deletes(
    client, login, world
):
    cited, other, articles = world
    desk = login("verifier")
    url = bulk_delete_url(cited, other)
    response = desk.get(url)

    assert sorted(citing_list(response, cited)) == [
        "Cited in a newer draft",
        "Draft article",
        "Dropped from the draft",
        "Live article",
    ]
    assert sorted(citing_list(response, other)) == [
        "Cited in a newer draft",
        "Draft article",
        "Dropped from the draft",
        "Uncited article",
    ]
    page = text(BeautifulSoup(response.content, "html.parser"))
    assert (
        page.count(CONSEQUENCE) == 1
        and "Are you sure you want to delete 2 evidence?" in page
    )

    response = desk.post(url)
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk__in=[cited.pk, other.pk]).exists()
    client.logout()
    reader = client.get(articles["uncited"].url)
    assert reader.status_code == 200 and WITHDRAWN in reader.content.decode()


def test_the_confirmation_costs_the_same_queries_for_one_article_or_many(login, users):
    once, often = make_evidence(title="Cited once"), make_evidence(title="Cited often")
    make_article([evidence_block(once)], title="Only one", slug="only-one")
    for number in range(3):
        make_article(
            [evidence_block(often)], title=f"Live {number}", slug=f"live-{number}"
        )
        make_article(
            [claim_block(often)],
            publish=False,
            title=f"Draft {number}",
            slug=f"draft-{number}",
        )
        save_draft(
            make_article([], title=f"Newer {number}", slug=f"newer-{number}"),
            [evidence_block(often)],
        )
    client = login("admin")
    client.get(delete_url(once))  # warm the caches of sites and content types

    counts = {}
    for record in (once, often):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(delete_url(record))
        counts[record.title] = len(queries)
        counts[f"{record.title}: listed"] = len(citing_list(response, record))
    assert counts["Cited once: listed"] == 1 and counts["Cited often: listed"] == 9
    assert counts["Cited once"] == counts["Cited often"]
