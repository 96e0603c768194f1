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
