import io
import os

import pytest
from django.core.management import call_command

from tests.browser.chromium import browser, open_reader  # noqa: F401 (fixtures)


@pytest.fixture
def article_url(live_server, migrated_database):
    """The demo article on the live server, which reads committed rows, hence a
    transactional database."""
    call_command("load_demo", password="browser-tests", stdout=open(os.devnull, "w"))
    from newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    return live_server.url + article.url


@pytest.fixture
def arabic_url(article_url, live_server):
    """The demo article's Arabic translation (same evidence records), on the live server."""
    call_command("load_demo_translations", stdout=io.StringIO())
    from newsroom.models import ArticlePage

    english = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    arabic = ArticlePage.objects.get(
        translation_key=english.translation_key, locale__language_code="ar"
    )
    return live_server.url + arabic.url
