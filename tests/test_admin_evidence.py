"""Editors create and correct Evidence records through the snippet admin over HTTP."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from tests.admin_forms import form_data, inline_rows
from wagtail_evidence.models import Evidence


ADD_URL = reverse("wagtailsnippets_wagtail_evidence_evidence:add")

pytestmark = pytest.mark.django_db


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def convoy_form(client, **overrides):
    data = form_data(client.get(ADD_URL))
    data.update(
        title="Convoy in Horadiz",
        media_url="https://t.me/demo_observers/2533",
        description="Pick-up trucks carry armed men down a street.",
        place="Horadiz",
        region="Fuzuli district",
        country="Azerbaijan",
        latitude="39.448",
        longitude="47.336",
        location_status="confirmed",
        location_method="Shop fronts matched to a street.",
        date_status="not_established",
        tags="Horadiz, convoy",
    )
    data.update(
        inline_rows(
            "appearances",
            [
                {
                    "platform": "telegram",
                    "account": "Syrian social media",
                    "url": "https://t.me/demo_observers/2533",
                    "first_seen": "2020-09-27",
                    "first_seen_precision": "exact",
                    "archive_urls": "https://archive.example/abc\nhttps://web.archive.example/def",
                    "note": "",
                },
                {
                    "platform": "x",
                    "account": "A relay account",
                    "url": "",
                    "first_seen": "",
                    "first_seen_precision": "exact",
                    "archive_urls": "",
                    "note": "Relayed a day later.",
                },
            ],
        )
    )
    data.update(
        inline_rows(
            "credits",
            [
                {
                    "name": "Social media users",
                    "organisation": "",
                    "role": "geolocation",
                    "url": "",
                },
                {
                    "name": "Investigative media",
                    "organisation": "",
                    "role": "geolocation",
                    "url": "https://www.bellingcat.com/",
                },
            ],
        )
    )
    data.update(overrides)
    return data


def test_an_editor_creates_evidence_with_appearances_credits_and_tags(login):
    client = login("editor")
    response = client.post(ADD_URL, convoy_form(client))

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert (evidence.provider, evidence.media_id) == ("telegram", "demo_observers/2533")
    assert (
        not evidence.live
    )  # a draft until someone with publish permission publishes it
    assert [a.account for a in evidence.appearances.all()] == [
        "Syrian social media",
        "A relay account",
    ]
    assert evidence.appearances.first().archive_url_list == [
        "https://archive.example/abc",
        "https://web.archive.example/def",
    ]
    assert [c.name for c in evidence.credits.all()] == [
        "Social media users",
        "Investigative media",
    ]
    assert sorted(evidence.tags.names()) == ["Horadiz", "convoy"]
    # Tags travel with revisions, so a restored revision keeps them.
    assert sorted(evidence.latest_revision.as_object().tags.names()) == [
        "Horadiz",
        "convoy",
    ]


def test_the_verification_desk_publishes_it_and_readers_get_the_live_record(login):
    client = login("editor")
    client.post(ADD_URL, convoy_form(client))
    evidence = Evidence.objects.get()

    desk = login("verifier")
    data = form_data(desk.get(edit_url(evidence)))
    response = desk.post(
        edit_url(evidence), {**data, "action-publish": "action-publish"}
    )

    evidence.refresh_from_db()
    assert response.status_code == 302
    assert evidence.live
    assert evidence.badge.label == "Unverified"  # no verdict yet


BAD_INPUT = [
    pytest.param(
        {"media_url": "https://www.bellingcat.com/news/2020/"},
        [
            "cannot be embedded",
            "YouTube, X (Twitter), Telegram, Facebook, Vimeo, Instagram, TikTok",
            "Link only",
        ],
        id="unsupported-site",
    ),
    pytest.param(
        {"media_url": "https://www.youtube.com/channel/UCabc"},
        ["This YouTube address does not point to a single video or post", "Link only"],
        id="provider-page-not-media",
    ),
    pytest.param(
        {"media_url": "javascript:alert(1)"},
        ["Only web addresses starting with http:// or https:// are accepted."],
        id="not-http",
    ),
    pytest.param({"latitude": "91"}, ["less than or equal to 90"], id="latitude-range"),
    pytest.param(
        {"longitude": "-180.5"}, ["greater than or equal to -180"], id="longitude-range"
    ),
    pytest.param(
        {"longitude": ""},
        ["Give both latitude and longitude, or neither."],
        id="half-coordinates",
    ),
    pytest.param(
        {"filmed_on": "2999-01-01"},
        ["This date is in the future."],
        id="filmed-in-future",
    ),
    pytest.param(
        {"appearances-0-first_seen": "2999-01-01"},
        ["This date is in the future."],
        id="first-seen-in-future",
    ),
    pytest.param(
        {"appearances-0-url": "ftp://files.example/video"},
        ["Only web addresses starting with http:// or https://"],
        id="appearance-not-http",
    ),
    pytest.param(
        {
            "appearances-0-archive_urls": "https://archive.example/ok\nhttps://127.0.0.1/x"
        },
        ["Line 2:"],
        id="archive-line",
    ),
    pytest.param(
        {"credits-1-url": "https://user:pw@example.org/"},
        ["user name or password"],
        id="credit-userinfo",
    ),
    pytest.param(
        {"date_status": "confirmed"},
        ["A confirmed date needs the date filmed."],
        id="confirmed-date-without-date",
    ),
    pytest.param(
        {"warning_level": "graphic", "description": ""},
        ["needs a safe description"],
        id="warning-without-description",
    ),
    pytest.param(
        {"warning_categories": "violence"},
        ["Choose a warning level"],
        id="categories-without-level",
    ),
]


@pytest.mark.parametrize(("overrides", "messages"), BAD_INPUT)
def test_bad_input_gets_a_clear_form_error_and_loses_nothing(
    login, overrides, messages
):
    client = login("verifier")  # the desk sees every field, statuses included
    response = client.post(ADD_URL, convoy_form(client, **overrides))

    assert response.status_code == 200
    assert not Evidence.objects.exists()
    page = response.content.decode()
    for message in messages:
        assert message in page
    kept = form_data(response)
    assert kept["title"] == "Convoy in Horadiz"
    assert kept["location_method"].strip() == "Shop fronts matched to a street."
    assert kept["appearances-0-account"] == "Syrian social media"
    assert kept["credits-1-name"] == "Investigative media"
    for field, value in overrides.items():
        assert kept.get(field, "").strip() == value.strip()


def test_link_only_accepts_an_address_no_provider_can_embed(login):
    client = login("editor")
    response = client.post(
        ADD_URL,
        convoy_form(
            client,
            media_url="https://aleppo-news.example/2020/10/03/video",
            display="link",
        ),
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert evidence.provider == ""
    assert evidence.effective_display == "link"


def test_the_original_files_sha256_is_computed_on_save_and_cannot_be_typed(login):
    payload = b"original capture \x00\x01 as received from the source"
    document = get_document_model().objects.create(
        title="Capture", file=ContentFile(payload, name="capture.mp4")
    )
    client = login("editor")
    data = convoy_form(
        client, original_file=str(document.pk), original_file_sha256="0" * 64
    )
    client.post(ADD_URL, data)

    evidence = Evidence.objects.get()
    assert evidence.original_file_sha256 == hashlib.sha256(payload).hexdigest()
    page = client.get(edit_url(evidence)).content.decode()
    assert evidence.original_file_sha256 in page
    assert 'name="original_file_sha256"' not in page  # shown read-only


def test_editors_find_evidence_in_the_chooser_by_title_and_place(login):
    client = login("editor")
    client.post(ADD_URL, convoy_form(client))
    chooser = reverse("wagtailsnippetchoosers_wagtail_evidence_evidence:choose_results")

    assert "Convoy in Horadiz" in client.get(chooser, {"q": "convoy"}).content.decode()
    assert "Convoy in Horadiz" in client.get(chooser, {"q": "Horadiz"}).content.decode()
    assert (
        "Convoy in Horadiz" not in client.get(chooser, {"q": "Marjan"}).content.decode()
    )


def test_a_draft_edit_of_live_evidence_keeps_the_live_row_and_derives_the_draft(login):
    client = login("editor")
    client.post(ADD_URL, convoy_form(client))
    evidence = Evidence.objects.get()
    evidence.save_revision().publish()

    data = form_data(client.get(edit_url(evidence)))
    client.post(
        edit_url(evidence), {**data, "media_url": "https://youtu.be/Zx8cV2bN4mQ"}
    )

    evidence.refresh_from_db()
    assert evidence.provider == "telegram"  # readers keep the published media
    draft = evidence.latest_revision.as_object()
    assert (draft.provider, draft.media_id) == ("youtube", "Zx8cV2bN4mQ")


def test_a_replaced_original_file_keeps_its_recorded_hash_and_is_flagged(login):
    first, second = b"as captured", b"edited later"
    document = get_document_model().objects.create(
        title="Capture", file=ContentFile(first, name="capture.mp4")
    )
    client = login("editor")
    client.post(ADD_URL, convoy_form(client, original_file=str(document.pk)))
    evidence = Evidence.objects.get()
    assert evidence.original_file_sha256 == hashlib.sha256(first).hexdigest()

    document.file = ContentFile(second, name="capture-edited.mp4")
    document.save()
    evidence.refresh_from_db()
    evidence.save()
    assert (
        evidence.original_file_sha256 == hashlib.sha256(first).hexdigest()
    )  # never silently follows
    assert evidence.original_file_changed
