"""Archive now and Check sources in bulk, from the register and from the
Evidence listing, as an editor starts them: "Select all in listing" means the
records the listing showed (its search and filters), never every record of the
site, and a bulk start takes at most MAX_RECORDS records."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests import fake_archive_services
from tests.factories import make_evidence
from wagtail_evidence.admin.views import sources
from wagtail_evidence.models import ArchivedCopy, SourceTask


pytestmark = pytest.mark.django_db
save_page_now = fake_archive_services.save_page_now

REGISTER = "wagtail_evidence:register"
LISTING = "wagtailsnippets_wagtail_evidence_evidence:list"


@pytest.fixture
def records():
    """Two records of the Telegram channel and one YouTube video."""
    return {
        "camp": make_evidence(
            title="Training camp", media_url="https://t.me/demo_observers/2501"
        ),
        "convoy": make_evidence(
            title="Convoy at night", media_url="https://t.me/demo_observers/2533"
        ),
        "relay": make_evidence(
            title="A relay of the convoy",
            media_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
    }


def select_all_url(action, listing, **query):
    """The address Wagtail's bulk-actions script opens for "Select all in
    listing": the listing's own query, id=all, and the listing as next."""
    listing_url = reverse(listing) + (f"?{urlencode(query)}" if query else "")
    params = [*query.items(), ("id", "all"), ("next", listing_url)]
    return (
        reverse("wagtail_bulk_action", args=["wagtail_evidence", "evidence", action])
        + "?"
        + urlencode(params)
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {})
        assert response.status_code == 302
        return client.get(response["Location"])

    return send


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def archived(records):
    return {
        name
        for name, record in records.items()
        if ArchivedCopy.objects.filter(evidence=record).exists()
    }


def test_the_register_offers_the_bulk_actions_on_its_records(login, records):
    page = BeautifulSoup(login("editor").get(reverse(REGISTER)).content, "html.parser")
    checkboxes = page.select("input[data-bulk-action-checkbox]")
    assert {box["data-object-id"] for box in checkboxes} == {
        str(record.pk) for record in records.values()
    }
    # Each checkbox is described by its record's title, for screen readers.
    for box in checkboxes:
        title = page.find(id=box["aria-describedby"])
        assert title.get_text(strip=True) in {r.title for r in records.values()}
    footer = page.select_one("[data-bulk-action-footer]")
    actions = {link.get_text(strip=True) for link in footer.select("a")}
    assert {"Archive now", "Check sources"} <= actions


def test_select_all_in_a_filtered_register_archives_what_it_listed_only(
    login, records, save_page_now, post
):
    client = login("editor")
    url = select_all_url("archive_sources", REGISTER, provider="telegram")

    confirm = text(client.get(url))
    assert "Archive now: these 2 records." in confirm
    assert "A relay of the convoy" not in confirm
    assert save_page_now.requests == []  # the confirmation starts nothing

    done = text(post(client, url))
    assert "Archiving started for 2 records." in done
    assert archived(records) == {"camp", "convoy"}


def test_select_all_in_a_searched_evidence_listing_takes_its_search(
    login, records, save_page_now, post
):
    client = login("editor")
    url = select_all_url("archive_sources", LISTING, q="convoy")

    assert "Archive now: these 2 records." in text(client.get(url))
    post(client, url)
    assert archived(records) == {"convoy", "relay"}


def test_more_records_than_a_bulk_start_takes_are_refused_before_and_at_the_post(
    login, records, save_page_now, post, monkeypatch
):
    monkeypatch.setattr(sources, "MAX_RECORDS", 2)
    client = login("editor")
    url = select_all_url("archive_sources", REGISTER)

    confirm = BeautifulSoup(client.get(url).content, "html.parser")
    assert (
        "3 records are selected; start this for at most 2 at a time."
        in confirm.get_text(" ", strip=True)
    )
    assert confirm.select("form button[type=submit]") == []

    refused = text(post(client, url))  # a form kept from before the listing grew
    assert "3 records are selected; start this for at most 2 at a time." in refused
    assert not SourceTask.objects.exists()
    assert save_page_now.requests == []


def test_select_all_from_an_address_that_is_no_listing_selects_nothing(
    login, records, save_page_now, django_capture_on_commit_callbacks
):
    client = login("editor")
    url = (
        reverse(
            "wagtail_bulk_action",
            args=["wagtail_evidence", "evidence", "check_sources"],
        )
        + "?"
        + urlencode([("id", "all"), ("next", reverse("wagtailadmin_home"))])
    )

    assert "these" not in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {})
    assert not SourceTask.objects.exists()


def test_the_register_lists_the_records_never_archived_or_failed_to_archive_again(
    login, records, save_page_now, post
):
    client = login("editor")
    post(client, select_all_url("archive_sources", REGISTER, provider="youtube"))
    SourceTask.objects.create(  # as a run the service refused ends
        evidence=records["convoy"],
        kind="archive",
        state="failed",
        requested_at=timezone.now(),
    )

    def listed(state):
        page = BeautifulSoup(
            client.get(reverse(REGISTER), {"archive": state}).content, "html.parser"
        )
        return {
            title.get_text(strip=True)
            for title in page.select('tbody tr [id^="snippet_"][id$="_title"]')
        }

    assert listed("never") == {"Training camp"}
    assert listed("failed") == {"Convoy at night"}
    assert listed("done") == {"A relay of the convoy"}
    url = select_all_url("archive_sources", REGISTER, archive="never")
    assert "Archive now: this record." in text(client.get(url))
