"""Our own video file (Evidence.video_file), as readers and the API get it: named
by its heading, described by its safe description, which readers read before
the video with or without the script, and kept out of the page while warned."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import item, read, read_api, shown, text
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def make_video(name="clip.mp4"):
    return get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name=name)
    )


def own_video(**fields):
    return make_evidence(media_url="", video_file=make_video(), poster=None, **fields)


def live(node):
    """``node`` without what a <template> holds: what the page shows before
    the reader's script clones anything."""
    for template in node.find_all("template"):
        template.decompose()
    return node


def test_the_video_is_named_by_its_heading_and_described_by_its_safe_description(
    client,
):
    evidence = own_video(description="A convoy passes a checkpoint at dusk.")
    soup = read(client, make_article([evidence_block(evidence, heading="The convoy")]))
    section = live(item(soup, "The convoy"))
    video = section.select_one("video.evidence-player")
    assert video["aria-label"] == "The convoy"
    description = section.find(id=video["aria-describedby"])
    assert text(description) == "A convoy passes a checkpoint at dusk."
    # Before the video, and in a layer the page shows without any script.
    assert description.find_next("video") is video
    assert description.find_parent(attrs={"hidden": True}) is None
    assert "evidence-js-only" not in description.get("class", [])


def test_a_video_without_a_description_is_described_by_nothing(client):
    evidence = own_video(description="")
    soup = read(client, make_article([evidence_block(evidence, heading="Untold")]))
    video = item(soup, "Untold").select_one("video.evidence-player")
    assert video["aria-label"] == "Untold"
    assert not video.has_attr("aria-describedby")
    assert item(soup, "Untold").select_one(".evidence-media__description") is None


def test_each_citation_of_a_video_has_its_own_description_id(client):
    evidence = own_video()
    article = make_article(
        [
            evidence_block(evidence, heading="First"),
            evidence_block(evidence, heading="Second"),
        ]
    )
    for _view in range(2):  # the second from the render cache
        soup = read(client, article)
        ids = [
            item(soup, heading).select_one("video")["aria-describedby"]
            for heading in ("First", "Second")
        ]
        assert ids == [
            f"evidence-{evidence.pk}-description",
            f"evidence-{evidence.pk}-2-description",
        ]
        assert all(len(soup.find_all(id=dom_id)) == 1 for dom_id in ids)
        assert "placeholder" not in str(soup)


def test_a_warned_video_shows_its_description_and_nothing_of_the_video(client):
    video = make_video("hidden-clip.mp4")
    evidence = make_evidence(
        media_url="",
        video_file=video,
        warning_level="graphic",
        description="Bodies lie under blankets in a courtyard.",
    )
    article = make_article([evidence_block(evidence, heading="Warned")])
    section = item(read(client, article), "Warned")
    # The video waits in the reader's template until the reader reveals it.
    waiting = section.find("template", attrs={"data-evidence-ready-content": True})
    assert waiting.find("video")["src"] == video.url
    shown_now = live(section)
    assert shown_now.find("video") is None
    # Nothing loads it: its address is at most a link the reader may follow.
    assert not shown_now.find_all(src=video.url)
    assert not shown_now.find_all(["source", "track", "object", "embed"])
    cover = shown_now.select_one("[data-evidence-cover]")
    assert not cover.has_attr("hidden")
    assert "Bodies lie under blankets in a courtyard." in text(cover)

    record = shown(read_api(client, article), "Warned")["evidence"]
    assert record["warning"]["level"]["value"] == "graphic"
    assert record["description"] == "Bodies lie under blankets in a courtyard."
    # A front end gets the file to play once its reader asks, as the page does.
    assert record["media"]["player"]["kind"] == "video"


# Captions


def make_captions(
    name="captions.vtt", content=b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n"
):
    return get_document_model().objects.create(
        title="Captions", file=ContentFile(content, name=name)
    )


def post_record(editor, **fields):
    from django.urls import reverse

    from tests.admin_forms import form_data

    add = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
    return editor.post(
        add,
        {
            **form_data(editor.get(add)),
            "title": "Clip with captions",
            "media_url": "",
            "video_file": str(make_video().pk),
            **fields,
        },
    )


def test_the_desk_adds_captions_and_readers_get_them_in_the_video(login, client):
    captions = make_captions()
    editor = login("editor")
    form = editor.get("/admin/snippets/wagtail_evidence/evidence/add/").content.decode()
    assert 'name="captions_file"' in form and 'name="captions_language"' in form
    assert 'value="en"' in form  # the site's LANGUAGE_CODE, until the desk says

    response = post_record(
        editor, captions_file=str(captions.pk), captions_language="uk"
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    evidence = Evidence.objects.get(title="Clip with captions")
    assert (evidence.captions_file, evidence.captions_language) == (captions, "uk")
    evidence.save_revision().publish()

    article = make_article([evidence_block(evidence, heading="Captioned")])
    video = item(read(client, article), "Captioned").select_one("video")
    track = video.find("track")
    assert track["kind"] == "captions" and track["src"] == captions.url
    assert track["srclang"] == "uk" and track["label"] == "Ukrainian"
    assert track.has_attr("default")

    player = shown(read_api(client, article), "Captioned")["evidence"]["media"][
        "player"
    ]
    assert player["captions"] == {
        "url": f"http://localhost{captions.url}",
        "language": "uk",
    }


def test_a_video_without_captions_has_no_track(client):
    article = make_article([evidence_block(own_video(), heading="Silent")])
    assert item(read(client, article), "Silent").find("track") is None
    player = shown(read_api(client, article), "Silent")["evidence"]["media"]["player"]
    assert player["kind"] == "video" and player["captions"] is None


def test_the_track_is_labelled_in_the_language_the_block_renders_in(db):
    from bs4 import BeautifulSoup
    from django.utils import translation

    from wagtail_evidence.blocks import EvidenceBlock

    evidence = own_video(captions_file=make_captions(), captions_language="ar")
    block = EvidenceBlock()
    value = block.to_python(evidence_block(evidence)["value"])
    labels = {}
    for language in ("en", "fr"):
        with translation.override(language):
            labels[language] = BeautifulSoup(block.render(value), "html.parser").find(
                "track"
            )["label"]
    assert labels == {"en": "Arabic", "fr": "Arabe"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"captions_file": "srt"},
            "captions_file",
            "Captions must be a WebVTT file, ending in .vtt.",
        ),
        (
            {"captions_language": "xx"},
            "captions_language",
            "“xx” is not a language code we know.",
        ),
    ],
)
def test_captions_that_are_not_webvtt_or_in_no_known_language_are_refused(
    login, fields, field, message
):
    if fields.get("captions_file") == "srt":
        fields = {
            "captions_file": str(
                make_captions(
                    "captions.srt", b"1\n00:00:00,000 --> 00:00:02,000\nHi\n"
                ).pk
            )
        }
    response = post_record(login("editor"), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.filter(title="Clip with captions").exists()


def test_replaced_captions_reach_readers_at_once(client):
    from django.core.cache import cache

    cache.clear()
    captions = make_captions("first.vtt")
    evidence = own_video(captions_file=captions)
    article = make_article([evidence_block(evidence, heading="Captioned")])
    assert "first.vtt" in read(client, article).find("track")["src"]
    captions.file = ContentFile(b"WEBVTT\n", name="second.vtt")
    captions.save()
    track = read(client, article).find("track")
    assert "second.vtt" in track["src"] and "first" not in track["src"]
