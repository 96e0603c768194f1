"""The demo's reader pages can be kept by a shared cache (a CDN, a proxy): read
anonymously, an article sets no cookie and varies on neither the cookie nor the
browser's language, in each of its languages, since its URL names the language
(newsroom/middleware.py)."""

import io
import re

import pytest
from django.core.management import call_command
from newsroom.models import ArticlePage


pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(demo):
    call_command("load_demo_translations", stdout=io.StringIO())
    return {
        language: ArticlePage.objects.get(
            translation_key=demo.translation_key, locale__language_code=language
        )
        for language in ("en", "fr", "ar")
    }


def vary(response):
    return {
        header.lower()
        for header in re.split(r"\s*,\s*", response.get("Vary", ""))
        if header
    }


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("browser", ["", "ar,fr;q=0.8", "fr"])
def test_an_article_read_anonymously_is_the_same_for_every_reader(
    client, articles, language, browser
):
    article = articles[language]
    response = client.get(article.url, HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 200
    assert article.url.startswith(f"/{language}/") == (language != "en")
    assert response["Content-Language"] == language  # the URL's, not the browser's
    assert not response.cookies, response.cookies.output()
    assert "set-cookie" not in {name.lower() for name in response.headers}
    assert vary(response).isdisjoint({"cookie", "accept-language", "*"}), vary(response)


def test_the_api_in_the_default_language_does_not_vary_on_the_browsers_either(
    client, articles
):
    english = client.get(f"/api/v2/pages/{articles['en'].pk}/")
    french = client.get(
        f"/api/v2/pages/{articles['en'].pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert english.content == french.content
    assert "accept-language" not in vary(french)
    assert "accept" in vary(french)  # what the middleware leaves of Vary: the rest


def test_where_the_browser_chooses_the_language_vary_still_says_so(
    client, articles, settings
):
    """With a prefix on every language, Django's LocaleMiddleware reads
    Accept-Language to redirect an unprefixed address, and says so in Vary:
    the demo's middleware leaves that alone."""
    settings.ROOT_URLCONF = "tests.demo.prefixed_urls"
    response = client.get(
        "/syrian-fighters-nagorno-karabakh/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/syrian-fighters-nagorno-karabakh/"
    assert "accept-language" in vary(response)
