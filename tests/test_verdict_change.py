"""When published evidence changes its verdict or warning: every live article
citing it shows the change on its next view, the frontend cache is purged for
those articles in batches, and readers can see what changed and when."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import purge_recorder
from tests.admin_forms import desk_publishes, form_data
from tests.factories import (
    evidence_block,
    make_article,
    make_citing_articles,
    make_evidence,
)
from wagtail_evidence.models import Evidence, PublicChange


pytestmark = pytest.mark.django_db

HISTORY = "the badge changed from Unverified to Partially verified."


@pytest.fixture
def evidence():
    return make_evidence(title="Convoy in Horadiz", verdict="pending")


@pytest.fixture
def articles(evidence):
    return make_citing_articles(evidence, 3)


@pytest.fixture
def purges():
    purge_recorder.BATCHES.clear()
    yield purge_recorder.BATCHES
    purge_recorder.REFUSALS.clear()


def test_citing_live_articles_are_purged_in_batches(
    login, evidence, articles, purges, settings, django_capture_on_commit_callbacks
):
    draft = make_article(
        [evidence_block(evidence)], publish=False, title="Draft", slug="draft"
    )
    settings.WAGTAIL_EVIDENCE = {"PURGE_BATCH_SIZE": 2}
    with django_capture_on_commit_callbacks(execute=True):
        desk_publishes(login, evidence, verdict="verified")
    assert len(purges) == 2
    assert sorted(url for batch in purges for url in batch) == sorted(
        article.full_url for article in articles
    )
    assert draft.full_url not in str(purges)


def test_nothing_is_purged_before_the_transaction_commits(
    login, evidence, articles, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        desk_publishes(login, evidence, verdict="verified")
    assert purges == []
    for callback in callbacks:
        callback()
    assert len(purges) == 1 and len(purges[0]) == len(articles)


def test_the_next_view_shows_the_new_badge_and_the_history(
    client, login, evidence, articles
):
    url = articles[0].url
    assert "Unverified" in client.get(url).content.decode()  # now in the render cache
    desk_publishes(login, evidence, verdict="verified")
    client.logout()
    html = client.get(url).content.decode()
    assert "Partially verified" in html
    assert HISTORY in html


def test_a_warning_change_is_in_the_history_too(client, login, evidence, articles):
    desk_publishes(
        login, evidence, warning_level="graphic", warning_categories="violence"
    )
    changes = [
        (change.aspect, change.before, change.after)
        for change in PublicChange.objects.all()
    ]
    assert changes == [("warning", "none", "graphic")]
    client.logout()
    assert (
        "the content warning changed from No warning to Graphic."
        in client.get(articles[0].url).content.decode()
    )


def test_drafts_leave_no_public_trace(login, evidence, articles):
    desk = login("verifier")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    desk.post(
        url, {**form_data(desk.get(url)), "verdict": "verified"}
    )  # saved as a draft
    assert (
        Evidence.objects.get(pk=evidence.pk).latest_revision.as_object().verdict
        == "verified"
    )
    assert not PublicChange.objects.exists()


def test_the_history_line_can_be_turned_off(
    client, login, evidence, articles, settings
):
    settings.WAGTAIL_EVIDENCE = {"VERIFICATION_HISTORY": False}
    desk_publishes(login, evidence, verdict="verified")
    client.logout()
    html = client.get(articles[0].url).content.decode()
    assert "Partially verified" in html and "Verification history" not in html


def test_deleting_a_record_purges_the_articles_that_cited_it(
    evidence, articles, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.get(pk=evidence.pk).delete()
    assert sorted(url for batch in purges for url in batch) == sorted(
        article.full_url for article in articles
    )


def test_no_reader_sees_the_new_version_without_its_history(
    client, login, evidence, articles
):
    """The history is written in the publish's own transaction, and renews the token."""
    url = articles[0].url
    client.get(url)
    desk_publishes(login, evidence, verdict="verified")
    token = Evidence.objects.get(pk=evidence.pk).render_token
    PublicChange.objects.all().delete()  # e.g. an editor removing an entry
    assert Evidence.objects.get(pk=evidence.pk).render_token != token
    client.logout()
    assert "Verification history" not in client.get(url).content.decode()


def test_a_failed_inline_purge_is_in_the_history_and_the_publish_stands(
    login, evidence, articles, purges, settings, django_capture_on_commit_callbacks
):
    """The immediate backend cannot run a task later: the failure is shown, and
    says it will not be retried."""
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {"BACKEND": "tests.purge_recorder.UnreliableBackend"}
    }
    purge_recorder.REFUSALS[:] = [True]
    with django_capture_on_commit_callbacks(execute=True):
        desk = desk_publishes(login, evidence, verdict="verified")
    assert Evidence.objects.get(pk=evidence.pk).verdict == "verified"
    (failed,) = ModelLogEntry.objects.filter(
        object_id=str(evidence.pk), action="wagtail_evidence.purge_failed"
    )
    assert failed.data["retry_at"] is None
    history = desk.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[evidence.pk])
    ).content.decode()
    assert (
        "The frontend cache purge of 3 articles citing this record failed (attempt "
        "1, ConnectionError) and will not be retried." in " ".join(history.split())
    )


def test_a_failed_purge_after_a_deletion_stays_in_the_site_history(
    evidence, articles, purges, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {"BACKEND": "tests.purge_recorder.UnreliableBackend"}
    }
    purge_recorder.REFUSALS[:] = [True]
    pk = evidence.pk
    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.get(pk=pk).delete()
    (failed,) = ModelLogEntry.objects.filter(
        object_id=str(pk), action="wagtail_evidence.purge_failed"
    )
    assert failed.label == "Convoy in Horadiz"
    assert failed.data["pages"] == sorted(article.pk for article in articles)


def test_withholding_in_a_draft_purges_the_citing_articles_at_once(
    login, articles, purges, django_capture_on_commit_callbacks
):
    """Withholding the coordinates protects people on the ground: a draft that
    withholds them takes effect for readers at once, and the CDN must forget
    the pages that showed them, without waiting for a publication."""
    located = make_evidence(
        title="Camp near Hawar Kilis",
        media_url="https://t.me/demo_observers/31",
        place="Hawar Kilis",
        latitude="36.54512",
        longitude="37.05531",
        location_status="confirmed",
    )
    article = make_article([evidence_block(located)], title="Located", slug="located")
    desk = login("verifier")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[located.pk])
    data = {**form_data(desk.get(url)), "withhold_coordinates": "on"}
    purges.clear()  # the articles' own purges, as Wagtail published them
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(url, data)  # "Save draft", not publish
    assert response.status_code == 302
    assert Evidence.objects.get(pk=located.pk).has_unpublished_changes
    assert [article.full_url] in [sorted(batch) for batch in purges]
    assert all(other.full_url not in str(purges) for other in articles)
