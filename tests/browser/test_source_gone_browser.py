"""In Chromium: an item whose source deleted the media falls back to its
archived copy: the reader reads that the source removed it and gets a dated
link to the copy; no player, nothing loaded from the platform or the archive;
accessible, and the page's Content Security Policy holds."""

from datetime import UTC, datetime

import pytest


pytestmark = pytest.mark.browser

MEDIA = "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"
COPY = f"https://web.archive.org/web/20201003120000/{MEDIA}"
GONE = "Convoy filmed from a balcony"
THERE = "Fighters on the front line"


@pytest.fixture
def article_url(live_server, migrated_database):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tests.factories import evidence_block, make_article, make_evidence
    from wagtail_evidence.archives import tasks
    from wagtail_evidence.editorial.roles import VERIFICATION_DESK, setup_roles
    from wagtail_evidence.models import ArchivedCopy

    setup_roles()
    desk = get_user_model().objects.create_user("desk", "desk@example.org", "x")
    desk.groups.add(Group.objects.get(name=VERIFICATION_DESK))
    gone = make_evidence(title=GONE, media_url=MEDIA)
    ArchivedCopy.objects.create(
        evidence=gone,
        captured_url=MEDIA,
        archive_url=COPY,
        service="Internet Archive",
        captured_at=datetime(2020, 10, 3, 12, tzinfo=UTC),
    )
    tasks.set_status(gone, MEDIA, "deleted", desk)
    there = make_evidence(title=THERE, media_url="https://t.me/demo_observers/2701")
    article = make_article([evidence_block(gone), evidence_block(there)])
    return live_server.url + article.url


def item(page, title):
    return page.locator("section.evidence", has=page.locator("h3", has_text=title))


def test_a_gone_source_falls_back_to_its_archived_copy(open_reader):
    from axe_playwright_python.sync_playwright import Axe

    reader = open_reader()
    page = reader.page
    gone = item(page, GONE)
    assert gone.get_by_text("The source has removed this media.").is_visible()
    link = gone.get_by_role(
        "link",
        name="See the archived copy on web.archive.org, captured on Oct. 3, 2020",
    )
    assert link.is_visible()
    assert link.get_attribute("href") == COPY
    # No player to load: no consent button, no player template, no frame.
    assert gone.locator("[data-evidence-action=load]").count() == 0
    assert gone.locator("template[data-evidence-player], iframe").count() == 0
    # The other item keeps its consent-first player.
    assert item(page, THERE).locator("[data-evidence-action=load]").is_visible()
    assert reader.third_party() == []
    # The test's bare article has no h2 between its title and the items' h3s
    # (the showcase article has): heading order is the article's, not the item's.
    result = Axe().run(page, options={"rules": {"heading-order": {"enabled": False}}})
    assert result.violations_count == 0, result.generate_report()
    assert reader.csp_violations() == []


def test_an_editor_archives_from_the_sources_page_and_sees_the_outcome(
    browser, live_server, migrated_database, users, settings
):
    """Against a fake Save Page Now: the button, the state, the copies; the
    page is accessible in both directions of text."""
    from axe_playwright_python.sync_playwright import Axe
    from django.urls import reverse

    from tests.browser.chromium import admin_tab
    from tests.conftest import PASSWORD
    from tests.factories import make_evidence
    from tests.fake_archive_services import FakeService, SavePageNowHandler

    fake = FakeService(SavePageNowHandler)
    settings.WAGTAIL_EVIDENCE = {
        "ARCHIVE_OPTIONS": {
            "access_key": "k",
            "secret_key": "s",
            "endpoint": fake.url,
            "poll_interval": 0,
        }
    }
    try:
        record = make_evidence(media_url="https://t.me/demo_observers/2501")
        page = admin_tab(browser, live_server.url, "editor", PASSWORD)
        page.goto(
            live_server.url + reverse("wagtail_evidence:sources", args=[record.pk])
        )
        page.get_by_role("button", name="Archive now").click()
        page.wait_for_load_state("networkidle")
        assert (
            page.locator("[data-evidence-task=archive]").inner_text().startswith("Done")
        )
        assert page.get_by_role("link", name="Internet Archive, captured").is_visible()
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        page.context.close()
    finally:
        fake.stop()
