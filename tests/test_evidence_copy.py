"""Copying an Evidence record in the admin makes a new draft and never touches
the original: the form Wagtail hands out on GET, posted back to the copy URL,
used to save over the original record."""

import pytest
from django.urls import reverse

from tests.admin_forms import client_for, form_data
from tests.factories import make_evidence
from wagtail_evidence.choices import Badge
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db

DESK_FIELDS = [
    "location_status",
    "date_status",
    "identity_status",
    "authenticity_status",
    "verdict",
    "verdict_note",
]


def copy_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:copy", args=[evidence.pk])


def snapshot(evidence):
    """Everything about the original row that a copy must leave alone."""
    row = Evidence.objects.get(pk=evidence.pk)
    return {
        "fields": {
            f.attname: f.value_from_object(row)
            for f in Evidence._meta.concrete_fields
            if f.attname != "render_token"
        },
        "credits": sorted(
            Credit.objects.filter(evidence=row).values_list("pk", "name", "role")
        ),
        "appearances": sorted(row.appearances.values_list("pk", "account")),
        "revisions": row.revisions.count(),
    }


@pytest.fixture
def original(users):
    evidence = make_evidence(
        verdict="verified",
        verdict_note="Checked against satellite imagery.",
        identity_status="confirmed",
        identified="A unit",
    )
    evidence.credits.add(Credit(name="Afrin Post", role="verification"))
    evidence.save()
    evidence.save_revision(user=users["verifier"]).publish()
    # Locked by the desk: a copy does not need the lock, and must not get past it.
    Evidence.objects.filter(pk=evidence.pk).update(
        locked=True, locked_by=users["verifier"]
    )
    return Evidence.objects.get(pk=evidence.pk)


@pytest.mark.parametrize("role", ["editor", "moderator", "verifier", "admin"])
def test_posting_the_copy_form_back_creates_a_new_draft_and_leaves_the_original(
    users, original, role
):
    client = client_for(users[role])
    before = snapshot(original)
    data = {
        **form_data(client.get(copy_url(original))),
        "title": "A different video",
        "media_url": "https://t.me/demo_observers/9999",
    }

    response = client.post(copy_url(original), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(original) == before
    copy = Evidence.objects.exclude(pk=original.pk).get()
    assert (copy.title, copy.media_url, copy.live) == (
        "A different video",
        "https://t.me/demo_observers/9999",
        False,
    )
    assert not copy.locked


@pytest.mark.parametrize("role", ["editor", "verifier"])
def test_a_copy_starts_with_the_desk_fields_at_their_defaults(users, original, role):
    client = client_for(users[role])
    page = client.get(copy_url(original))
    client.post(copy_url(original), form_data(page))

    copy = Evidence.objects.exclude(pk=original.pk).get()
    assert [getattr(copy, name) for name in DESK_FIELDS] == [
        "unchecked",
        "unchecked",
        "unchecked",
        "unchecked",
        "pending",
        "",
    ]
    assert copy.badge == Badge.UNVERIFIED
    # What editors wrote comes along; verification credits do not.
    assert (copy.place, copy.identified, copy.description) == (
        original.place,
        original.identified,
        original.description,
    )
    assert sorted(copy.credits.values_list("name", "role")) == [
        ("Obretix", "geolocation")
    ]
    assert list(copy.appearances.values_list("account", flat=True)) == ["A channel"]
    # The original's child rows were copied, not moved.
    assert original.credits.count() == 2 and original.appearances.count() == 1


def test_a_forged_copy_post_naming_the_originals_rows_cannot_change_them(
    users, original
):
    client = client_for(users["editor"])
    data = form_data(client.get(copy_url(original)))
    credit = original.credits.get(role="geolocation")
    # As if the form had been loaded from the original: its rows' ids, one row deleted.
    data.update(
        {
            "credits-INITIAL_FORMS": "1",
            "credits-0-id": str(credit.pk),
            "credits-0-name": "Someone else",
            "credits-0-DELETE": "1",
        }
    )
    before = snapshot(original)

    client.post(copy_url(original), data)

    assert snapshot(original) == before


def test_a_user_without_evidence_permission_cannot_copy(
    users, original, django_user_model
):
    from django.contrib.auth.models import Permission

    outsider = django_user_model.objects.create_user("outsider", password="x")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for(outsider)
    before = snapshot(original)

    assert client.get(copy_url(original)).status_code in (302, 403)
    client.post(
        copy_url(original),
        {"title": "Mine now", "media_url": "https://t.me/demo_observers/1"},
    )

    assert snapshot(original) == before
    assert Evidence.objects.count() == 1
