"""What a reader of the demo article sees, read over HTTP."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.models import Appearance, Credit, Evidence


pytestmark = pytest.mark.django_db


def read(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return re.sub(r"\s+", " ", node.get_text()).strip()


def item(soup, title):
    """The section of the evidence block whose heading or title is ``title``."""
    for section in soup.select("section.evidence"):
        heading = section.select_one(".evidence__heading")
        if heading and text(heading) == title:
            return section
    raise AssertionError(f"no evidence block headed {title!r}")


def facet(section, label):
    for row in section.select(".evidence-facet"):
        if text(row.dt) == label:
            return text(row.dd)
    return None


def test_the_article_warns_before_the_body_with_the_editors_words(client, demo):
    soup = read(client, demo)
    warning = soup.select_one("aside.evidence-article-warning")
    assert warning is not None
    assert "evidence-article-warning--graphic" in warning["class"]  # derived from the graphic item
    assert "some images and videos described in this article may shock." in text(warning)
    assert "Violence" in text(warning) and "Dead or injured people" in text(warning)
    assert warning.find_next("div", class_="article__body") is not None
    assert soup.h1 is not None and soup.h1.find_next("aside") is warning  # headline first


def test_the_badge_says_exactly_what_was_verified_and_by_whom(client, demo):
    soup = read(client, demo)
    camp = item(soup, "Training camp near Hawar Kilis")
    assert text(camp.select_one(".evidence-badge__pill")) == "Partially verified"
    assert facet(camp, "Location").startswith("Confirmed: Hawar Kilis, Northern Aleppo, Syria, geolocated by Obretix")
    assert facet(camp, "Date filmed").startswith("Not established")
    assert "identified by Local Syrian journalists" in facet(camp, "Who appears")
    assert facet(camp, "Authenticity") is None  # not checked: not shown

    recruitment = item(soup, "Recruitment speech in Shaykh al-Hadid")
    assert text(recruitment.select_one(".evidence-badge__pill")) == "Verified"
    assert "verified by Afrin Post" in facet(recruitment, "Authenticity")

    frontline = item(soup, "Fighters on the front line, 12 October")
    assert text(frontline.select_one(".evidence-badge__pill")) == "Unverified"


def test_credits_appearances_and_dates_follow_their_precision(client, demo):
    soup = read(client, demo)
    bodies = item(soup, "Bodies of soldiers near Marjan")
    assert "Geolocation: Alexander McKeever (Bellingcat)" in text(bodies.select_one(".evidence-credits"))
    assert bodies.select_one(".evidence-credits a")["href"] == "https://www.bellingcat.com/"
    assert facet(bodies, "Date filmed").startswith("Confirmed: around Oct. 3, 2020")
    assert "first seen Oct. 10, 2020" in text(bodies.select_one(".evidence-appearances"))
    qanti = item(soup, "Mustapha Qanti under fire")
    assert "first seen October 2020" in text(qanti.select_one(".evidence-appearances"))


def test_link_only_graphic_media_shows_the_warning_and_a_safe_link_never_an_image(client, demo):
    bodies = item(read(client, demo), "Bodies of soldiers near Marjan")
    media = bodies.select_one(".evidence-media")
    assert "evidence-media--link-only" in media["class"]
    assert "Warning: graphic content (Violence, Dead or injured people)" in text(media)
    assert "A fighter walks among the bodies" in text(media)
    assert media.find("img") is None and media.find("iframe") is None
    link = bodies.select_one(".evidence-media__outbound a")
    assert link["href"].startswith("https://x.com/")
    assert set(link["rel"]) >= {"noopener", "noreferrer", "nofollow"}


def test_no_third_party_resource_is_loaded_by_the_page(client, demo):
    soup = read(client, demo)
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


def test_posters_are_our_own_and_carry_the_safe_description(client, demo):
    camp = item(read(client, demo), "Training camp near Hawar Kilis")
    poster = camp.select_one("img.evidence-media__poster")
    assert poster["src"].startswith("/media/")
    assert poster["alt"] == "Young men in fatigues train and talk at an outdoor camp."
    assert poster["width"] and poster["height"]


def test_claims_carry_the_claimant_figures_and_our_assessment(client, demo):
    soup = read(client, demo)
    claims = {text(c.select_one(".claim__attribution")).split(",")[0]: c for c in soup.select("section.claim")}
    denial = claims["The defence ministers of Azerbaijan and Turkey"]
    assert text(denial.select_one(".claim__stance")) == "Denial"
    assert "Contradicted by evidence" in text(denial.select_one(".claim__assessment"))
    assert len(denial.select(".claim__evidence li")) == 4
    sohr = claims["Syrian Observatory for Human Rights (SOHR)"]
    assert "Not independently verified" in text(sohr)
    assert [text(f) for f in sohr.select(".claim__figure")] == ["134", "92", "2,050"]
    assert sohr.select_one("time")["datetime"] == "2020-10-18"


def test_withdrawn_evidence_is_never_shown_and_the_article_keeps_rendering(client, demo):
    camp = Evidence.objects.get(title="Training camp near Hawar Kilis")
    camp.unpublish()
    soup = read(client, demo)
    assert "Training camp near Hawar Kilis" not in text(soup)
    assert "Young men in fatigues" not in str(soup)
    assert len(soup.select(".evidence--withdrawn")) == 1

    Evidence.objects.get(title="Convoy in Horadiz").delete()
    soup = read(client, demo)
    assert "Convoy in Horadiz" not in text(soup)
    assert len(soup.select(".evidence--withdrawn")) == 2
    assert "This item has been withdrawn." in text(soup)
    # the denial still lists what is left, without the withdrawn items
    denial = soup.select("section.claim")[0]
    assert len(denial.select(".claim__evidence li")) == 2


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
            evidence_block(embeddable, heading="Made link only by the article", display="link"),
            evidence_block(link_only, heading="Left as the record says"),
            evidence_block(embeddable, heading="Embeddable"),
        ]
    )
    soup = read(client, article)
    assert "evidence-media--link-only" in item(soup, "Made link only by the article").select_one(".evidence-media")["class"]
    assert "evidence-media--link-only" in item(soup, "Left as the record says").select_one(".evidence-media")["class"]
    assert "evidence-media--link-only" not in item(soup, "Embeddable").select_one(".evidence-media")["class"]
    # the same record cited twice still gets unique anchors
    ids = [section["id"] for section in soup.select("section.evidence")]
    assert len(ids) == len(set(ids))


def test_the_article_warning_is_derived_and_only_raised_by_the_editor(client, db):
    calm = make_evidence()
    distressing = make_evidence(title="Distress", warning_level="disturbing", warning_categories=["distress"], description="A man weeps.")
    quiet = make_article([evidence_block(calm)], title="Quiet", slug="quiet")
    assert read(client, quiet).select_one("aside.evidence-article-warning") is None

    derived = make_article([evidence_block(distressing)], title="Derived", slug="derived")
    warning = read(client, derived).select_one("aside.evidence-article-warning")
    assert "evidence-article-warning--disturbing" in warning["class"]
    assert "(Distress)" in text(warning)

    raised = make_article([evidence_block(distressing)], title="Raised", slug="raised", content_warning_level="graphic")
    assert "evidence-article-warning--graphic" in read(client, raised).select_one("aside.evidence-article-warning")["class"]
    assert raised.content_warning.level == "graphic" and not raised.content_warning.derived


def test_editor_text_is_escaped_in_every_reader_template(client, db):
    def payload(field):
        return f'<img src=x onerror=alert("{field}")>'

    fields = ["title", "place", "region", "description", "location_method", "identified", "identity_method"]
    evidence = make_evidence(identity_status="confirmed", **{field: payload(field) for field in fields})
    # The cluster's own manager would keep these in memory only: save them for real.
    Credit.objects.create(evidence=evidence, name=payload("credit"), organisation=payload("organisation"), role="identification", url='https://example.org/?q="><script>')
    Appearance.objects.create(evidence=evidence, platform="other", account=payload("account"), note=payload("note"))
    claim = {"stance": "denial", "statement": payload("statement"), "claimant": payload("claimant"), "claimant_kind": "", "claimed_on": None, "source_url": "", "figures": [{"figure": payload("figure"), "label": payload("label")}], "assessment": "contradicted", "assessment_note": payload("assessment_note"), "evidence": [evidence.pk]}
    article = make_article([evidence_block(evidence, caption=payload("caption")), {"type": "claim", "value": claim}])
    html = client.get(article.url).content.decode()

    shown = [*fields, "credit", "organisation", "account", "note", "caption", "statement", "claimant", "figure", "label", "assessment_note"]
    for field in shown:
        assert f'&lt;img src=x onerror=alert(&quot;{field}&quot;)&gt;' in html, f"{field} not rendered escaped"
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
    claim = {"type": "claim", "value": {"stance": "denial", "statement": "No.", "claimant": "A ministry", "claimant_kind": "government", "claimed_on": None, "source_url": "", "figures": [], "assessment": "contradicted", "assessment_note": "", "evidence": [shown.pk, elsewhere.pk]}}
    soup = read(client, make_article([evidence_block(shown), claim]))
    items = {text(li).split(" ")[0] + " " + text(li).split(" ")[1]: li for li in soup.select(".claim__evidence li")}
    assert items["Shown here"].a["href"] == f"#evidence-{shown.pk}"
    assert items["Shown elsewhere"].a is None
    assert soup.find(id=f"evidence-{shown.pk}") is not None


def test_a_withdrawn_items_display_is_link_only_not_an_error(db):
    from wagtail_evidence.blocks import EvidenceBlock

    value = EvidenceBlock().to_python({"evidence": None, "heading": "", "caption": "", "display": ""})
    assert value.is_withdrawn and value.is_link_only


def test_addresses_stored_without_validation_never_become_dangerous_links(client, db):
    """Code, imports and raw StreamField JSON skip form validation; output holds."""
    evidence = make_evidence(media_url="https://aleppo-news.example/v", display="link")
    Evidence.objects.filter(pk=evidence.pk).update(media_url="javascript:alert(1)")
    evidence.refresh_from_db()
    evidence.save_revision(clean=False).publish()
    Credit.objects.create(evidence=evidence, name="Credit", role="verification", url="javascript:alert(2)")
    Appearance.objects.create(evidence=evidence, platform="other", url="javascript:alert(3)", archive_urls="javascript:alert(4)\nhttps://archive.example/ok")
    claim = {"type": "claim", "value": {"stance": "denial", "statement": "No.", "claimant": "A ministry", "claimant_kind": "", "claimed_on": None, "source_url": "javascript:alert(5)", "figures": [], "assessment": "contradicted", "assessment_note": "", "evidence": []}}
    soup = read(client, make_article([evidence_block(evidence), claim]))
    hrefs = [a["href"] for a in soup.find_all("a", href=True)] + [q["cite"] for q in soup.find_all(cite=True)]
    assert not [href for href in hrefs if not href.startswith(("https://", "/"))], hrefs
    assert "https://archive.example/ok" in hrefs


def test_a_video_file_with_a_platform_address_plays_the_file_and_links_the_source(client, db):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    video = get_document_model().objects.create(title="Clip", file=ContentFile(b"\x00", name="clip.mp4"))
    evidence = make_evidence(media_url="https://youtu.be/Zx8cV2bN4mQ", video_file=video)
    soup = read(client, make_article([evidence_block(evidence)]))
    assert soup.find("iframe") is None  # not even inside a template: the file plays
    assert soup.select_one("video.evidence-player")["preload"] == "none"
    assert soup.select_one(".evidence-media__outbound a")["href"] == "https://www.youtube.com/watch?v=Zx8cV2bN4mQ"


def test_an_unrecognised_source_address_is_fine_beside_a_video_file(login):
    from django.core.files.base import ContentFile
    from django.urls import reverse
    from wagtail.documents import get_document_model

    from tests.admin_forms import form_data

    video = get_document_model().objects.create(title="Clip", file=ContentFile(b"\x00", name="clip.mp4"))
    editor = login("editor")
    add = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
    response = editor.post(add, {**form_data(editor.get(add)), "title": "Clip", "media_url": "https://aleppo-news.example/clip", "video_file": str(video.pk)})
    assert response.status_code == 302
    assert Evidence.objects.get(title="Clip").effective_display == "embed"
