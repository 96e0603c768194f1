import pytest

from tests.browser.chromium import browser, open_reader  # noqa: F401 (fixtures)


@pytest.fixture
def article_url(live_server, migrated_database):
    """An article with an item of each kind on the live server, which reads
    committed rows, hence a transactional database."""
    from tests.factories import make_showcase_article

    return live_server.url + make_showcase_article().url
