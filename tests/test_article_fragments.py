"""An article's JSON-LD and corrections notice are cached as its evidence
blocks are (reader.article_fragments), and never stale.

Each door test reads the article twice, the second view served from the cache
(none of the queries the two need runs), changes one thing either reads, and
reads again: the change shows at once, and both are what the page gives with
the cache off, character for character.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from tests import fake_archive_services
from tests.admin_forms import desk_publishes
from tests.factories import (
    claim_block,
    evidence_block,
    home_page,
    make_article,
    make_evidence,
)
from tests.json_ld_rules import CRAWLER_HOST, graph
from tests.testapp.models import ArticlePage, HomePage
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Appearance, Evidence
from wagtail_evidence.reader import article_fragments
from wagtail_evidence.reader.render_cache import renew_render_token


pytestmark = pytest.mark.django_db
save_page_now = fake_archive_services.save_page_now

MEDIA = "https://t.me/demo_observers/2501"
JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)
NOTICE = re.compile(r'<aside class="evidence-corrections".*?</aside>', re.S)
# What the two fragments query, and nothing else on a page served from the cache.
FRAGMENT_TABLES = (
    "wagtail_evidence_appearance",
    "wagtail_evidence_publicchange",
    "wagtail_evidence_archivedcopy",
    "wagtail_evidence_citation",
)


@pytest.fixture(autouse=True)
def crawler_site(db):
    """The default site named as the host the test client requests."""
    home_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.site_name = CRAWLER_HOST, 80, "The Observers"
    site.save()
    return site


@pytest.fixture
def record():
    return make_evidence(
        title="Convoy in Horadiz",
        media_url=MEDIA,
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        appearances=[Appearance(platform="telegram", account="A channel", url=MEDIA)],
    )


@pytest.fixture
def article(record):
    return make_article(
        [evidence_block(record), claim_block(record, statement="No convoy.")],
        slug="convoy",
    )


def fragments(html):
    """The page's JSON-LD script and corrections notice ("" where none)."""
    return tuple(
        found.group(0) if found else ""
        for found in (JSON_LD.search(html), NOTICE.search(html))
    )


def view(client, page):
    """The page's HTML, and the tables of the fragments it queried."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    queried = {
        table
        for table in FRAGMENT_TABLES
        for query in queries.captured_queries
        if f'"{table}"' in query["sql"]
    }
    return response.content.decode(), queried


def uncached(client, page, settings):
    kept = settings.WAGTAIL_EVIDENCE
    settings.WAGTAIL_EVIDENCE = {**kept, "RENDER_CACHE": None}
    try:
        html, _queried = view(client, page)
    finally:
        settings.WAGTAIL_EVIDENCE = kept
    return fragments(html)


def cached_view(client, page):
    """Read twice: the second view must come from the cache, as it was first."""
    first, _queried = view(client, page)
    second, queried = view(client, page)
    assert queried == set(), f"not served from the cache: {queried}"
    assert fragments(second) == fragments(first)
    return second


def fresh_view(client, page, settings):
    """A view after a change: what the page gives with the cache off."""
    html, _queried = view(client, page)
    assert fragments(html) == uncached(client, page, settings)
    return html


def reviews(html, kind="MediaReview"):
    return graph(html, kind)


def notice(html):
    return fragments(html)[1]


# Served from the cache


def test_a_repeat_view_reads_neither_from_the_database(client, article, settings):
    shown = cached_view(client, article)
    assert fragments(shown) == uncached(client, article, settings)
    [review] = reviews(shown)
    assert review["mediaAuthenticityCategory"].endswith("OriginalMediaContent")
    [claim] = reviews(shown, "ClaimReview")
    assert claim["claimReviewed"] == "No convoy."


def test_with_the_cache_off_both_are_worked_out_on_every_view(
    client, article, settings
):
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": None}
    view(client, article)
    shown, queried = view(client, article)
    assert {"wagtail_evidence_appearance", "wagtail_evidence_citation"} <= queried
    assert reviews(shown)


def test_an_unreachable_cache_costs_speed_not_the_page(client, article, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    cache = article_fragments.render_cache.get_cache()
    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set_many", down)
    shown, queried = view(client, article)
    assert reviews(shown) and "wagtail_evidence_appearance" in queried


# Doors: each change shows at once


def test_the_desk_publishing_a_verdict_shows_at_once(
    client, users, article, record, settings
):
    assert notice(cached_view(client, article)) == ""
    change_verification(record, users["verifier"], verdict="misleading")
    shown = fresh_view(client, article, settings)
    assert "now rates “Convoy in Horadiz” False or misleading" in strip_tags(
        notice(shown)
    )
    [review] = reviews(shown)
    assert "False or misleading" in review["correction"][0]["text"]


def test_the_desk_publishing_through_the_admin_shows_at_once(
    client, login, article, record, settings
):
    cached_view(client, article)
    desk_publishes(login, record, authenticity_category="EditedOrCroppedContent")
    client.logout()  # back to a reader
    [review] = reviews(fresh_view(client, article, settings))
    assert review["mediaAuthenticityCategory"].endswith("EditedOrCroppedContent")


def test_an_appearance_added_on_its_own_shows_at_once(
    client, article, record, settings
):
    cached_view(client, article)
    Appearance.objects.create(
        evidence=record, platform="x", url="https://x.com/relay/status/1", sort_order=1
    )
    [review] = reviews(fresh_view(client, article, settings))
    urls = [item.get("url") for item in review["itemReviewed"]["mediaItemAppearance"]]
    assert "https://x.com/relay/status/1" in urls


def test_a_copy_the_archive_task_captured_shows_at_once(
    client,
    login,
    article,
    record,
    settings,
    save_page_now,
    django_capture_on_commit_callbacks,
):
    cached_view(client, article)
    editor = login("editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtail_evidence:sources", args=[record.pk]), {"action": "archive"}
        )
    assert response.status_code == 302
    editor.logout()  # back to a reader
    assert record.archived_copies.exists()
    [review] = reviews(fresh_view(client, article, settings))
    [media] = review["itemReviewed"]["mediaItemAppearance"]
    assert media["archivedAt"] == [
        copy.archive_url for copy in record.archived_copies.all()
    ]


def test_a_replaced_video_file_is_linked_at_once(client, settings):
    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"one", name="clip-one.mp4")
    )
    record = make_evidence(
        media_url="",
        video_file=video,
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
    )
    article = make_article([evidence_block(record)], slug="clip")
    assert "clip-one" in fragments(cached_view(client, article))[0]
    video.file = ContentFile(b"two", name="clip-two.mp4")
    video.save()
    shown = fresh_view(client, article, settings)
    script = fragments(shown)[0]
    assert "clip-two" in script and "clip-one" not in script


def test_a_record_withdrawn_leaves_at_once(client, article, record, settings):
    cached_view(client, article)
    record.unpublish()
    shown = fresh_view(client, article, settings)
    assert reviews(shown) == [] and reviews(shown, "ClaimReview")


def test_a_change_behind_djangos_back_shows_once_the_token_is_renewed(
    client, article, record, settings
):
    cached_view(client, article)
    records = Evidence.objects.filter(pk=record.pk)
    records.update(authenticity_status="disputed")
    renew_render_token(records)
    assert reviews(fresh_view(client, article, settings)) == []


def test_the_article_republished_with_a_new_assessment_shows_at_once(
    client, article, record, settings
):
    cached_view(client, article)
    article = ArticlePage.objects.get(pk=article.pk)
    article.body = [
        evidence_block(record),
        claim_block(record, statement="No convoy.", assessment="consistent"),
    ]
    article.save_revision().publish()
    [claim] = reviews(fresh_view(client, article, settings), "ClaimReview")
    assert claim["reviewRating"]["alternateName"] == "Consistent with evidence"


def test_the_article_saved_without_a_revision_shows_at_once(
    client, article, record, settings
):
    """A script that saves the live row as it is (no publication, no new
    date): the stored streams are in the key."""
    cached_view(client, article)
    article = ArticlePage.objects.get(pk=article.pk)
    article.body = [evidence_block(record), claim_block(record, statement="Changed.")]
    article.save()
    [claim] = reviews(fresh_view(client, article, settings), "ClaimReview")
    assert claim["claimReviewed"] == "Changed."


def test_a_record_added_later_brings_no_earlier_corrections(
    client, users, article, record, settings
):
    """Since when the article shows a record is noted when it is published."""
    other = make_evidence(title="Training camp", media_url="https://t.me/demo/9")
    change_verification(other, users["verifier"], verdict="misleading")
    cached_view(client, article)
    article = ArticlePage.objects.get(pk=article.pk)
    article.body = [evidence_block(record), evidence_block(other)]
    article.save_revision().publish()
    assert notice(fresh_view(client, article, settings)) == ""


def test_a_renamed_site_shows_at_once(client, article, crawler_site, settings):
    cached_view(client, article)
    crawler_site.site_name = "Les Observateurs"
    crawler_site.save()
    [review] = reviews(fresh_view(client, article, settings))
    assert review["author"]["name"] == "Les Observateurs"


def test_an_article_whose_section_moved_shows_its_new_address_at_once(
    client, record, settings
):
    """Renaming the section moves the article without publishing it again."""
    section = home_page().add_child(instance=HomePage(title="Section", slug="news"))
    article = section.add_child(
        instance=ArticlePage(
            title="Convoy", slug="convoy", body=[evidence_block(record)]
        )
    )
    article.save_revision().publish()
    cached_view(client, article)
    section.slug = "world"
    section.save_revision().publish()
    article = Page.objects.get(pk=article.pk)
    assert article.url == "/world/convoy/"
    [review] = reviews(fresh_view(client, article, settings))
    assert review["url"] == f"http://{CRAWLER_HOST}/world/convoy/#evidence-{record.pk}"


def test_a_draft_preview_is_worked_out_afresh_and_never_cached(
    client, login, article, record
):
    cached_view(client, article)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.body = [evidence_block(record), claim_block(record, statement="Draft.")]
    draft.save_revision()
    editor = login("editor")
    with CaptureQueriesContext(connection) as queries:
        response = editor.get(
            reverse("wagtailadmin_pages:view_draft", args=[article.pk])
        )
    assert response.status_code == 200
    assert any(
        '"wagtail_evidence_appearance"' in q["sql"] for q in queries.captured_queries
    )
    [claim] = graph(response.content.decode(), "ClaimReview")
    assert claim["claimReviewed"] == "Draft."
    editor.logout()
    # Readers still get the live article, from the cache.
    [claim] = reviews(cached_view(client, article), "ClaimReview")
    assert claim["claimReviewed"] == "No convoy."


def test_a_record_dropped_and_cited_again_starts_afresh(
    client, users, article, record, settings
):
    """The streams are as they were, but the article shows the record anew:
    its last publication, in the key, tells the two apart."""
    change_verification(record, users["verifier"], verdict="misleading")
    assert "False or misleading" in strip_tags(notice(cached_view(client, article)))
    article = ArticlePage.objects.get(pk=article.pk)
    body = article.body.raw_data[:]
    article.body = [claim_block(statement="No convoy.")]
    article.save_revision().publish()
    view(client, article)
    article.body = body
    article.save_revision().publish()
    assert notice(fresh_view(client, article, settings)) == ""


def test_each_article_is_read_in_its_own_language_whatever_the_browser_asks(
    client, users, article, record, settings
):
    locale, _created = Locale.objects.get_or_create(language_code="fr")
    french = article.copy_for_translation(locale, copy_parents=True)
    french.save_revision().publish()
    change_verification(record, users["verifier"], verdict="misleading")
    for language in ("fr", "en"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        english_notice = strip_tags(notice(cached_view(client, article)))
        french_notice = strip_tags(notice(cached_view(client, french)))
        assert "Our desk now rates" in english_notice
        assert "Notre cellule de vérification attribue désormais" in french_notice
        assert notice(fresh_view(client, french, settings))


def test_a_reader_between_a_publications_save_and_its_noting_is_not_kept(
    client, users, article, record, settings
):
    """Wagtail saves the page, then sends page_published, which notes since
    when it shows a record just added: a reader in between sees the record
    with no such note, and what they were shown must not be what the next
    reader is served."""
    other = make_evidence(title="Training camp", media_url="https://t.me/demo/9")
    change_verification(other, users["verifier"], verdict="misleading")
    cached_view(client, article)
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = [evidence_block(record), evidence_block(other)]
    revision = page.save_revision()
    between = []

    def read_once_saved(sender, instance, **kwargs):
        if instance.pk == page.pk and instance.live and not between:
            between.append(view(client, page)[0])

    post_save.connect(read_once_saved, sender=ArticlePage)
    try:
        revision.publish()
    finally:
        post_save.disconnect(read_once_saved, sender=ArticlePage)
    assert "Training camp" in strip_tags(notice(between[0]))  # no note yet
    assert notice(fresh_view(client, page, settings)) == ""
    assert notice(cached_view(client, page)) == ""
