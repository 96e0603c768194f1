"""What a headless front end reads of an article over Wagtail API v2, on the
suite's own site (the demo article's: tests/demo/test_api.py).

The API gives the facts the reader templates show, as data, and no more: drafts
never, withdrawn items as withdrawn, nothing internal; and it costs the same
queries with 1 or 10 evidence blocks.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import test_query_counts as counts
from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import read_api, shown, values
from tests.testapp.models import ArticlePage
from wagtail_evidence.blocks import EvidenceChooserBlock, choosers
from wagtail_evidence.models import Appearance, Credit, Evidence
from wagtail_evidence.reader import loading
from wagtail_evidence.reader import serializers as evidence_api


pytestmark = pytest.mark.django_db


def test_an_article_without_a_warning_gives_none_and_a_standard_sentence_otherwise(
    client, db
):
    calm = make_article([evidence_block(make_evidence())], title="Calm", slug="calm")
    assert read_api(client, calm)["content_warning"] is None

    raised = make_article(
        [evidence_block(make_evidence())],
        title="Raised",
        slug="raised",
        content_warning_level="disturbing",
    )
    warning = read_api(client, raised)["content_warning"]
    assert warning["level"]["value"] == "disturbing"
    assert (
        warning["text"]
        == "this article contains material that some readers may find disturbing."
    )
    assert warning["categories"] == []


def test_an_article_can_only_make_an_item_stricter(client, db):
    evidence = make_evidence()
    article = make_article(
        [
            evidence_block(evidence, heading="Linked here", display="link"),
            evidence_block(evidence, heading="Embedded"),
        ]
    )
    data = read_api(client, article)
    assert shown(data, "Linked here")["evidence"]["media"]["player"] is None
    assert shown(data, "Linked here")["evidence"]["media"]["link_only"] is True
    assert shown(data, "Embedded")["evidence"]["media"]["player"]["kind"] == "iframe"


def test_a_video_file_plays_from_our_site(client, db):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name="clip.mp4")
    )
    evidence = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", video_file=video)
    media = read_api(client, make_article([evidence_block(evidence)]))["body"][0][
        "value"
    ]["evidence"]["media"]
    assert media["player"] == {
        "kind": "video",
        "url": f"http://localhost{video.url}",
        "captions": None,
    }
    assert media["provider"]["value"] == "youtube"  # where it came from
    assert media["aspect_ratio"] == "16-9"
    assert media["outbound"]["url"] == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"


def test_nothing_internal_reaches_the_api(client, db):
    evidence = make_evidence(
        publish=False,
        verdict_note="INTERNAL-verdict-note",
        latitude="36.545123",
        longitude="37.055123",
        withhold_coordinates=True,  # the desk keeps them: tests/test_location.py
        location_method="SHOWN-checked-method",
        identified="INTERNAL-who-unchecked",
        identity_method="INTERNAL-unchecked-method",
    )
    evidence.tags.add("INTERNAL-tag")
    evidence.save()
    evidence.save_revision().publish()
    article = make_article(
        [evidence_block(evidence)],
        content_warning_text="INTERNAL-text-of-no-warning",  # no level: readers see no warning
    )
    text = json.dumps(read_api(client, article))
    assert "SHOWN-checked-method" in text  # readers see the method of a checked facet
    for internal in (
        "INTERNAL-",
        "36.545",
        "37.055",
        "render_token",
        Evidence.objects.get(pk=evidence.pk).render_token,
        '"verdict',
        "media_id",
    ):
        assert internal not in text, internal


def test_a_live_record_with_a_newer_draft_gives_the_live_version_only(client, db):
    evidence = make_evidence()
    article = make_article(
        [
            evidence_block(evidence),
            {
                "type": "claim",
                "value": {"statement": "S", "claimant": "C", "evidence": [evidence.pk]},
            },
        ]
    )
    evidence.title = "DRAFT title"
    evidence.description = "DRAFT description of graphic media"
    evidence.verdict = "misleading"
    evidence.warning_level = "graphic"
    evidence.warning_categories = ["violence"]
    evidence.credits = [Credit(name="DRAFT credit", role="verification")]
    evidence.save_revision()
    assert Evidence.objects.get(pk=evidence.pk).has_unpublished_changes

    data = read_api(client, article)
    block = values(data, "evidence")[0]
    assert block["heading"] == "Training camp near Hawar Kilis"
    assert block["evidence"]["badge"]["value"] == "partially_verified"
    assert block["evidence"]["warning"] is None
    assert [credit["name"] for credit in block["evidence"]["credits"]] == ["Obretix"]
    assert (
        values(data, "claim")[0]["evidence"][0]["title"]
        == "Training camp near Hawar Kilis"
    )
    assert data["content_warning"] is None
    assert "DRAFT" not in json.dumps(data)

    # Once the desk publishes it, readers and the API get it, with its history.
    Evidence.objects.get(pk=evidence.pk).get_latest_revision().publish()
    data = read_api(client, article)
    record = values(data, "evidence")[0]["evidence"]
    assert (
        record["title"] == "DRAFT title"
        and record["badge"]["value"] == "false_or_misleading"
    )
    assert [credit["name"] for credit in record["credits"]] == ["DRAFT credit"]
    assert data["content_warning"]["level"]["value"] == "graphic"
    assert [
        (change["aspect"]["value"], change["before"]["value"], change["after"]["value"])
        for change in record["history"]
    ] == [
        ("badge", "partially_verified", "false_or_misleading"),
        ("warning", "none", "graphic"),
    ]
    assert record["history"][0]["before"]["label"] == "Partially verified"


def test_unpublished_never_published_and_deleted_records_are_withdrawn(client, db):
    kept = make_evidence(title="Kept")
    unpublished = make_evidence(
        title="UNPUBLISHED record", description="UNPUBLISHED description"
    )
    deleted = make_evidence(title="DELETED record")
    cited = [kept, unpublished, deleted]
    article = make_article(
        [evidence_block(item) for item in cited]
        + [
            {
                "type": "claim",
                "value": {
                    "statement": "S",
                    "claimant": "C",
                    "evidence": [item.pk for item in cited],
                },
            }
        ]
    )
    unpublished.unpublish()
    deleted.delete()
    # A record that was never published, cited behind the publish gate's back.
    never = make_evidence(
        title="NEVER published", description="NEVER description", publish=False
    )
    body = list(article.body.raw_data) + [evidence_block(never)]
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(body))

    data = read_api(client, article)
    blocks = values(data, "evidence")
    assert blocks[0]["evidence"]["title"] == "Kept"
    withdrawn = {"withdrawn": True, "message": "This item has been withdrawn."}
    assert blocks[1:] == [withdrawn, withdrawn, withdrawn]
    assert [item["title"] for item in values(data, "claim")[0]["evidence"]] == ["Kept"]
    body = json.dumps(
        data["body"]
    )  # stream block ids are UUIDs; record ids are numbers
    assert f'"id": {kept.pk}' in body
    for hidden in (
        "UNPUBLISHED",
        "DELETED",
        "NEVER",
        f'"id": {never.pk}',
        f'"id": {unpublished.pk}',
    ):
        assert hidden not in body, hidden


def test_the_chooser_block_alone_gives_the_record_and_loads_its_batch_once(
    db, django_assert_num_queries
):
    first, second = make_evidence(title="First"), make_evidence(title="Second")
    draft = make_evidence(title="DRAFT", publish=False)
    block = EvidenceChooserBlock()
    records = block.bulk_to_python([first.pk, second.pk, draft.pk, 987654])
    assert block.get_api_representation(records[2]) == evidence_api.withdrawn()
    assert block.get_api_representation(records[3]) == evidence_api.withdrawn()
    with CaptureQueriesContext(connection) as loading:
        assert block.get_api_representation(records[0])["title"] == "First"
    assert loading.captured_queries  # the batch's credits, appearances, history
    with django_assert_num_queries(0):  # already loaded with the first
        representation = block.get_api_representation(records[1])
    assert representation["credits"][0]["name"] == "Obretix"
    assert representation["media"]["player"]["kind"] == "iframe"


def test_words_follow_the_active_language(client, db, settings):
    """Labels and dates are in the language active for the request: the
    browser's, or LANGUAGE_CODE where URL prefixes choose it and /api/ has none."""
    if "fr" not in dict(settings.LANGUAGES):
        settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    seen = Appearance(
        platform="telegram", account="Channels", first_seen=datetime.date(2020, 9, 25)
    )
    article = make_article([evidence_block(make_evidence(appearances=[seen]))])
    english = shown(read_api(client, article), "Training camp near Hawar Kilis")[
        "evidence"
    ]
    assert english["appearances"][0]["first_seen"]["text"] == "Sept. 25, 2020"

    settings.LANGUAGE_CODE = "fr"
    response = client.get(
        f"/api/v2/pages/{article.pk}/", headers={"accept-language": "fr"}
    )
    assert response.status_code == 200
    camp = shown(response.json(), "Training camp near Hawar Kilis")["evidence"]
    assert camp["appearances"][0]["first_seen"]["text"] == "25 septembre 2020"
    assert camp["appearances"][0]["first_seen"]["precision"]["value"] == "exact"


# Query counts: one round of queries for all the blocks, never one per block.

SIZES = (1, 10)


@pytest.fixture
def sized_articles(db, settings):
    counts.without_rendition_cache(settings)
    home = counts.make_home()
    evidence = [counts.make_evidence(number) for number in range(max(SIZES))]
    cited = evidence[: counts.CLAIM_CITES]
    return {
        size: counts.make_article(home, evidence[:size], cited, f"api-{size}")
        for size in SIZES
    }


def api_query_counts(client, articles, warm_up_html=False):
    """Queries of one API request per article, after a warm-up (renditions, site)."""
    for article in articles.values():
        if warm_up_html:
            assert client.get(article.url).status_code == 200  # fills the render cache
        read_api(client, article)
    measured = {}
    for size, article in articles.items():
        with CaptureQueriesContext(connection) as queries:
            data = read_api(client, article)
        blocks = values(data, "evidence")
        # Everything the prefetches serve was really serialized, for every block.
        assert len(blocks) == size
        assert all(
            block["evidence"]["media"]["poster"]
            and len(block["evidence"]["credits"]) == 2
            for block in blocks
        )
        assert all(len(block["evidence"]["appearances"]) == 2 for block in blocks)
        assert len(values(data, "claim")[0]["evidence"]) == counts.CLAIM_CITES
        measured[size] = len(queries)
    return measured


def test_the_api_query_count_does_not_grow_with_evidence_blocks(
    client, sized_articles, settings
):
    counts.without_render_cache(settings)
    measured = api_query_counts(client, sized_articles)
    assert measured[1] == measured[10], measured


def test_blocks_the_render_cache_served_still_load_their_details_in_one_batch(
    client, sized_articles, settings
):
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    measured = api_query_counts(client, sized_articles, warm_up_html=True)
    assert measured[1] == measured[10], measured


def test_the_api_count_catches_a_lost_prefetch_or_batch(
    client, sized_articles, settings, monkeypatch
):
    """Keeps the two tests above honest."""
    counts.without_render_cache(settings)
    monkeypatch.setattr(loading, "detail_lookups", counts.lookups_without("credits"))
    lost_prefetch = api_query_counts(client, sized_articles)
    assert lost_prefetch[1] < lost_prefetch[10], lost_prefetch

    monkeypatch.setattr(loading, "detail_lookups", counts.original_detail_lookups)
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    monkeypatch.setattr(
        choosers.EvidenceChooserBlock, "bulk_to_python", unbatched_bulk_to_python
    )
    lost_batch = api_query_counts(client, sized_articles, warm_up_html=True)
    assert lost_batch[1] < lost_batch[10], lost_batch


def unbatched_bulk_to_python(self, values):
    """The chooser's bulk_to_python without the batch each record points to."""
    objects = self.target_model.objects.in_bulk(
        [value for value in values if value is not None]
    )
    return [objects.get(value) for value in values]


def test_a_claim_gives_the_kind_of_claimant_or_none(client, db):
    from tests.factories import claim_block

    article = make_article(
        [
            claim_block(claimant="Azerbaijani authorities", claimant_kind="party"),
            claim_block(claimant="A ministry"),
        ]
    )
    party, unsaid = read_api(client, article)["body"]
    assert party["value"]["claimant_kind"] == {
        "value": "party",
        "label": "A party to the conflict",
    }
    assert unsaid["value"]["claimant_kind"] is None
