"""The register's "Used in" counts an article once with its translations, and
says how many pages that is."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale

from tests.factories import evidence_block, make_article, make_evidence


pytestmark = pytest.mark.django_db
URL = reverse("wagtail_evidence:register")


def translate(article, language):
    locale, _created = Locale.objects.get_or_create(language_code=language)
    translation = article.copy_for_translation(locale, copy_parents=True)
    translation.save_revision().publish()
    return translation


def used_in(response):
    """{title: the text of its "Used in" cell}."""
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    column = next(i for i, text in enumerate(headings) if text.startswith("Used in"))
    return {
        row.select_one("td a").get_text(strip=True): row.find_all(
            "td", recursive=False
        )[column].get_text(" ", strip=True)
        for row in soup.select("table tbody tr")
    }


def test_an_article_and_its_translations_count_once(login):
    translated = make_evidence(title="Translated")
    twice = make_evidence(title="Twice")
    make_evidence(title="Unused")
    article = make_article(
        [evidence_block(translated), evidence_block(twice)], title="One", slug="one"
    )
    translate(article, "fr")
    translate(article, "ar")
    make_article([evidence_block(twice)], title="Two", slug="two")

    cells = used_in(login("editor").get(URL))

    assert cells == {
        "Translated": "1 page (3 with translations)",
        # Two articles, one of them in three languages: four pages.
        "Twice": "2 pages (4 with translations)",
        "Unused": "Not used",
    }
