"""The cold render's memos (issue 15) never carry one record's answer to another,
or an address's answer past a change of the address, or one language's words
into another's; and those kept for the whole process are bounded.

The render cache is off here: what is tested is the render that builds the HTML.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import translation
from wagtail import blocks
from wagtail.documents import get_document_model

from tests.factories import make_evidence, make_poster
from wagtail_evidence.archives import tasks
from wagtail_evidence.blocks import EvidenceBlock
from wagtail_evidence.media import weburls
from wagtail_evidence.models import Appearance, ArchivedCopy, Credit, Evidence
from wagtail_evidence.reader import card


TELEGRAM = "https://t.me/demo_observers/2501"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture(autouse=True)
def render_cache_off(settings):
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": None}


def players(html):
    """The address of every player the HTML holds, in order."""
    return [frame["src"] for frame in BeautifulSoup(str(html), "html.parser")("iframe")]


def block_value(evidence):
    return EvidenceBlock().to_python({"evidence": evidence.pk, "caption": ""})


@pytest.mark.django_db
def test_a_changed_media_address_moves_the_player_of_the_same_instance():
    block = EvidenceBlock()
    value = block_value(make_evidence(media_url=TELEGRAM))
    assert players(block.render(value)) == ["https://t.me/demo_observers/2501?embed=1"]

    record = value.item  # the very instance the first render parsed
    record.media_url = YOUTUBE
    record.save()  # derives the provider and the id again, as every save does
    assert players(block.render(value)) == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    ]


@pytest.mark.django_db
def test_an_address_changed_past_validation_drops_the_player_it_no_longer_names():
    """An address written without save() (code, loaddata) no longer matches the
    stored provider and id: the instance must not keep the old player."""
    block = EvidenceBlock()
    value = block_value(make_evidence(media_url=TELEGRAM))
    assert players(block.render(value)) == ["https://t.me/demo_observers/2501?embed=1"]

    value.item.media_url = "https://t.me/demo_observers/9999"
    html = block.render(value)
    assert players(html) == []
    assert "2501" not in str(html)


@pytest.mark.django_db
def test_records_of_one_stream_each_keep_their_own_parse():
    first = make_evidence(title="First", media_url=TELEGRAM)
    second = make_evidence(title="Second", media_url=YOUTUBE)
    stream = blocks.StreamBlock([("evidence", EvidenceBlock())])
    raw = [
        {"type": "evidence", "value": {"evidence": pk, "caption": ""}}
        for pk in (first.pk, second.pk, first.pk)
    ]
    html = stream.render(stream.to_python(raw))
    assert players(html) == [
        "https://t.me/demo_observers/2501?embed=1",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://t.me/demo_observers/2501?embed=1",
    ]


@pytest.mark.django_db
def test_the_blocks_words_follow_the_language_of_each_render():
    block = EvidenceBlock()
    value = block_value(make_evidence())
    for language, hide, credits in (
        ("fr", "Masquer à nouveau", "Crédits"),
        ("en", "Hide again", "Credits"),
        ("ar", "إخفاء مجددًا", "الإشارات"),
        ("fr", "Masquer à nouveau", "Crédits"),
    ):
        with translation.override(language):
            soup = BeautifulSoup(str(block.render(value)), "html.parser")
        assert soup.find(attrs={"data-evidence-action": "hide"}).text == hide
        assert soup.find(class_="evidence-credits__heading").text == credits


def test_the_address_memos_are_bounded():
    weburls._parse_web_url.cache_clear()
    weburls._normalise_host.cache_clear()
    extra = 10
    for number in range(weburls.PARSED_URLS_KEPT + extra):
        weburls.parse_web_url(f"https://host{number % 2000}.example/{number}")
    parsed = weburls._parse_web_url.cache_info()
    hosts = weburls._normalise_host.cache_info()
    assert parsed.currsize == parsed.maxsize == weburls.PARSED_URLS_KEPT
    assert hosts.currsize == hosts.maxsize == weburls.HOSTS_KEPT


def test_a_refused_address_is_refused_again_in_the_language_then_active():
    """Refusals are not kept: each says why in the language of its request."""
    url = "https://example.org:8443/video"
    messages = {}
    for language in ("fr", "en", "fr"):
        with translation.override(language):
            with pytest.raises(ValidationError) as refusal:
                weburls.parse_web_url(url)
            messages.setdefault(language, set()).add(str(refusal.value.messages[0]))
    assert messages == {
        "fr": {"Les adresses web sur des ports inhabituels ne sont pas acceptées."},
        "en": {"Web addresses on unusual ports are not accepted."},
    }


@pytest.mark.django_db
def test_a_record_loaded_from_the_database_still_takes_its_children_as_keywords():
    """Evidence.__init__ skips modelcluster's keyword handling only for rows
    from the database: built in code, credits given as keywords still count."""
    from wagtail_evidence.models import Credit

    evidence = make_evidence()
    loaded = Evidence.objects.get(pk=evidence.pk)
    assert [credit.name for credit in loaded.credits.all()] == ["Obretix"]
    built = Evidence(
        title="Built", credits=[Credit(name="Someone", role="geolocation")]
    )
    assert [credit.name for credit in built.credits.all()] == ["Someone"]


ROWS_TEMPLATE = "testapp/blocks/evidence_rows.html"  # loops over the card's rows


def varied_records():
    """Records that between them fill every section reader.card_html writes:
    credits with and without organisation and link, appearances with a date in
    each precision, a note and archived copies, a located item with its map, a
    withheld one, methods over two lines, a warned item and a verification
    history. Editor text carries markup, which must come out escaped."""
    poster = make_evidence(title="Poster & credits", poster=make_poster())
    Credit.objects.create(
        evidence=poster,
        name="Org <person>",
        organisation="Org & Co",
        role="verification",
        url="https://example.org/work",
        sort_order=5,
    )
    located = make_evidence(
        title="Located",
        latitude="39.1",
        longitude="47.0",
        location_precision="exact",
        location_method="Line 1\nLine 2 <b>bold?</b>",
        filmed_on=datetime.date(2020, 9, 27),
        date_status="confirmed",
        identified="Unit <X>",
        identity_status="disputed",
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        appearances=[
            Appearance(
                platform="telegram",
                account="Channel <1>",
                url="https://t.me/demo_observers/1",
                first_seen=datetime.date(2020, 9, 1),
                first_seen_precision="month",
                archive_urls="https://archive.example/x",
                note="Note & more",
            ),
            Appearance(
                platform="news_site",
                first_seen=datetime.date(2020, 9, 2),
                first_seen_precision="approximate",
            ),
        ],
    )
    withheld = make_evidence(
        title="Withheld", latitude="39.1", longitude="47.0", withhold_coordinates=True
    )
    warned = make_evidence(
        title="Warned",
        warning_level="graphic",
        warning_categories=["violence"],
        description="Safe <description>",
    )
    history = make_evidence(title="History")
    history.verdict = "misleading"
    history.save_revision().publish()  # the badge changed: a line of history
    return [poster, located, withheld, warned, history]


@pytest.mark.django_db
def test_the_sections_written_in_python_are_what_a_template_of_the_rows_writes(
    settings,
):
    """reader.card_html writes the facets, credits, appearances and history as
    the template wrote them from the card's rows, character for character, in
    every language: what readers get did not change, and an override that still
    loops over the rows (docs/how-to/override-templates.md) agrees with it."""
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": None, "LOCATOR_MAP": True}
    raw = [
        {"type": "evidence", "value": {"evidence": record.pk, "caption": "Seen."}}
        for record in varied_records()
    ]
    ours = blocks.StreamBlock([("evidence", EvidenceBlock())])
    rows = blocks.StreamBlock([("evidence", EvidenceBlock(template=ROWS_TEMPLATE))])
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            html = str(ours.render(ours.to_python(raw)))
            assert html == str(rows.render(rows.to_python(raw)))
        soup = BeautifulSoup(html, "html.parser")
        # Every section was written, so the comparison compared something.
        assert len(soup.select(".evidence-credit")) == 6  # one each, two for one
        assert len(soup.select(".evidence-appearance__date")) == 2
        assert len(soup.select(".evidence-appearance__archives a")) == 1
        assert len(soup.select(".evidence-map-figure")) == 1
        assert len(soup.select(".evidence-location__fact--withheld")) == 1
        assert len(soup.select(".evidence-history li")) == 1
        method = soup.select_one(".evidence-facet__method p")
        assert method.decode_contents() == "Line 1<br/>Line 2 &lt;b&gt;bold?&lt;/b&gt;"
        assert soup.find(string="Unit <X>") is not None  # escaped, read as text


YOUTUBE_COPY = f"https://web.archive.org/web/20201003120000/{YOUTUBE}"


def own_video():
    return get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00", name="clip.mp4")
    )


def source_gone(evidence, status, users, copy=True):
    """``evidence``'s media marked gone by the desk, with a captured copy or not."""
    if copy:
        ArchivedCopy.objects.create(
            evidence=evidence,
            captured_url=evidence.media_url,
            archive_url=YOUTUBE_COPY,
            service="Internet Archive",
            captured_at=datetime.datetime(2020, 10, 3, 23, tzinfo=datetime.UTC),
        )
    tasks.set_status(evidence, evidence.media_url, status, users["verifier"])
    return evidence


def every_media_kind(users):
    """One record of each kind of media box, with editor text that needs escaping:
    (record, what the article's block says)."""
    warned = {"warning_level": "graphic", "warning_categories": ["violence"]}
    return [
        # A platform's player after consent, on our poster or on a tile
        (make_evidence(title="Embed", media_url=YOUTUBE, poster=make_poster()), {}),
        (make_evidence(title="Tile", description="A <tile> & text"), {}),
        (make_evidence(title="Tile, no words", description=""), {}),
        # Link only: by the record, by the article, and a link we cannot embed
        (make_evidence(title="Link only", display="link"), {}),
        (make_evidence(title="Article link only"), {"display": "link"}),
        (
            make_evidence(
                title="Any link",
                media_url="https://example.org/v?a=1&b=2",
                display="link",
            ),
            {},
        ),
        # Our own video, with and without its safe description
        (make_evidence(title="Own", media_url="", video_file=own_video()), {}),
        (
            make_evidence(
                title="Own, no words",
                media_url="",
                video_file=own_video(),
                description="",
            ),
            {},
        ),
        # Covered: graphic, disturbing and flashing, warned and link only, own video
        (make_evidence(title="Graphic", description="Bodies <b>", **warned), {}),
        (
            make_evidence(
                title="Flashing",
                warning_level="disturbing",
                warning_categories=["flashing", "distress"],
                poster=make_poster(),
            ),
            {},
        ),
        (make_evidence(title="Warned, no category", warning_level="disturbing"), {}),
        (make_evidence(title="Warned link", display="link", **warned), {}),
        (
            make_evidence(
                title="Warned own", media_url="", video_file=own_video(), **warned
            ),
            {},
        ),
        # The source gone: a captured copy, a pasted one only, none
        (
            source_gone(
                make_evidence(title="Deleted", media_url=YOUTUBE, **warned),
                "deleted",
                users,
            ),
            {},
        ),
        (
            source_gone(
                make_evidence(
                    title="Embedding off",
                    media_url=TELEGRAM,
                    appearances=[
                        Appearance(
                            platform="telegram",
                            url=TELEGRAM,
                            archive_urls="https://archive.ph/abc12",
                        )
                    ],
                ),
                "embedding_disabled",
                users,
                copy=False,
            ),
            {},
        ),
        (
            source_gone(
                make_evidence(title="Gone, no copy", media_url=YOUTUBE),
                "deleted",
                users,
                copy=False,
            ),
            {},
        ),
    ]


def render_on_a_page(stream, raw):
    """The stream's HTML, its anchors (and the ids made of them) as a page's
    request gives them."""
    request = RequestFactory().get("/")
    return str(stream.render(stream.to_python(raw), {"request": request}))


@pytest.mark.django_db
def test_the_media_box_written_in_python_is_what_its_templates_write(
    users, monkeypatch
):
    """reader.media_html writes includes/media_or_archive.html and
    includes/media.html character for character, for every kind of media box
    and in every language; with either template overridden, the block prints
    the include, as it does here when told they are overridden."""
    raw = [
        {
            "type": "evidence",
            "value": {"evidence": record.pk, "caption": "Seen.", **block_value},
        }
        for record, block_value in every_media_kind(users)
    ]
    stream = blocks.StreamBlock([("evidence", EvidenceBlock())])
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            ours = render_on_a_page(stream, raw)
            with monkeypatch.context() as overridden:
                overridden.setattr(card, "package_template_in_use", lambda name: False)
                templates = render_on_a_page(stream, raw)
        assert ours == templates
        soup = BeautifulSoup(ours, "html.parser")
        # Every kind was written, so the comparison compared something.
        assert len(soup.select("[data-evidence-player]")) == 6
        # Counted in the text: the parser leaves out some of what <template> holds.
        assert ours.count('<video class="evidence-player"') == 3
        assert ours.count('class="evidence-media__poster"') == 2
        assert len(soup.select(".evidence-media--link-only")) == 7
        assert len(soup.select("[data-evidence-cover]")) == 5
        assert len(soup.select("[data-evidence-photosensitive]")) == 1
        assert len(soup.select("[data-evidence-source-gone]")) == 3
        assert len(soup.select(".evidence-media__archive a")) == 2
        assert len(soup.select(".evidence-media__link-only-note")) == 4
        assert soup.find(string="A <tile> & text") is not None  # escaped, read as text


@pytest.mark.django_db
def test_a_site_that_overrides_the_media_box_gets_its_own(settings, tmp_path):
    """An override of includes/media.html, found by the template loaders before
    the package's, is what readers get: the box is not written in Python then."""
    override = tmp_path / "wagtail_evidence" / "includes" / "media.html"
    override.parent.mkdir(parents=True)
    override.write_text('<div class="site-media">{{ item.title }}</div>')
    block = EvidenceBlock()
    value = block_value(make_evidence(title="Overridden"))
    assert 'class="evidence-media ' in str(block.render(value))

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = str(block.render(value))
    assert '<div class="site-media">Overridden</div>' in html
    assert 'class="evidence-media ' not in html
