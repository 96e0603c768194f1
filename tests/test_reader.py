"""What a reader of an article sees, read over HTTP, on the suite's own site.

What readers of the demo article see is tested with the demo
(tests/demo/test_reader.py).
"""

import pytest

from tests.factories import (
    claim_block,
    evidence_block,
    make_article,
    make_evidence,
    make_showcase_article,
)
from tests.reading import item, read, text
from wagtail_evidence.models import Appearance, Credit, Evidence


pytestmark = pytest.mark.django_db


def test_no_third_party_resource_is_loaded_by_the_page(client, db):
    soup = read(client, make_showcase_article())
    players = soup.find_all("iframe")
    assert players and all(player.find_parent("template") for player in players)
    for template in soup.find_all("template"):
        template.decompose()  # a template's content is inert until the reader asks
    assert soup.find("iframe") is None
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # data, never run (docs/reference/json-ld.md)
        assert script.get("src", "").startswith("/static/")  # ours, and never inline
    for tag in soup.find_all(["img", "link", "source", "video"]):
        for attribute in ("src", "href", "srcset"):
            value = tag.get(attribute)
            assert not value or value.startswith("/"), f"{tag.name} loads {value}"


def test_readers_see_the_live_record_never_its_pending_draft(client, db):
    evidence = make_evidence()
    article = make_article([evidence_block(evidence)])
    evidence.description = "A draft description, not yet verified."
    evidence.save_revision()  # a draft: the live row is unchanged
    soup = read(client, article)
    assert "Young men train at an outdoor camp." in text(soup)
    assert "A draft description" not in str(soup)

    evidence.unpublish()  # back to draft after the article went live
    soup = read(client, article)
    assert soup.select_one(".evidence--withdrawn") is not None
    assert evidence.title not in text(soup)


def test_an_article_can_only_be_stricter_than_the_record(client, db):
    embeddable = make_evidence()
    link_only = make_evidence(title="Link-only record", display="link")
    article = make_article(
        [
            evidence_block(
                embeddable, heading="Made link only by the article", display="link"
            ),
            evidence_block(link_only, heading="Left as the record says"),
            evidence_block(embeddable, heading="Embeddable"),
        ]
    )
    soup = read(client, article)
    assert (
        "evidence-media--link-only"
        in item(soup, "Made link only by the article").select_one(".evidence-media")[
            "class"
        ]
    )
    assert (
        "evidence-media--link-only"
        in item(soup, "Left as the record says").select_one(".evidence-media")["class"]
    )
    assert (
        "evidence-media--link-only"
        not in item(soup, "Embeddable").select_one(".evidence-media")["class"]
    )
    # the same record cited twice still gets unique anchors
    ids = [section["id"] for section in soup.select("section.evidence")]
    assert len(ids) == len(set(ids))


def test_the_article_warning_is_derived_and_only_raised_by_the_editor(client, db):
    calm = make_evidence()
    distressing = make_evidence(
        title="Distress",
        warning_level="disturbing",
        warning_categories=["distress"],
        description="A man weeps.",
    )
    quiet = make_article([evidence_block(calm)], title="Quiet", slug="quiet")
    assert read(client, quiet).select_one("aside.evidence-article-warning") is None

    derived = make_article(
        [evidence_block(distressing)], title="Derived", slug="derived"
    )
    warning = read(client, derived).select_one("aside.evidence-article-warning")
    assert "evidence-article-warning--disturbing" in warning["class"]
    assert "(Distress)" in text(warning)

    raised = make_article(
        [evidence_block(distressing)],
        title="Raised",
        slug="raised",
        content_warning_level="graphic",
    )
    assert (
        "evidence-article-warning--graphic"
        in read(client, raised).select_one("aside.evidence-article-warning")["class"]
    )
    assert (
        raised.content_warning.level == "graphic" and not raised.content_warning.derived
    )


def test_editor_text_is_escaped_in_every_reader_template(client, db):
    def payload(field):
        return f'<img src=x onerror=alert("{field}")>'

    fields = [
        "title",
        "place",
        "region",
        "description",
        "location_method",
        "identified",
        "identity_method",
    ]
    evidence = make_evidence(
        identity_status="confirmed", **{field: payload(field) for field in fields}
    )
    # The cluster's own manager would keep these in memory only: save them for real.
    Credit.objects.create(
        evidence=evidence,
        name=payload("credit"),
        organisation=payload("organisation"),
        role="identification",
        url='https://example.org/?q="><script>',
    )
    Appearance.objects.create(
        evidence=evidence,
        platform="other",
        account=payload("account"),
        note=payload("note"),
    )
    claim = {
        "stance": "denial",
        "statement": payload("statement"),
        "claimant": payload("claimant"),
        "claimant_kind": "",
        "claimed_on": None,
        "source_url": "",
        "figures": [{"figure": payload("figure"), "label": payload("label")}],
        "assessment": "contradicted",
        "assessment_note": payload("assessment_note"),
        "evidence": [evidence.pk],
    }
    article = make_article(
        [
            evidence_block(evidence, caption=payload("caption")),
            {"type": "claim", "value": claim},
        ]
    )
    html = client.get(article.url).content.decode()

    shown = [
        *fields,
        "credit",
        "organisation",
        "account",
        "note",
        "caption",
        "statement",
        "claimant",
        "figure",
        "label",
        "assessment_note",
    ]
    for field in shown:
        assert f"&lt;img src=x onerror=alert(&quot;{field}&quot;)&gt;" in html, (
            f"{field} not rendered escaped"
        )
        assert f'onerror=alert("{field}")' not in html, f"{field} rendered raw"
    assert "<script>" not in html


def test_outbound_links_drop_tracking_parameters(client, db):
    evidence = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ?si=TRACKING-TOKEN")
    soup = read(client, make_article([evidence_block(evidence)]))
    link = soup.select_one(".evidence-media__outbound a")
    assert link["href"] == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"
    # the player itself is built from the media id, on the privacy-enhanced host
    # (CSS selectors never look inside a <template>, as in browsers; find() does.)
    player = soup.find("template", attrs={"data-evidence-player": True}).find("iframe")
    assert player["src"] == "https://www.youtube-nocookie.com/embed/Zx8cV2bN4mQ"


def test_claims_link_only_to_evidence_the_article_shows(client, db):
    shown = make_evidence(title="Shown here")
    elsewhere = make_evidence(title="Shown elsewhere")
    claim = claim_block(shown, elsewhere, claimant_kind="government")
    soup = read(client, make_article([evidence_block(shown), claim]))
    items = {
        text(li).split(" ")[0] + " " + text(li).split(" ")[1]: li
        for li in soup.select(".claim__evidence li")
    }
    assert items["Shown here"].a["href"] == f"#evidence-{shown.pk}"
    assert items["Shown elsewhere"].a is None
    assert soup.find(id=f"evidence-{shown.pk}") is not None


def test_a_withdrawn_items_display_is_link_only_not_an_error(db):
    from wagtail_evidence.blocks import EvidenceBlock

    value = EvidenceBlock().to_python(
        {"evidence": None, "heading": "", "caption": "", "display": ""}
    )
    assert value.is_withdrawn and value.is_link_only


def test_addresses_stored_without_validation_never_become_dangerous_links(client, db):
    """Code, imports and raw StreamField JSON skip form validation; output holds."""
    evidence = make_evidence(media_url="https://aleppo-news.example/v", display="link")
    Evidence.objects.filter(pk=evidence.pk).update(media_url="javascript:alert(1)")
    evidence.refresh_from_db()
    evidence.save_revision(clean=False).publish()
    Credit.objects.create(
        evidence=evidence, name="Credit", role="verification", url="javascript:alert(2)"
    )
    Appearance.objects.create(
        evidence=evidence,
        platform="other",
        url="javascript:alert(3)",
        archive_urls="javascript:alert(4)\nhttps://archive.example/ok",
    )
    claim = claim_block(source_url="javascript:alert(5)")
    soup = read(client, make_article([evidence_block(evidence), claim]))
    hrefs = [a["href"] for a in soup.find_all("a", href=True)] + [
        q["cite"] for q in soup.find_all(cite=True)
    ]
    # Our own: a path, or a place on the page (the badge legend).
    assert not [
        href for href in hrefs if not href.startswith(("https://", "/", "#"))
    ], hrefs
    assert "https://archive.example/ok" in hrefs


def test_a_video_file_with_a_platform_address_plays_the_file_and_links_the_source(
    client, db
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name="clip.mp4")
    )
    evidence = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", video_file=video)
    soup = read(client, make_article([evidence_block(evidence)]))
    assert soup.find("iframe") is None  # not even inside a template: the file plays
    assert soup.select_one("video.evidence-player")["preload"] == "none"
    assert (
        soup.select_one(".evidence-media__outbound a")["href"]
        == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"
    )


def test_an_unrecognised_source_address_is_fine_beside_a_video_file(login):
    from django.core.files.base import ContentFile
    from django.urls import reverse
    from wagtail.documents import get_document_model

    from tests.admin_forms import form_data

    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name="clip.mp4")
    )
    editor = login("editor")
    add = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
    response = editor.post(
        add,
        {
            **form_data(editor.get(add)),
            "title": "Clip",
            "media_url": "https://aleppo-news.example/clip",
            "video_file": str(video.pk),
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get(title="Clip").effective_display == "embed"


def test_a_claim_says_what_kind_of_claimant_made_it(client, db):
    """Readers can tell a death toll from a belligerent from one from a monitor."""
    import datetime

    party = claim_block(
        claimant="Azerbaijani authorities",
        claimant_kind="party",
        claimed_on=datetime.date(2020, 10, 25),
    )
    other = claim_block(claimant="A relay account", claimant_kind="other")
    unsaid = claim_block(claimant="A ministry")
    soup = read(client, make_article([party, other, unsaid]))

    lines = [text(line) for line in soup.select(".claim__attribution")]
    assert lines == [
        "Azerbaijani authorities (a party to the conflict), Oct. 25, 2020",
        "A relay account",
        "A ministry",
    ]
    # The claimant's name is the editor's, isolated for right-to-left pages.
    assert soup.select_one(".claim__attribution bdi").get_text() == (
        "Azerbaijani authorities"
    )


def test_a_claim_is_dated_no_more_precisely_than_known_and_names_its_source(client, db):
    """A 2019 report reads "2019"; a claim with no link still says where it
    was made; with a link, those words are the link's text."""
    import datetime

    report = claim_block(
        claimant="United Nations",
        claimed_on=datetime.date(2019, 1, 1),
        claimed_on_precision="year",
        source_title="a report on poverty in Syria",
    )
    monthly = claim_block(
        claimant="A monitor",
        claimed_on=datetime.date(2020, 10, 1),
        claimed_on_precision="month",
        source_url="https://monitor.example/reports/october",
        source_title="its October <b>bulletin</b>",
    )
    linked = claim_block(
        claimant="A ministry", source_url="https://ministry.example/statement"
    )
    article = make_article([report, monthly, linked])
    soup = read(client, article)
    first, second, third = soup.select(".claim__attribution")
    assert text(first) == "United Nations, 2019 · a report on poverty in Syria"
    assert first.select_one("time")["datetime"] == "2019"
    assert first.select_one("cite").get_text() == "a report on poverty in Syria"
    assert first.select("a") == []
    assert text(second) == (
        "A monitor, October 2020 · its October <b>bulletin</b> (monitor.example)"
    )
    assert second.select_one("time")["datetime"] == "2020-10"
    link = second.select_one("a")
    assert link["href"] == "https://monitor.example/reports/october"
    assert link.select_one("cite").get_text() == "its October <b>bulletin</b>"
    assert text(third) == "A ministry · source on ministry.example"

    api = client.get(f"/api/v2/pages/{article.pk}/").json()
    claims = [block["value"] for block in api["body"]]
    assert [c["claimed_on"] for c in claims] == ["2019", "2020-10", None]
    assert [c["claimed_on_precision"] for c in claims] == [
        {"value": "year", "label": "Year only"},
        {"value": "month", "label": "Month only"},
        None,
    ]
    assert claims[0]["source_title"] == "a report on poverty in Syria"


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "(une partie au conflit)"), ("ar", "(طرف في النزاع)")],
)
def test_the_kind_of_claimant_is_in_the_readers_language(db, language, words):
    from django.utils import translation

    from wagtail_evidence.blocks import ClaimBlock

    block = ClaimBlock()
    value = block.to_python(
        claim_block(claimant="Armenian authorities", claimant_kind="party")["value"]
    )
    with translation.override(language):
        html = block.render(value)
    assert words in html
