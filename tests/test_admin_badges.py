"""The admin shows each record's badge as readers see it (its label in its
colour) in the Evidence listing, the register and the chooser, and names a
chosen record in the article editor with its title, badge and warning."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db
CHOOSER = "wagtailsnippetchoosers_wagtail_evidence_evidence"
STATIC = Evidence._meta.app_config.path + "/static/wagtail_evidence/css/"
FSI, PDI = "\u2068", "\u2069"


@pytest.fixture
def records():
    verified = make_evidence(
        title="Mustapha Qanti under fire",
        date_status="confirmed",
        filmed_on=datetime.date(2020, 10, 10),
        identity_status="confirmed",
        authenticity_status="confirmed",
        warning_level="disturbing",
    )
    partial = make_evidence(title="Convoy in Horadiz")
    return verified, partial


def badges(html):
    """{row text's first line: (badge class, badge text)} of a table's rows."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for pill in soup.select(".evidence-admin-badge"):
        row = pill.find_parent("tr")
        modifier = next(
            name.removeprefix("evidence-admin-badge--")
            for name in pill["class"]
            if name.startswith("evidence-admin-badge--")
        )
        title = row.find(["a", "button", "bdi"]).get_text(strip=True)
        found[title] = (modifier, pill.get_text(strip=True))
    return found


def expect(records):
    verified, partial = records
    assert verified.badge == "verified"
    assert partial.badge == "partially_verified"
    return {
        verified.title: ("verified", "Verified"),
        partial.title: ("partially_verified", "Partially verified"),
    }


def test_the_listing_shows_each_badge_in_its_colour(login, records):
    response = login("editor").get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:list")
    )
    assert response.status_code == 200
    assert badges(response.content) == expect(records)


def test_the_register_shows_each_badge_in_its_colour(login, records):
    response = login("verifier").get(reverse("wagtail_evidence:register"))
    assert response.status_code == 200
    assert badges(response.content) == expect(records)


def modal_html(response):
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def test_the_chooser_lists_each_record_with_its_badge_and_warning(login, records):
    client = login("editor")
    html = modal_html(client.get(reverse(f"{CHOOSER}:choose")))
    assert badges(html) == expect(records)
    soup = BeautifulSoup(html, "html.parser")
    headers = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    assert "Badge" in headers and "Content warning" in headers
    rows = {
        row.find("a").get_text(strip=True): row.get_text(" ", strip=True)
        for row in soup.select("tbody tr")
    }
    assert "Disturbing" in rows["Mustapha Qanti under fire"]
    assert "No warning" in rows["Convoy in Horadiz"]
    # Its search results, too.
    results = client.get(reverse(f"{CHOOSER}:choose_results") + "?q=Convoy")
    assert list(badges(results.content)) == ["Convoy in Horadiz"]


def test_choosing_a_record_names_it_with_its_badge_and_warning(login, records):
    verified, _partial = records
    response = login("editor").get(reverse(f"{CHOOSER}:chosen", args=[verified.pk]))
    assert response.status_code == 200
    result = json.loads(response.content)["result"]
    assert result["string"] == (
        f"{FSI}Mustapha Qanti under fire{PDI} · Verified · Disturbing"
    )


def chosen_strings(response):
    """How the article editor's blocks name each chosen record, in order."""
    soup = BeautifulSoup(response.content, "html.parser")
    node = soup.find(id="body", attrs={"data-w-block-arguments-value": True})
    (blocks,) = json.loads(node["data-w-block-arguments-value"])[:1]
    return [block["value"]["evidence"]["string"] for block in blocks]


def test_the_article_editor_names_each_cited_record_with_its_badge(login, records):
    verified, partial = records
    article = make_article([evidence_block(verified), evidence_block(partial)])
    response = login("editor").get(
        reverse("wagtailadmin_pages:edit", args=[article.pk])
    )
    assert response.status_code == 200
    assert chosen_strings(response) == [
        f"{FSI}Mustapha Qanti under fire{PDI} · Verified · Disturbing",
        f"{FSI}Convoy in Horadiz{PDI} · Partially verified · No warning",
    ]


def test_a_chosen_title_cannot_reorder_the_badge_beside_it(login):
    record = make_evidence(title="\u202eerif rednu\u2069 tail")
    response = login("editor").get(reverse(f"{CHOOSER}:chosen", args=[record.pk]))
    string = json.loads(response.content)["result"]["string"]
    assert string == f"{FSI}erif rednu tail{PDI} · Partially verified · No warning"


def test_every_admin_page_loads_the_badge_styles(login):
    response = login("editor").get(reverse("wagtailadmin_home"))
    soup = BeautifulSoup(response.content, "html.parser")
    links = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert any(
        href.startswith("/static/wagtail_evidence/css/admin.css?v=") for href in links
    )


def colours(css):
    """The custom properties of the first rule that sets them: the light
    palette (the reader's dark one comes later, under prefers-color-scheme)."""
    first = re.search(r"\{[^{}]*--evidence-[^{}]*\}", css).group(0)
    return dict(re.findall(r"(--evidence-[a-z]+):\s*(#[0-9a-f]{6})", first))


def test_the_admin_badge_has_the_readers_colours():
    with open(STATIC + "admin.css") as admin, open(STATIC + "evidence.css") as reader:
        admin_colours, reader_colours = colours(admin.read()), colours(reader.read())
    assert set(admin_colours) == {
        "--evidence-verified",
        "--evidence-partial",
        "--evidence-unverified",
        "--evidence-disputed",
        "--evidence-false",
    }
    assert admin_colours == {name: reader_colours[name] for name in admin_colours}
