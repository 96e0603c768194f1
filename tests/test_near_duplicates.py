"""Recycled footage: an editor who attaches media that looks like another
record's is warned, with a link to it and its badge; the register flags and
filters such records; the lookup stays one query however many records there
are; and the check says so when it is off or cannot read videos."""

import datetime
import io
import json
import os
import random
import subprocess

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image, ImageEnhance
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence, make_poster
from tests.reading import read_api
from wagtail_evidence.media import perceptual
from wagtail_evidence.models import (
    Appearance,
    Evidence,
    MediaFingerprint,
    NearDuplicate,
    near_duplicates,
)
from wagtail_evidence.models.near_duplicates import (
    CHUNK_BITS,
    CHUNKS,
    fingerprint,
    records_near,
)


pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
REGISTER_URL = reverse("wagtail_evidence:register")


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def texture(seed, size=(480, 270)):
    """A picture with something to compare: smooth random light and shade."""
    rng = random.Random(seed)  # noqa: S311  a picture, not a secret
    small = Image.frombytes("RGB", (48, 27), rng.randbytes(48 * 27 * 3))
    return small.resize(size, Image.Resampling.BICUBIC)


def recycled(picture):
    """What a repost does: a few pixels cropped, brighter, compressed again."""
    w, h = picture.size
    picture = picture.crop((3, 2, w - 3, h - 2)).resize((w, h))
    picture = ImageEnhance.Brightness(picture).enhance(1.1)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=60)
    return Image.open(io.BytesIO(buffer.getvalue()))


def image_of(picture, title="Still"):
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, "JPEG", quality=85)
    image = get_image_model()(title=title, file=ImageFile(buffer, name="still.jpg"))
    image.save()
    return image


@pytest.fixture
def convoy():
    """A verified record, online since 27 September 2020, with a poster."""
    return make_evidence(
        title="Convoy <b>in</b> Horadiz",
        poster=image_of(texture("convoy")),
        appearances=[
            Appearance(
                platform="telegram",
                account="A channel",
                first_seen=datetime.date(2020, 9, 27),
            )
        ],
    )


def new_record_form(client, poster):
    data = form_data(client.get(ADD_URL))
    data.update(
        title="Trucks near the front, posted today",
        media_url="https://t.me/demo_observers/7001",
        description="Pick-up trucks drive down a street.",
        poster=str(poster.pk),
    )
    return data


def warnings_on(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        node
        for node in soup.select(".messages li, .evidence-near-duplicates li")
        if "Looks like" in node.get_text()
    ]


def test_an_editor_attaching_a_near_copy_is_warned_with_a_link_and_the_badge(
    login, convoy
):
    client = login("editor")
    repost = image_of(recycled(texture("convoy")), title="Repost")

    response = client.post(ADD_URL, new_record_form(client, repost), follow=True)

    assert response.status_code == 200
    created = Evidence.objects.get(title="Trucks near the front, posted today")
    # The page the save leads to warns (a message, and the form's panel); the
    # form warns again each time it is opened.
    for page, shown in ((response, 2), (client.get(edit_url(created)), 1)):
        warnings = warnings_on(page)
        assert len(warnings) == shown
        for warning in warnings:
            text = warning.get_text("", strip=True)
            assert text.startswith("Looks like “Convoy <b>in</b> Horadiz” (")
            assert f"({convoy.badge.label}), first seen" in text
            assert "2020" in text and "27" in text
            link = warning.find("a")
            assert link["href"] == edit_url(convoy)
            assert link.get_text() == "Convoy <b>in</b> Horadiz"  # escaped, not markup
            assert warning.find("b") is None
    # Saved again with the same media: the form's panel still says it, the
    # save adds no message.
    data = form_data(client.get(edit_url(created)))
    again = client.post(edit_url(created), data, follow=True)
    assert again.status_code == 200
    assert [node.find_parent(class_="messages") for node in warnings_on(again)] == [
        None
    ]
    # Both ways: the earlier record is flagged too; a warning, not a refusal.
    assert set(NearDuplicate.objects.values_list("evidence_id", "other_id")) == {
        (created.pk, convoy.pk),
        (convoy.pk, created.pk),
    }
    assert warnings_on(client.get(edit_url(convoy)))


def test_an_unrelated_image_raises_no_warning(login, convoy):
    client = login("editor")
    other = image_of(texture("a market at noon"))

    response = client.post(ADD_URL, new_record_form(client, other), follow=True)

    assert response.status_code == 200
    assert warnings_on(response) == []
    created = Evidence.objects.get(title="Trucks near the front, posted today")
    form = client.get(edit_url(created)).content.decode()
    assert "No other record has media that looks like this one" in form
    assert MediaFingerprint.objects.filter(evidence=created).count() == 1
    assert not NearDuplicate.objects.exists()


def test_the_register_flags_and_filters_near_duplicates(login, convoy):
    repost = make_evidence(
        title="Repost of the convoy", poster=image_of(recycled(texture("convoy")))
    )
    make_evidence(title="A market at noon", poster=image_of(texture("market")))
    client = login("editor")

    def titles(query):
        soup = BeautifulSoup(client.get(REGISTER_URL + query).content, "html.parser")
        rows = soup.select("table.listing tbody tr")
        return {
            row.select_one("td a").get_text(strip=True): (
                "Looks like another record" in row.get_text()
            )
            for row in rows
        }

    assert titles("") == {
        "Convoy <b>in</b> Horadiz": True,
        "Repost of the convoy": True,
        "A market at noon": False,
    }
    assert set(titles("?near_duplicates=yes")) == {
        "Convoy <b>in</b> Horadiz",
        repost.title,
    }
    assert set(titles("?near_duplicates=no")) == {"A market at noon"}


def test_a_copy_is_flagged_as_a_near_duplicate_of_its_source(login, convoy):
    """By construction: it keeps the source's poster until it gets its own,
    and a copy exists to describe other media (admin/near_duplicates.py)."""
    client = login("editor")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:copy", args=[convoy.pk])
    data = {**form_data(client.get(url)), "title": "Another video of trucks"}

    response = client.post(url, data, follow=True)

    copy = Evidence.objects.get(title="Another video of trucks")
    # The message after the save, and the copy's form it leads to.
    assert [node.find("a")["href"] for node in warnings_on(response)] == [
        edit_url(convoy)
    ] * 2
    assert NearDuplicate.objects.get(evidence=copy).distance == 0


def test_deleting_a_record_takes_its_hashes_and_the_flags_it_raised(login, convoy):
    repost = make_evidence(
        title="Repost of the convoy", poster=image_of(recycled(texture("convoy")))
    )
    assert NearDuplicate.objects.filter(evidence=repost).exists()
    client = login("admin")
    delete = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:delete", args=[convoy.pk]
    )

    assert client.post(delete).status_code == 302

    assert not MediaFingerprint.objects.filter(evidence_id=convoy.pk).exists()
    assert not NearDuplicate.objects.exists()
    assert warnings_on(client.get(edit_url(repost))) == []


def test_hashes_are_no_part_of_revisions_and_follow_the_media_a_revert_brings(
    login, convoy
):
    first_poster = convoy.poster
    other = make_evidence(title="A market at noon", poster=image_of(texture("market")))
    revision = convoy.latest_revision
    assert "fingerprints" not in revision.content
    assert "near_duplicates" not in revision.content
    # The desk swaps the poster for the market's picture: now a duplicate of it.
    convoy.poster = other.poster
    convoy.save_revision().publish()
    assert NearDuplicate.objects.filter(evidence=convoy, other=other).exists()
    client = login("verifier")
    revert = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[convoy.pk, revision.pk],
    )

    data = form_data(client.get(revert))
    assert client.post(revert, {**data, "action-publish": "on"}).status_code == 302

    convoy.refresh_from_db()
    assert convoy.poster_id == first_poster.pk
    assert set(
        MediaFingerprint.objects.filter(evidence=convoy).values_list(
            "source_key", flat=True
        )
    ) == {near_duplicates.source_key("image", first_poster)}
    assert not NearDuplicate.objects.filter(evidence=convoy).exists()


def test_a_records_own_media_never_flags_it(convoy):
    """The same picture as poster and as original file: one record, no flag."""
    with convoy.poster.open_file() as handle:
        data = handle.read()
    convoy.original_file = get_document_model().objects.create(
        title="Original", file=ContentFile(data, name="original.jpg")
    )
    convoy.save()

    assert MediaFingerprint.objects.filter(evidence=convoy).count() == 2
    assert not NearDuplicate.objects.exists()


def test_flat_pictures_are_hashed_but_never_matched():
    """PDQ's quality says a flat picture's hash says little: two plain tiles
    of one colour would otherwise look like each other."""
    first = make_evidence(title="Tile one", poster=make_poster("One"))
    make_evidence(title="Tile two", poster=make_poster("Two"))

    (row,) = MediaFingerprint.objects.filter(evidence=first)
    assert row.quality < 50
    assert not NearDuplicate.objects.exists()


# The lookup: the pigeonhole guarantee and its cost.


def bits_flipped(value, per_chunk):
    """``value`` with per_chunk[i] low bits of chunk i flipped."""
    for index, count in enumerate(per_chunk):
        shift = 256 - CHUNK_BITS * (index + 1)
        value ^= ((1 << count) - 1) << shift
    return value


class Found:
    def __init__(self, value, quality=100):
        self.hex = f"{value:064x}"
        self.quality = quality


def store(evidence_id, value):
    MediaFingerprint.objects.bulk_create(
        [fingerprint(evidence_id, "poster", f"image:{evidence_id}", Found(value))]
    )


def test_every_hash_within_the_threshold_is_found_and_none_beyond(
    django_assert_num_queries,
):
    """31 bits spread as evenly as they can be (no chunk equal) are still found:
    with 16 chunks, some chunk differs by at most 31 // 16 = 1 bit. 32 bits,
    2 in every chunk, are beyond the threshold and never found."""
    records = [make_evidence(title=f"Record {n}", publish=False) for n in range(3)]
    base = random.Random(7).getrandbits(256)  # noqa: S311
    at_31 = bits_flipped(base, [2] * 15 + [1])
    at_32 = bits_flipped(base, [2] * 16)
    assert (base ^ at_31).bit_count() == 31 and (base ^ at_32).bit_count() == 32
    store(records[1].pk, at_31)
    store(records[2].pk, at_32)
    query = [fingerprint(records[0].pk, "poster", "x", Found(base))]

    with django_assert_num_queries(1):
        found = records_near(query, exclude_evidence_id=records[0].pk)

    assert found == {records[1].pk: 31}


def test_a_check_among_thousands_of_records_is_one_query(django_assert_num_queries):
    """The query count does not grow with the records: bulk rows of random
    hashes, then one check, one query (the bench measures its time)."""
    record = make_evidence(title="Checked", publish=False)
    rng = random.Random(11)  # noqa: S311
    MediaFingerprint.objects.bulk_create(
        [
            fingerprint(record.pk, "poster", f"image:{n}", Found(rng.getrandbits(256)))
            for n in range(3000)
        ],
        batch_size=500,
    )
    near = bits_flipped(rng.getrandbits(256), [0] * CHUNKS)
    store(record.pk, near)
    other = make_evidence(title="Looker", publish=False)

    with django_assert_num_queries(1):
        found = records_near([fingerprint(other.pk, "poster", "y", Found(near))])

    assert found == {record.pk: 0}


@pytest.mark.parametrize("value", [48, -1, "31"])
def test_a_threshold_the_chunks_cannot_guarantee_is_refused(settings, value):
    settings.WAGTAIL_EVIDENCE = {"NEAR_DUPLICATE_DISTANCE": value}
    with pytest.raises(ImproperlyConfigured, match="from 0 to 47"):
        near_duplicates.threshold()


# What the admin says when the check is off or cannot see into videos.


def test_without_the_extra_nothing_is_hashed_and_the_form_says_checks_are_off(
    login, monkeypatch
):
    monkeypatch.setattr(perceptual, "pdqhash", None)
    record = make_evidence(title="Unchecked", poster=image_of(texture("convoy")))

    assert not MediaFingerprint.objects.exists()
    form = login("editor").get(edit_url(record)).content.decode()
    assert "Near-duplicate checks are off" in form
    assert "wagtail-evidence[fingerprints]" in form


def test_without_ffmpeg_the_form_says_videos_are_not_compared(login, monkeypatch):
    monkeypatch.setattr(perceptual.shutil, "which", lambda name: None)
    enqueued = []
    monkeypatch.setattr(
        near_duplicates, "enqueue_key_frames", lambda *args: enqueued.append(args)
    )
    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00" * 64, name="clip.mp4")
    )
    record = make_evidence(
        title="Own video", media_url="", video_file=video, poster=None
    )

    assert enqueued == []
    assert not MediaFingerprint.objects.filter(evidence=record).exists()
    form = login("editor").get(edit_url(record)).content.decode()
    assert "ffmpeg is not installed on the server" in form


def test_readers_the_api_and_the_json_ld_say_nothing_of_near_duplicates(client):
    """An internal alert (docs/how-to/find-recycled-footage.md): the desk's
    finding reaches readers through the facets and the badge instead."""
    original = make_evidence(title="Convoy in Horadiz", poster=image_of(texture("c")))
    repost = make_evidence(
        title="Posted again as new",
        poster=image_of(recycled(texture("c"))),
        authenticity_category="DecontextualizedContent",  # a MediaReview in JSON-LD
        authenticity_status="confirmed",
    )
    assert NearDuplicate.objects.filter(evidence=repost, other=original).exists()
    article = make_article([evidence_block(repost)])

    page = client.get(article.url).content.decode()  # its JSON-LD included
    assert "application/ld+json" in page
    api = json.dumps(read_api(client, article))

    for said in (page, api):
        assert "Posted again as new" in said
        assert "Convoy in Horadiz" not in said
        assert "near-duplicate" not in said.lower()
        assert "near_duplicate" not in said.lower()
        assert "Looks like" not in said


# Skipped loudly where ffmpeg is missing, but never under CI (.ci/run installs it).
@pytest.mark.skipif(
    perceptual.ffmpeg_path() is None and not os.environ.get("CI"),
    reason="ffmpeg is not installed here: the key-frame check is not tested",
)
def test_a_videos_key_frames_are_hashed_by_the_task_and_flag_the_poster_it_shows(
    tmp_path, django_capture_on_commit_callbacks
):
    """A video whose picture is another record's poster: the task started by
    the save (django-tasks' immediate backend runs it at commit) hashes its
    key frames with ffmpeg, and the two records are flagged."""
    still = tmp_path / "still.png"
    texture("convoy").save(still)
    video = tmp_path / "clip.mp4"
    subprocess.run(  # noqa: S603  a fixed command on our own files
        [
            perceptual.ffmpeg_path(),
            "-v",
            "error",
            "-loop",
            "1",
            "-i",
            str(still),
            "-t",
            "2",
            "-pix_fmt",
            "yuv420p",
            "-vf",
            "scale=480:270",
            str(video),
        ],
        check=True,
        timeout=60,
    )
    original = make_evidence(title="Convoy", poster=image_of(texture("convoy")))
    document = get_document_model().objects.create(
        title="Clip", file=ContentFile(video.read_bytes(), name="clip.mp4")
    )

    with django_capture_on_commit_callbacks(execute=True):
        repost = make_evidence(
            title="Own video", media_url="", video_file=document, poster=None
        )

    frames = MediaFingerprint.objects.filter(evidence=repost, source="video_file")
    assert frames.count() >= 1
    assert sorted(frames.values_list("frame", flat=True))[0] == 1
    assert NearDuplicate.objects.filter(evidence=repost, other=original).exists()


def test_a_poster_whose_file_is_replaced_is_hashed_again(convoy):
    """Replaced in Wagtail's images, under the same image: the record that
    shows it now looks like what the new file looks like."""
    market = make_evidence(title="A market", poster=image_of(texture("market")))
    assert not NearDuplicate.objects.exists()
    poster = convoy.poster
    buffer = io.BytesIO()
    recycled(texture("market")).save(buffer, "JPEG")
    poster.file = ImageFile(buffer, name="replaced.jpg")
    poster._set_file_hash()
    poster.save()

    assert NearDuplicate.objects.filter(evidence=convoy, other=market).exists()
    assert MediaFingerprint.objects.filter(evidence=convoy).count() == 1
