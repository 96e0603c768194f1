"""The demo's posters: stills drawn by newsroom/stills.py when `load_demo` runs,
that look like footage (not flat tiles), the same bytes on every run, shaped
for the box readers see them in, and never anything graphic."""

import hashlib
import io

import pytest
from bs4 import BeautifulSoup
from newsroom import demo_content, stills
from PIL import Image, ImageStat

from wagtail_evidence.media.players import aspect_ratio
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

SPECS = {spec["title"]: spec for spec in demo_content.EVIDENCE}
# A fighter filming himself in distress is not drawn: readers see the tile.
WITHOUT_POSTER = {"Mustapha Qanti under fire"}


def picture(record):
    with record.poster.file.open("rb") as file:
        data = file.read()
    return data, Image.open(io.BytesIO(data)).convert("RGB")


def test_every_record_that_should_have_a_poster_has_one_from_its_scene(demo):
    records = {record.title: record for record in Evidence.objects.all()}
    assert set(records) == set(SPECS)
    assert {t for t, r in records.items() if r.poster is None} == WITHOUT_POSTER
    for title, record in records.items():
        if title in WITHOUT_POSTER:
            continue
        poster = SPECS[title]["poster"]
        assert poster in stills.SCENES or stills.RECYCLED[poster] in stills.SCENES
        assert record.poster.file.name.endswith(".jpg"), title


def test_posters_are_deterministic_shaped_for_their_box_and_not_flat(demo):
    for record in Evidence.objects.filter(poster__isnull=False):
        scene = SPECS[record.title]["poster"]
        data, image = picture(record)
        # Drawn again, the same bytes: the same still on every run.
        again = stills.still(scene, aspect_ratio(record))
        assert hashlib.sha256(again).hexdigest() == hashlib.sha256(data).hexdigest()
        # 960 x 540, what the default POSTER_FILTER (fill-960x540) keeps whole.
        assert image.size == (stills.WIDTH, stills.HEIGHT), record.title
        frame = stills.frame_size(aspect_ratio(record))
        if aspect_ratio(record) in stills.PORTRAIT_RATIOS:
            # A phone's 9:16 frame in the middle, its blurred, dimmed copy around it.
            assert frame == (304, 540), record.title
            left = (stills.WIDTH - frame[0]) // 2
            middle = image.crop((left, 0, left + frame[0], stills.HEIGHT))
            sides = image.crop((0, 0, left - 8, stills.HEIGHT))
            middle_light = sum(ImageStat.Stat(middle.convert("L")).mean)
            sides_light = sum(ImageStat.Stat(sides.convert("L")).mean)
            assert sides_light < middle_light * 0.8, record.title
        else:
            assert frame == (stills.WIDTH, stills.HEIGHT), record.title
        # Not a flat tile: light and shade, and many colours.
        deviations = ImageStat.Stat(image).stddev
        assert min(deviations) > 12, (record.title, deviations)
        colours = image.getcolors(maxcolors=1 << 24)
        assert len(colours) > 5000, (record.title, len(colours))
        # No colour covers much of the picture, as a tile's background would.
        assert max(count for count, _ in colours) < image.width * image.height / 20


def test_the_graphic_record_gets_a_neutral_scene_with_no_one_in_it(monkeypatch):
    graphic = [
        spec for spec in demo_content.EVIDENCE if spec.get("warning_level") == "graphic"
    ]
    assert graphic
    for spec in graphic:
        scene = spec.get("poster")
        if scene is None:
            continue
        assert scene == "hillside"
        assert not stills.SCENES[scene].has_figures
        assert not stills.SCENES[scene].emblem

    # Drawn with people, vehicles and emblems forbidden, it still draws.
    def refuse(*args, **kwargs):
        raise AssertionError("the neutral scene drew a person, a vehicle or an emblem")

    monkeypatch.setattr(stills.Canvas, "person", refuse)
    monkeypatch.setattr(stills.Canvas, "pickup", refuse)
    monkeypatch.setattr(stills, "emblem", refuse)
    assert stills.render("hillside", "4-5").size == (stills.WIDTH, stills.HEIGHT)


def test_scenes_said_to_have_no_figures_draw_none(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a person was drawn")

    monkeypatch.setattr(stills.Canvas, "person", refuse)
    for scene in stills.SCENES.values():
        if not scene.has_figures:
            stills.render(scene.name, "16-9")


def test_every_poster_readers_see_carries_the_safe_description(client, demo):
    soup = BeautifulSoup(client.get(demo.url).content, "html.parser")
    posters = soup.select("img.evidence-media__poster")
    shown = {
        record.description
        for record in Evidence.objects.filter(poster__isnull=False)
        if not record.is_warned  # the graphic one is link only: never shown
    }
    assert {poster["alt"] for poster in posters} == shown
    assert len(posters) == len(shown)
