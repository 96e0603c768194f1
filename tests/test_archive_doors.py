"""Archived copies and source statuses live beside the record, not in its
revisions: each door Wagtail opens (publish an older revision, revert, copy,
delete) leaves them as they should be."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories import make_evidence
from wagtail_evidence.archives import tasks
from wagtail_evidence.models import (
    ArchivedCopy,
    Evidence,
    SourceCheck,
    SourceTask,
)


pytestmark = pytest.mark.django_db

MEDIA = "https://t.me/demo_observers/2501"


@pytest.fixture
def archived(users):
    evidence = make_evidence(media_url=MEDIA)
    ArchivedCopy.objects.create(
        evidence=evidence,
        captured_url=MEDIA,
        archive_url=f"https://web.archive.org/web/20261206101500/{MEDIA}",
        service="Internet Archive",
        captured_at=datetime(2026, 12, 6, 10, 15, tzinfo=UTC),
    )
    tasks.set_status(evidence, MEDIA, "deleted", users["verifier"])
    return Evidence.objects.get(pk=evidence.pk)


def kept(evidence):
    return (
        list(
            ArchivedCopy.objects.filter(evidence=evidence).values_list(
                "archive_url", flat=True
            )
        ),
        list(
            SourceCheck.objects.filter(evidence=evidence).values_list(
                "status", flat=True
            )
        ),
    )


def test_publishing_an_older_revision_keeps_them(archived):
    before = kept(archived)
    older = archived.revisions.order_by("created_at", "pk").first()
    archived.title = "Renamed"
    archived.save_revision().publish()
    older.publish()
    assert Evidence.objects.get(pk=archived.pk).title != "Renamed"
    assert kept(archived) == before
    assert before[0] and before[1] == ["deleted"]


def test_the_admins_revert_keeps_them(login, archived):
    before = kept(archived)
    older = archived.revisions.order_by("created_at", "pk").first()
    archived.title = "Renamed"
    archived.save_revision().publish()
    client = login("verifier")
    revert_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[archived.pk, older.pk],
    )
    data = form_data(client.get(revert_url))
    response = client.post(revert_url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert kept(archived) == before


def test_a_copy_starts_without_them(login, archived):
    client = login("editor")
    copy_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:copy", args=[archived.pk]
    )
    data = {
        **form_data(client.get(copy_url)),
        "media_url": "https://t.me/demo_observers/9999",
    }
    assert client.post(copy_url, data).status_code == 302
    copy = Evidence.objects.exclude(pk=archived.pk).get()
    assert kept(copy) == ([], [])
    assert not SourceTask.objects.filter(evidence=copy).exists()
    assert kept(archived)[0]  # the original keeps its own


def test_deleting_the_record_deletes_them(login, archived):
    client = login("verifier")
    delete_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:delete", args=[archived.pk]
    )
    assert client.post(delete_url).status_code == 302
    assert not ArchivedCopy.objects.exists()
    assert not SourceCheck.objects.exists()
