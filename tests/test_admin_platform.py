"""The platform in the admin's tables: its name ("Telegram"), never its stored
code ("telegram"), and a filter by name that can also find link-only media."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_evidence
from wagtail_evidence.media.providers import get_provider


pytestmark = pytest.mark.django_db
LISTING = reverse("wagtailsnippets_wagtail_evidence_evidence:list")
REGISTER = reverse("wagtail_evidence:register")


@pytest.fixture
def records():
    return {
        "Camp": make_evidence(title="Camp"),  # the factory's Telegram address
        "Bodies": make_evidence(title="Bodies", media_url="https://x.com/a/status/1"),
        "Relayed": make_evidence(
            title="Relayed", media_url="https://aleppo-news.example/v", display="link"
        ),
    }


def platform_cells(response):
    """{title: the text of its Platform cell}, read from the table's headings."""
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    column = next(i for i, text in enumerate(headings) if text.startswith("Platform"))
    rows = {}
    for row in soup.select("table tbody tr"):
        cells = row.find_all("td", recursive=False)
        title = row.select_one("td a").get_text(strip=True)
        rows[title] = cells[column].get_text(" ", strip=True)
    return rows


def listed_titles(response):
    return sorted(platform_cells(response))


@pytest.mark.parametrize("url", [LISTING, REGISTER])
def test_tables_name_the_platform(login, records, url):
    response = login("editor").get(url)
    assert response.status_code == 200
    assert platform_cells(response) == {
        "Bodies": "X (Twitter)",
        "Camp": "Telegram",
        "Relayed": "",
    }


@pytest.mark.parametrize("url", [LISTING, REGISTER])
@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("telegram", ["Camp"]),
        ("x", ["Bodies"]),
        ("link_only", ["Relayed"]),
        ("", ["Bodies", "Camp", "Relayed"]),  # the empty choice: every platform
    ],
)
def test_the_platform_filter_finds_each_platform_and_link_only_media(
    login, records, url, platform, expected
):
    response = login("editor").get(url, {"provider": platform})
    assert response.status_code == 200
    assert listed_titles(response) == expected


@pytest.mark.parametrize("url", [LISTING, REGISTER])
def test_the_filter_offers_platforms_by_name(login, records, url):
    soup = BeautifulSoup(login("editor").get(url).content, "html.parser")
    options = {
        option["value"]: option.get_text(strip=True)
        for option in soup.select('[name="provider"] option, input[name="provider"]')
        if option.get("value")
    }
    assert options["telegram"] == "Telegram"
    assert options["link_only"] == "Link only"


def test_a_provider_the_settings_no_longer_list_keeps_its_built_in_name(
    records, settings
):
    camp = records["Camp"]
    settings.WAGTAIL_EVIDENCE = {"PROVIDERS": []}
    assert get_provider("telegram") is None
    assert camp.platform_label == "Telegram"
    camp.provider = "retired_platform"
    assert camp.platform_label == "retired_platform"
