"""Evidence goes through Wagtail's drafts, locking and workflows like a page does."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import (
    GroupApprovalTask,
    Workflow,
    WorkflowContentType,
    WorkflowTask,
)

from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def snippet_url(action, evidence):
    return reverse(
        f"wagtailsnippets_wagtail_evidence_evidence:{action}", args=[evidence.pk]
    )


def test_an_editor_submits_evidence_to_a_workflow_for_the_desk(login):
    desk_review = GroupApprovalTask.objects.create(name="Desk review")
    desk_review.groups.set([Group.objects.get(name="Verification desk")])
    workflow = Workflow.objects.create(name="Evidence check")
    WorkflowTask.objects.create(workflow=workflow, task=desk_review, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(Evidence)
    )
    evidence = make_evidence(publish=False)

    editor = login("editor")
    data = form_data(editor.get(snippet_url("edit", evidence)))
    response = editor.post(
        snippet_url("edit", evidence), {**data, "action-submit": "action-submit"}
    )

    evidence.refresh_from_db()
    assert response.status_code == 302
    assert evidence.workflow_in_progress
    assert evidence.current_workflow_task.name == "Desk review"


def test_the_desk_locks_a_record_and_an_editor_cannot_save_it(login):
    evidence = make_evidence()
    login("verifier").post(snippet_url("lock", evidence))
    evidence.refresh_from_db()
    assert evidence.locked

    editor = login("editor")
    data = form_data(editor.get(snippet_url("edit", evidence)))
    editor.post(
        snippet_url("edit", evidence), {**data, "title": "Renamed by the editor"}
    )
    evidence.refresh_from_db()
    assert evidence.title == "Training camp near Hawar Kilis"
    assert (
        evidence.latest_revision.as_object().title == "Training camp near Hawar Kilis"
    )


def test_a_self_hosted_video_needs_no_address_and_readers_get_the_file(client):
    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="clip.mp4")
    )
    evidence = make_evidence(media_url="", video_file=video)
    assert evidence.is_embeddable and evidence.effective_display == "embed"
    article = make_article([evidence_block(evidence)])
    page = client.get(article.url).content.decode()
    assert "Download the video file" in page
    assert f'href="{video.url}"' in page


def test_evidence_without_any_media_is_refused(login):
    editor = login("editor")
    data = form_data(
        editor.get(reverse("wagtailsnippets_wagtail_evidence_evidence:add"))
    )
    response = editor.post(
        reverse("wagtailsnippets_wagtail_evidence_evidence:add"),
        {**data, "title": "Nothing"},
    )
    assert response.status_code == 200
    assert (
        "Give the media&#x27;s address, or a self-hosted video file."
        in response.content.decode()
    )
    assert not Evidence.objects.exists()


def test_the_desk_can_choose_posters_and_upload_files(login):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    get_image_model().objects.create(title="Poster: convoy", file=get_test_image_file())
    desk = login("verifier")
    assert (
        "Poster: convoy"
        in desk.get(reverse("wagtailimages_chooser:choose")).content.decode()
    )
    response = desk.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Capture",
            "file": ContentFile(b"raw capture", name="capture.mp4"),
            "collection": "1",
        },
    )
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="Capture").exists()


def test_the_inspect_view_shows_the_record_without_internal_fields(login):
    evidence = make_evidence()
    page = login("editor").get(snippet_url("inspect", evidence)).content.decode()
    assert "Hawar Kilis" in page
    assert "Render token" not in page and "hashed from" not in page.lower()
