"""One Evidence record, three articles: English, French and Arabic.

The demo site has Wagtail's internationalisation on (en, fr, ar). Evidence is a
snippet shared by every language; what the package renders for readers (badge,
labels, dates, warnings) follows each article's language, with the render cache
on, and never the reader's browser.
"""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from newsroom.models import ArticlePage

from wagtail_evidence.reader.render_cache import get_cache


pytestmark = pytest.mark.django_db

CAMP = "Training camp near Hawar Kilis"
# What each language's article must say, and must not: the package's own words.
EXPECTED = {
    "en": {
        "dir": "ltr",
        "badge": "Partially verified",
        "warning": "Warning:",
        "first_seen": "online since 25 September 2020",
        "facet": "Confirmed: Hawar Kilis, Northern Aleppo, Syria, geolocated by Obretix",
        "cover": "Warning: graphic content (Violence, Dead or injured people)",
    },
    "fr": {
        "dir": "ltr",
        "badge": "Partiellement vérifié",
        "warning": "Avertissement\u00a0:",
        "first_seen": "en ligne depuis le 25 septembre 2020",
        "facet": "Confirmé\u00a0: Hawar Kilis, Northern Aleppo, Syria (géolocalisation\u00a0: Obretix)",
        "cover": "Avertissement\u00a0: contenu choquant (Violence, Personnes mortes ou blessées)",
    },
    "ar": {
        "dir": "rtl",
        "badge": "متحقَّق منه جزئيًا",
        "warning": "تحذير:",
        "first_seen": "منشور منذ 25 سبتمبر، 2020",
        "facet": "مؤكَّد: Hawar Kilis، Northern Aleppo، Syria (تحديد الموقع: Obretix)",
        "cover": "تحذير: محتوى صادم (عنف، قتلى أو جرحى)",
    },
}


@pytest.fixture
def articles(demo, settings):
    """The demo article and its French and Arabic translations, render cache on."""
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    call_command("load_demo_translations", stdout=io.StringIO())
    cache.clear()
    return {
        language: ArticlePage.objects.get(
            translation_key=demo.translation_key, locale__language_code=language
        )
        for language in EXPECTED
    }


def test_the_addresses_it_prints_are_the_translated_articles(client, demo):
    out = io.StringIO()
    call_command("load_demo_translations", stdout=out)
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert set(printed) == {"fr", "ar"}
    for language, url in printed.items():
        article = ArticlePage.objects.get(
            translation_key=demo.translation_key, locale__language_code=language
        )
        assert url == article.url
        assert client.get(url).status_code == 200, url


def norm(words):
    return re.sub(r"\s+", " ", words).strip()  # no-break spaces too


def text(node):
    return norm(node.get_text())


def read(client, page, **headers):
    response = client.get(page.url, **headers)
    assert response.status_code == 200, page.url
    return BeautifulSoup(response.content, "html.parser")


def section(soup, position):
    """The demo's first evidence block (the camp), whatever its heading says."""
    return soup.select("section.evidence")[position]


def assert_in_language(soup, language):
    expected = {key: norm(words) for key, words in EXPECTED[language].items()}
    camp = section(soup, 0)
    assert text(camp.select_one(".evidence-badge__pill")) == expected["badge"]
    assert text(camp.select_one(".evidence-facet__value")).startswith(expected["facet"])
    assert expected["first_seen"] in text(camp.select_one(".evidence-appearances"))
    warning = soup.select_one("aside.evidence-article-warning")
    assert (
        text(warning.select_one(".evidence-article-warning__title"))
        == expected["warning"]
    )
    covers = [
        text(cover.select_one(".evidence-media__warning-title"))
        for cover in soup.select("[data-evidence-cover]")
    ]
    assert expected["cover"] in covers
    for other, words in EXPECTED.items():
        if other != language:
            assert norm(words["badge"]) not in text(soup), (
                f"{other} words in the {language} article"
            )


def test_every_language_cites_the_same_evidence_records(articles):
    cited = {
        language: article.cited_evidence_ids for language, article in articles.items()
    }
    assert cited["en"] and cited["en"] == cited["fr"] == cited["ar"]
    assert {article.locale.language_code for article in articles.values()} == {
        "en",
        "fr",
        "ar",
    }


def test_each_article_renders_in_its_own_language_with_the_cache_on(client, articles):
    assert get_cache() is not None
    urls = {language: article.url for language, article in articles.items()}
    assert (
        urls["fr"].startswith("/fr/")
        and urls["ar"].startswith("/ar/")
        and not urls["en"].startswith("/en/")
    )
    # Twice round, in an order that would serve one language's cached blocks to
    # another if the cache ignored the language.
    for _round in range(2):
        for language in ("fr", "ar", "en"):
            soup = read(client, articles[language])
            assert (
                soup.html["lang"] == language
                and soup.html["dir"] == EXPECTED[language]["dir"]
            )
            assert_in_language(soup, language)


def test_the_readers_browser_language_does_not_change_the_article(client, articles):
    for language, browser in (("fr", "ar"), ("ar", "en"), ("en", "fr")):
        soup = read(client, articles[language], HTTP_ACCEPT_LANGUAGE=browser)
        assert_in_language(soup, language)


def test_the_package_follows_the_page_whatever_language_is_active(rf, articles):
    """Without a language prefix to set it (one site per language, say), the
    active language may be the browser's: the package's fragments still follow
    the page's locale, and the cache keeps both apart."""
    page = articles["fr"]
    for active in ("ar", "en"):
        request = rf.get(page.url)
        request.user = AnonymousUser()
        with translation.override(active):
            response = page.serve(request)
            response.render()
        soup = BeautifulSoup(response.content, "html.parser")
        assert (
            soup.html["lang"] == active
        )  # the project's own template follows the active language
        assert_in_language(soup, "fr")


def test_claims_and_dates_follow_the_article(client, articles):
    soup = read(client, articles["ar"])
    sohr = next(
        claim for claim in soup.select("section.claim") if claim.select_one("time")
    )
    assert text(sohr.select_one(".claim__stance")) == "ادعاء"
    assert "لم يُتحقَّق منه بشكل مستقل" in text(sohr.select_one(".claim__assessment"))
    assert text(sohr.select_one("time")) == "18 أكتوبر، 2020"
    assert sohr.select_one("time")["datetime"] == "2020-10-18"
    assert text(sohr.select_one(".claim__attribution")).startswith(
        "المرصد السوري لحقوق الإنسان (منظمة غير حكومية أو جهة رصد)، في 18 أكتوبر، 2020"
    )
    french = read(client, articles["fr"])
    sohr = next(
        claim for claim in french.select("section.claim") if claim.select_one("time")
    )
    assert text(sohr.select_one(".claim__attribution")).startswith(
        "Observatoire syrien des droits de l'homme (OSDH) "
        "(une ONG ou un observatoire), le 18 octobre 2020"
    )


# "Oct. 25, 2020": Django's default for English, not how the desk writes dates.
MONTH_FIRST = re.compile(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b")


def test_each_language_writes_every_date_one_way(client, articles):
    """The claim's date, the appearances' "online since", the facets' dates and
    the demo's own text agree in each language: one format per locale."""
    from datetime import date

    from django.utils.formats import date_format

    days = [date(2020, 9, 25), date(2020, 10, 10), date(2020, 10, 25)]
    for language, article in articles.items():
        page = BeautifulSoup(client.get(article.url).content, "html.parser")
        words = re.sub(r"\s+", " ", page.body.get_text())
        with translation.override(language):
            written = [date_format(day, "DATE_FORMAT") for day in days]
        for day in written:
            assert day in words, (language, day)
        assert MONTH_FIRST.findall(words) == [], language
        # Every <time> the package writes reads as that locale's DATE_FORMAT.
        times = page.select("time[datetime]")
        assert times, language
        # A full date reads as DATE_FORMAT; "2019" (a claim known by its year) as itself.
        for element in times:
            if len(element["datetime"]) == 4:
                assert element.get_text(strip=True) == element["datetime"]
                continue
            day = date.fromisoformat(element["datetime"][:10])
            with translation.override(language):
                assert element.get_text(strip=True) == date_format(
                    day, "DATE_FORMAT"
                ), (language, element)
