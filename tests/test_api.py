"""What a headless front end reads of the demo article over Wagtail API v2.

The API gives the facts the reader templates show, as data, and no more: drafts
never, withdrawn items as withdrawn, nothing internal; and it costs the same
queries with 1 or 10 evidence blocks.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.models import ArticlePage
from tests import test_query_counts as counts
from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence import api as evidence_api
from wagtail_evidence.blocks import EvidenceChooserBlock, choosers
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db


def read_api(client, page, **params):
    response = client.get(f"/api/v2/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def values(data, block_type):
    return [child["value"] for child in data["body"] if child["type"] == block_type]


def shown(data, heading):
    """The evidence block whose heading readers see is ``heading``."""
    for value in values(data, "evidence"):
        if not value["withdrawn"] and value["heading"] == heading:
            return value
    raise AssertionError(f"no evidence block headed {heading!r}")


def facets(value):
    return {facet["key"]: facet for facet in value["evidence"]["badge"]["facets"]}


def claim_by(data, claimant):
    return next(value for value in values(data, "claim") if value["claimant"] == claimant)


def test_the_pages_endpoint_lists_the_article_with_its_body_and_warning(client, demo):
    response = client.get("/api/v2/pages/", {"type": "newsroom.ArticlePage", "fields": "body,content_warning"})
    assert response.status_code == 200
    [page] = response.json()["items"]
    assert page["id"] == demo.pk
    assert page["content_warning"]["level"] == {"value": "graphic", "label": "Graphic"}
    assert [child["type"] for child in page["body"]].count("evidence") == 8

    only_body = read_api(client, demo, fields="-content_warning,-standfirst")
    assert "content_warning" not in only_body and "standfirst" not in only_body
    assert only_body["body"] == page["body"]


def test_the_article_warning_is_data_in_the_editors_words(client, demo):
    warning = read_api(client, demo)["content_warning"]
    assert warning == {
        "level": {"value": "graphic", "label": "Graphic"},
        "style": {"value": "notice", "label": "A notice; the article stays readable"},
        "text": "some images and videos described in this article may shock.",
        # derived from the graphic and the disturbing items, in WarningCategory order
        "categories": [
            {"value": "violence", "label": "Violence"},
            {"value": "dead_or_injured", "label": "Dead or injured people"},
            {"value": "distress", "label": "Distress"},
        ],
    }


def test_an_article_without_a_warning_gives_none_and_a_standard_sentence_otherwise(client, db):
    calm = make_article([evidence_block(make_evidence())], title="Calm", slug="calm")
    assert read_api(client, calm)["content_warning"] is None

    raised = make_article([evidence_block(make_evidence())], title="Raised", slug="raised", content_warning_level="disturbing")
    warning = read_api(client, raised)["content_warning"]
    assert warning["level"]["value"] == "disturbing"
    assert warning["text"] == "this article contains material that some readers may find disturbing."
    assert warning["categories"] == []


def test_the_badge_breakdown_shows_only_the_checked_facets_with_their_credits(client, demo):
    data = read_api(client, demo)
    camp = shown(data, "Training camp near Hawar Kilis")
    badge = camp["evidence"]["badge"]
    assert (badge["value"], badge["label"]) == ("partially_verified", "Partially verified")
    assert list(facets(camp)) == ["where", "when", "who"]  # authenticity was not checked
    where = facets(camp)["where"]
    assert where["label"] == "Location"
    assert where["status"] == {"value": "confirmed", "label": "Confirmed"}
    assert where["summary"] == "Hawar Kilis, Northern Aleppo, Syria"
    assert where["credit_phrase"] == "geolocated by"
    assert [credit["name"] for credit in where["credits"]] == ["Obretix"]
    assert where["method"].startswith("Matched buildings and terrain")
    assert facets(camp)["when"]["status"]["value"] == "not_established"
    assert facets(camp)["when"]["credits"] == [] and facets(camp)["when"]["credit_phrase"] == ""

    recruitment = shown(data, "Recruitment speech in Shaykh al-Hadid")
    assert recruitment["evidence"]["badge"]["value"] == "verified"
    assert facets(recruitment)["authenticity"]["summary"] == "Original media, not edited"
    assert facets(recruitment)["authenticity"]["credit_phrase"] == "verified by"

    frontline = shown(data, "Fighters on the front line, 12 October")
    assert frontline["evidence"]["badge"] == {"value": "unverified", "label": "Unverified", "facets": []}


def test_the_block_gives_the_articles_words_credits_and_appearances(client, demo):
    camp = shown(read_api(client, demo), "Training camp near Hawar Kilis")
    assert camp["withdrawn"] is False
    assert camp["caption"] == "Recruits prepare to leave for Azerbaijan."
    assert camp["disclosure"].startswith("We do not know when it was filmed")
    record = camp["evidence"]
    assert record["id"] == Evidence.objects.get(title="Training camp near Hawar Kilis").pk
    assert record["title"] == "Training camp near Hawar Kilis"
    assert record["description"] == "Young men in fatigues train and talk at an outdoor camp."
    assert record["warning"] is None
    assert record["credits"] == [
        {"name": "Obretix", "organisation": "", "role": {"value": "geolocation", "label": "Geolocation"}, "url": None},
        {"name": "Local Syrian journalists", "organisation": "", "role": {"value": "identification", "label": "Identification"}, "url": None},
    ]
    assert record["appearances"] == [
        {
            "platform": {"value": "telegram", "label": "Telegram"},
            "account": "Telegram channels",
            "url": "https://t.me/demo_observers/2501",
            "first_seen": {"date": "2020-09-25", "precision": {"value": "exact", "label": "Exact day"}, "text": "Sept. 25, 2020"},
            "note": "",
            "archive_urls": [],
        }
    ]
    assert record["history"] == []

    bodies = shown(read_api(client, demo), "Bodies of soldiers near Marjan")["evidence"]
    [mckeever] = bodies["credits"]
    assert (mckeever["name"], mckeever["organisation"], mckeever["url"]) == ("Alexander McKeever", "Bellingcat", "https://www.bellingcat.com/")
    assert facets({"evidence": bodies})["when"]["summary"] == "around Oct. 3, 2020"
    qanti = shown(read_api(client, demo), "Mustapha Qanti under fire")["evidence"]
    assert qanti["appearances"][0]["first_seen"]["text"] == "October 2020"
    assert qanti["appearances"][0]["first_seen"]["precision"]["value"] == "month"


def test_the_player_is_data_to_load_after_consent_never_html(client, demo):
    data = read_api(client, demo)
    media = shown(data, "Training camp near Hawar Kilis")["evidence"]["media"]
    assert media["display"] == {"value": "embed", "label": "Embed after the reader consents"}
    assert media["link_only"] is False
    assert media["provider"] == {"value": "telegram", "label": "Telegram"}
    assert media["aspect_ratio"] == "4-5"
    assert media["player"] == {
        "kind": "iframe",
        "url": "https://t.me/demo_observers/2501?embed=1",
        "origin": "https://t.me",
        "title": "Telegram player: Training camp near Hawar Kilis",
        "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation",
        "allow": "encrypted-media; picture-in-picture; fullscreen",
        "referrer_policy": "strict-origin-when-cross-origin",
    }
    assert media["poster"]["url"].startswith("/media/images/") and media["poster"]["full_url"].startswith("http://")
    assert (media["poster"]["width"], media["poster"]["height"]) == (960, 540)
    assert media["poster"]["alt"] == "Young men in fatigues train and talk at an outdoor camp."
    assert media["outbound"] == {"url": "https://t.me/demo_observers/2501", "label": "View the original on Telegram"}
    assert "<iframe" not in json.dumps(data)

    # The same players, and only those, as the reader page builds after consent.
    soup = BeautifulSoup(client.get(demo.url).content, "html.parser")
    html_players = sorted((frame["src"], frame["title"]) for template in soup.select("template[data-evidence-player]") for frame in BeautifulSoup(template.decode_contents(), "html.parser").select("iframe"))
    api_players = sorted((value["evidence"]["media"]["player"]["url"], value["evidence"]["media"]["player"]["title"]) for value in values(data, "evidence") if value["evidence"]["media"]["player"])
    assert api_players == html_players and len(api_players) == 6


def test_a_link_only_graphic_item_gives_its_warning_and_a_link_never_a_player_or_picture(client, demo):
    bodies = shown(read_api(client, demo), "Bodies of soldiers near Marjan")["evidence"]
    assert bodies["warning"] == {
        "level": {"value": "graphic", "label": "Graphic"},
        "categories": [{"value": "violence", "label": "Violence"}, {"value": "dead_or_injured", "label": "Dead or injured people"}],
    }
    media = bodies["media"]
    assert media["link_only"] is True and media["display"]["value"] == "link"
    assert media["player"] is None and media["poster"] is None
    assert media["provider"]["value"] == "x"
    assert media["outbound"]["url"] == "https://x.com/i/status/1315024660000000000"


def test_an_article_can_only_make_an_item_stricter(client, db):
    evidence = make_evidence()
    article = make_article([evidence_block(evidence, heading="Linked here", display="link"), evidence_block(evidence, heading="Embedded")])
    data = read_api(client, article)
    assert shown(data, "Linked here")["evidence"]["media"]["player"] is None
    assert shown(data, "Linked here")["evidence"]["media"]["link_only"] is True
    assert shown(data, "Embedded")["evidence"]["media"]["player"]["kind"] == "iframe"


def test_a_video_file_plays_from_our_site(client, db):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    video = get_document_model().objects.create(title="Clip", file=ContentFile(b"\x00", name="clip.mp4"))
    evidence = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", video_file=video)
    media = read_api(client, make_article([evidence_block(evidence)]))["body"][0]["value"]["evidence"]["media"]
    assert media["player"] == {"kind": "video", "url": f"http://localhost{video.url}"}
    assert media["provider"]["value"] == "youtube"  # where it came from
    assert media["aspect_ratio"] == "16-9"
    assert media["outbound"]["url"] == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"


def test_claims_give_stance_assessment_figures_and_the_evidence_set_against(client, demo):
    data = read_api(client, demo)
    denial = claim_by(data, "The defence ministers of Azerbaijan and Turkey")
    assert denial["stance"] == {"value": "denial", "label": "Denial"}
    assert denial["assessment"] == {"value": "contradicted", "label": "Contradicted by evidence"}
    assert [item["title"] for item in denial["evidence"]] == [
        "Training camp near Hawar Kilis",
        "Convoy in Horadiz",
        "Fighters call on others to join them",
        "Bodies of soldiers near Marjan",
    ]
    assert denial["evidence"][0] == {
        "id": Evidence.objects.get(title="Training camp near Hawar Kilis").pk,
        "title": "Training camp near Hawar Kilis",
        "badge": {"value": "partially_verified", "label": "Partially verified"},
    }
    sohr = claim_by(data, "Syrian Observatory for Human Rights (SOHR)")
    assert sohr["claimed_on"] == "2020-10-18"
    assert [figure["figure"] for figure in sohr["figures"]] == ["134", "92", "2,050"]
    assert sohr["assessment"]["label"] == "Not independently verified"
    assert sohr["evidence"] == [] and sohr["source_url"] is None
    assert "claimant_kind" not in sohr  # readers are not shown it


def test_nothing_internal_reaches_the_api(client, db):
    evidence = make_evidence(
        publish=False,
        verdict_note="INTERNAL-verdict-note",
        latitude="36.545123",
        longitude="37.055123",
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
        "latitude",
        "media_id",
    ):
        assert internal not in text, internal


def test_a_live_record_with_a_newer_draft_gives_the_live_version_only(client, db):
    evidence = make_evidence()
    article = make_article([evidence_block(evidence), {"type": "claim", "value": {"statement": "S", "claimant": "C", "evidence": [evidence.pk]}}])
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
    assert values(data, "claim")[0]["evidence"][0]["title"] == "Training camp near Hawar Kilis"
    assert data["content_warning"] is None
    assert "DRAFT" not in json.dumps(data)

    # Once the desk publishes it, readers and the API get it, with its history.
    Evidence.objects.get(pk=evidence.pk).get_latest_revision().publish()
    data = read_api(client, article)
    record = values(data, "evidence")[0]["evidence"]
    assert record["title"] == "DRAFT title" and record["badge"]["value"] == "false_or_misleading"
    assert [credit["name"] for credit in record["credits"]] == ["DRAFT credit"]
    assert data["content_warning"]["level"]["value"] == "graphic"
    assert [(change["aspect"]["value"], change["before"]["value"], change["after"]["value"]) for change in record["history"]] == [
        ("badge", "partially_verified", "false_or_misleading"),
        ("warning", "none", "graphic"),
    ]
    assert record["history"][0]["before"]["label"] == "Partially verified"


def test_unpublished_never_published_and_deleted_records_are_withdrawn(client, db):
    kept = make_evidence(title="Kept")
    unpublished = make_evidence(title="UNPUBLISHED record", description="UNPUBLISHED description")
    deleted = make_evidence(title="DELETED record")
    cited = [kept, unpublished, deleted]
    article = make_article(
        [evidence_block(item) for item in cited]
        + [{"type": "claim", "value": {"statement": "S", "claimant": "C", "evidence": [item.pk for item in cited]}}]
    )
    unpublished.unpublish()
    deleted.delete()
    # A record that was never published, cited behind the publish gate's back.
    never = make_evidence(title="NEVER published", description="NEVER description", publish=False)
    body = list(article.body.raw_data) + [evidence_block(never)]
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(body))

    data = read_api(client, article)
    blocks = values(data, "evidence")
    assert blocks[0]["evidence"]["title"] == "Kept"
    withdrawn = {"withdrawn": True, "message": "This item has been withdrawn."}
    assert blocks[1:] == [withdrawn, withdrawn, withdrawn]
    assert [item["title"] for item in values(data, "claim")[0]["evidence"]] == ["Kept"]
    body = json.dumps(data["body"])  # stream block ids are UUIDs; record ids are numbers
    assert f'"id": {kept.pk}' in body
    for hidden in ("UNPUBLISHED", "DELETED", "NEVER", f'"id": {never.pk}', f'"id": {unpublished.pk}'):
        assert hidden not in body, hidden


def test_the_chooser_block_alone_gives_the_record_and_loads_its_batch_once(db, django_assert_num_queries):
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


def test_words_follow_the_active_language(client, demo, settings):
    """Labels and dates are in the language active for the request: the
    browser's, or LANGUAGE_CODE where URL prefixes choose it and /api/ has none."""
    if "fr" not in dict(settings.LANGUAGES):
        settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    english = shown(read_api(client, demo), "Training camp near Hawar Kilis")["evidence"]
    assert english["appearances"][0]["first_seen"]["text"] == "Sept. 25, 2020"

    settings.LANGUAGE_CODE = "fr"
    response = client.get(f"/api/v2/pages/{demo.pk}/", headers={"accept-language": "fr"})
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
    return {size: counts.make_article(home, evidence[:size], cited, f"api-{size}") for size in SIZES}


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
        assert all(block["evidence"]["media"]["poster"] and len(block["evidence"]["credits"]) == 2 for block in blocks)
        assert all(len(block["evidence"]["appearances"]) == 2 for block in blocks)
        assert len(values(data, "claim")[0]["evidence"]) == counts.CLAIM_CITES
        measured[size] = len(queries)
    return measured


def test_the_api_query_count_does_not_grow_with_evidence_blocks(client, sized_articles, settings):
    counts.without_render_cache(settings)
    measured = api_query_counts(client, sized_articles)
    assert measured[1] == measured[10], measured


def test_blocks_the_render_cache_served_still_load_their_details_in_one_batch(client, sized_articles, settings):
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    measured = api_query_counts(client, sized_articles, warm_up_html=True)
    assert measured[1] == measured[10], measured


def test_the_api_count_catches_a_lost_prefetch_or_batch(client, sized_articles, settings, monkeypatch):
    """Keeps the two tests above honest."""
    counts.without_render_cache(settings)
    monkeypatch.setattr(choosers, "detail_lookups", counts.lookups_without("credits"))
    lost_prefetch = api_query_counts(client, sized_articles)
    assert lost_prefetch[1] < lost_prefetch[10], lost_prefetch

    monkeypatch.setattr(choosers, "detail_lookups", counts.original_detail_lookups)
    settings.WAGTAIL_EVIDENCE = {**settings.WAGTAIL_EVIDENCE, "RENDER_CACHE": "default"}
    monkeypatch.setattr(choosers.EvidenceChooserBlock, "bulk_to_python", unbatched_bulk_to_python)
    lost_batch = api_query_counts(client, sized_articles, warm_up_html=True)
    assert lost_batch[1] < lost_batch[10], lost_batch


def unbatched_bulk_to_python(self, values):
    """The chooser's bulk_to_python without the batch each record points to."""
    objects = self.target_model.objects.in_bulk([value for value in values if value is not None])
    return [objects.get(value) for value in values]
