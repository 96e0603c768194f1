"""Who may do what, over HTTP: every role against every action, each cell a
request as that user's browser would send it, judged by what it changed.

Forms are fetched as the administrator (who sees every field) and posted as the
role, so a role's request carries even the fields its own form leaves out: the
server, not the form, has to refuse them.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState

from tests.admin_forms import body_data, form_data
from tests.factories import (
    evidence_block,
    make_article,
    make_article_workflow,
    make_evidence,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "verifier", "moderator", "admin"]

# action: the roles allowed to do it
ALLOWED = {
    "create evidence": {"editor", "verifier", "moderator", "admin"},
    "edit evidence": {"editor", "verifier", "moderator", "admin"},
    "change a facet status": {"verifier", "admin"},
    "change the verdict": {"verifier", "admin"},
    "submit an article": {"editor", "moderator", "admin"},
    "approve the evidence check": {"verifier", "admin"},
    "publish an article citing unverified evidence": {"moderator", "admin"},
    "export the register": {"editor", "verifier", "moderator", "admin"},
    "view draft evidence": {"editor", "verifier", "moderator", "admin"},
}


@pytest.fixture
def world(users, login):
    workflow = make_article_workflow()
    unverified = make_evidence(title="Unverified item", verdict="pending")
    body = [evidence_block(unverified, disclosure="Not yet verified.")]
    draft_article = make_article(
        body, publish=False, title="Draft article", slug="draft-article"
    )
    in_check = make_article(body, publish=False, title="In the check", slug="in-check")
    in_check.save_revision(user=users["editor"])
    workflow.start(in_check, users["editor"])

    admin = Client()
    admin.force_login(users["admin"])
    return SimpleNamespace(
        admin=admin,
        unverified=unverified,
        body=body,
        draft_article=draft_article,
        in_check=ArticlePage.objects.get(pk=in_check.pk),
        draft_evidence=make_evidence(title="Draft evidence", publish=False),
    )


def evidence_edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def latest(evidence):
    return Evidence.objects.get(pk=evidence.pk).latest_revision.as_object()


def edit_evidence_as(client, world, **changes):
    url = evidence_edit_url(world.unverified)
    client.post(url, {**form_data(world.admin.get(url)), **changes})
    return latest(world.unverified)


def post_article_as(client, world, action):
    page = world.draft_article
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(
        url,
        {**form_data(world.admin.get(url)), **body_data(world.body), action: action},
    )
    return ArticlePage.objects.get(pk=page.pk)


def create_evidence(client, world):
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
    client.post(
        url,
        {
            **form_data(world.admin.get(url)),
            "title": "Made in the matrix",
            "media_url": "https://youtu.be/Zx8cV2bN4mQ",
        },
    )
    return Evidence.objects.filter(title="Made in the matrix").exists()


def edit_evidence(client, world):
    return (
        edit_evidence_as(client, world, description="Edited in the matrix.").description
        == "Edited in the matrix."
    )


def change_facet_status(client, world):
    return (
        edit_evidence_as(client, world, date_status="disputed").date_status
        == "disputed"
    )


def change_verdict(client, world):
    return edit_evidence_as(client, world, verdict="verified").verdict == "verified"


def submit_article(client, world):
    return post_article_as(client, world, "action-submit").workflow_in_progress


def approve_evidence_check(client, world):
    state = world.in_check.current_workflow_task_state
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[world.in_check.pk, "approve", state.pk],
        ),
        {"comment": ""},
    )
    return TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_APPROVED


def publish_article_citing_unverified(client, world):
    return post_article_as(client, world, "action-publish").live


def export_register(client, world):
    response = client.get(reverse("wagtail_evidence:register") + "?export=csv")
    return (
        response.status_code == 200
        and response["Content-Type"].startswith("text/csv")
        and b"Unverified item" in b"".join(response)
    )


def view_draft_evidence(client, world):
    response = client.get(evidence_edit_url(world.draft_evidence))
    return response.status_code == 200 and "Draft evidence" in response.content.decode()


ACTIONS = {
    "create evidence": create_evidence,
    "edit evidence": edit_evidence,
    "change a facet status": change_facet_status,
    "change the verdict": change_verdict,
    "submit an article": submit_article,
    "approve the evidence check": approve_evidence_check,
    "publish an article citing unverified evidence": publish_article_citing_unverified,
    "export the register": export_register,
    "view draft evidence": view_draft_evidence,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(action, role, world, users):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    assert ACTIONS[action](client, world) == (role in ALLOWED[action])


def test_every_action_has_a_rule():
    assert set(ACTIONS) == set(ALLOWED)
