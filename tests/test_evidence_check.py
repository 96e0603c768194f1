"""The evidence-check workflow task, used over HTTP as the desk and moderators
use it: the checklist, approval refused with the failing items named, request
changes always possible, combined with Wagtail's group approval, and the
dashboard panel."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Task, TaskState

from tests.admin_forms import body_data, form_data
from tests.factories import (
    claim_block,
    evidence_block,
    make_article,
    make_article_workflow,
    make_evidence,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.editorial.roles import VERIFICATION_DESK
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import EvidenceCheckTask


pytestmark = pytest.mark.django_db

DISCLOSURE = "We could not establish when the video was filmed."


@pytest.fixture
def workflow(users):
    """Evidence check by the desk, then Wagtail's approval by the moderators."""
    return make_article_workflow()


@pytest.fixture
def partly_verified():
    # The factory's record: location confirmed, date not established, signed off.
    return make_evidence(title="Convoy on the M4")


def submitted(login, body, title="Checked article", slug="checked"):
    article = make_article(body, publish=False, title=title, slug=slug)
    editor = login("editor")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = editor.post(
        url,
        {
            **form_data(editor.get(url)),
            **body_data(body),
            "action-submit": "action-submit",
        },
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.current_workflow_task_state is not None
    return article


def action_url(article, action):
    state = article.current_workflow_task_state
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, action, state.pk]
    )


def approve(client, article, referer="http://testserver/admin/"):
    return client.post(
        action_url(article, "approve"),
        {"comment": ""},
        follow=True,
        HTTP_REFERER=referer,
    )


def current_task(article):
    return ArticlePage.objects.get(pk=article.pk).current_workflow_task


def test_the_approve_dialog_shows_the_checklist(login, workflow, partly_verified):
    article = submitted(login, [evidence_block(partly_verified)])
    verifier = login("verifier")
    response = verifier.get(
        action_url(article, "approve"), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    html = json.loads(response.content)["html"]
    assert "Convoy on the M4" in html
    assert "Partially verified" in html and "Missing" in html
    assert (
        "whose badge is Partially verified, without telling readers what could not be verified"
        in html
    )
    assert 'type="submit"' not in html  # nothing to approve with until the check passes


def test_approval_is_refused_naming_the_failing_items(login, workflow, partly_verified):
    draft = make_evidence(title="Night strike", publish=False)
    article = submitted(login, [evidence_block(partly_verified), evidence_block(draft)])
    verifier = login("verifier")
    response = approve(verifier, article)
    text = response.content.decode()
    assert (
        "The evidence check fails: It cites “Convoy on the M4”, whose badge is Partially verified"
        in text
    )
    assert (
        "The evidence check fails: It cites “Night strike”, which is not published."
        in text
    )
    state = TaskState.objects.get(pk=article.current_workflow_task_state.pk)
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert current_task(article).name == "Evidence check"


def test_the_dialog_over_ajax_gets_a_redirect_to_the_messages(
    login, workflow, partly_verified
):
    article = submitted(login, [evidence_block(partly_verified)])
    verifier = login("verifier")
    response = verifier.post(
        action_url(article, "approve"),
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        HTTP_REFERER="http://testserver/admin/",
    )
    assert json.loads(response.content) == {
        "step": "success",
        "redirect": "http://testserver/admin/",
    }
    assert "The evidence check fails" in verifier.get("/admin/").content.decode()


def test_a_disclosure_lets_approval_through_to_the_next_task(
    login, workflow, partly_verified
):
    article = submitted(login, [evidence_block(partly_verified, disclosure=DISCLOSURE)])
    verifier = login("verifier")
    approve(verifier, article)
    assert current_task(article).name == "Final approval"
    assert not ArticlePage.objects.get(pk=article.pk).live

    approve(login("moderator"), article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert DISCLOSURE in login("editor").get(article.url).content.decode()


def test_a_claims_note_discloses_what_it_cites(login, workflow, partly_verified):
    claim = claim_block(
        partly_verified,
        statement="No fighters were sent.",
        assessment_note="The video's date could not be established.",
    )
    article = submitted(login, [claim])
    approve(login("verifier"), article)
    assert current_task(article).name == "Final approval"


def test_verified_evidence_needs_no_disclosure(login, workflow):
    verified = make_evidence(
        title="Verified", date_status="confirmed", filmed_on=datetime.date(2020, 9, 28)
    )
    article = submitted(login, [evidence_block(verified)])
    approve(login("verifier"), article)
    assert current_task(article).name == "Final approval"


def test_request_changes_is_always_possible_with_a_comment(
    login, workflow, partly_verified
):
    article = submitted(login, [evidence_block(partly_verified)])
    verifier = login("verifier")
    state_pk = article.current_workflow_task_state.pk
    verifier.post(
        action_url(article, "reject"), {"comment": "Say what we could not date."}
    )
    state = TaskState.objects.get(pk=state_pk)
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "Say what we could not date."


def test_only_the_tasks_groups_may_approve(login, workflow, partly_verified):
    article = submitted(login, [evidence_block(partly_verified, disclosure=DISCLOSURE)])
    for username in ("editor", "moderator"):
        response = login(username).post(
            action_url(article, "approve"), {"comment": ""}, follow=True
        )
        assert "Sorry, you do not have permission" in response.content.decode()
    assert current_task(article).name == "Evidence check"


def test_approving_from_the_editor_keeps_the_draft_and_shows_why(
    login, workflow, partly_verified
):
    article = submitted(login, [evidence_block(partly_verified)])
    verifier = login("verifier")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {
        **form_data(verifier.get(url)),
        **body_data([evidence_block(partly_verified)]),
        "title": "Retitled by the desk",
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": ""}),
    }
    response = verifier.post(
        url, data, follow=True, HTTP_REFERER="http://testserver" + url
    )
    assert "The evidence check fails" in response.content.decode()
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.get_latest_revision_as_object().title == "Retitled by the desk"
    assert article.current_workflow_task.name == "Evidence check"


def test_the_dashboard_lists_articles_waiting_on_the_check(
    login, workflow, partly_verified
):
    submitted(
        login, [evidence_block(partly_verified)], title="Failing one", slug="failing"
    )
    submitted(
        login,
        [evidence_block(partly_verified, disclosure=DISCLOSURE)],
        title="Ready one",
        slug="ready",
    )
    html = login("verifier").get(reverse("wagtailadmin_home")).content.decode()
    assert "2 articles waiting on the evidence check" in html
    assert "Failing one</a> · 1 item fails" in html
    assert "Ready one</a> · ready to approve" in html
    assert (
        "waiting on the evidence check"
        not in login("editor").get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_task_and_its_groups_are_set_up_in_the_admin(login):
    admin = login("admin")
    url = reverse(
        "wagtailadmin_workflows:add_task",
        args=["wagtail_evidence", "evidencechecktask"],
    )
    desk = Group.objects.get(name=VERIFICATION_DESK)
    response = admin.post(url, {"name": "Desk check", "groups": [desk.pk]})
    assert response.status_code == 302
    task = Task.objects.get(name="Desk check").specific
    assert isinstance(task, EvidenceCheckTask)
    assert list(task.groups.all()) == [desk]


def test_an_edit_after_the_check_is_caught_when_the_workflow_ends(
    login, workflow, partly_verified
):
    article = submitted(login, [evidence_block(partly_verified, disclosure=DISCLOSURE)])
    approve(login("verifier"), article)
    moderator = login("moderator")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {
        **form_data(moderator.get(url)),
        **body_data([evidence_block(partly_verified)]),  # disclosure removed
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": ""}),
    }
    response = moderator.post(
        url, data, follow=True, HTTP_REFERER="http://testserver" + url
    )
    assert (
        "The evidence check fails: It cites “Convoy on the M4”"
        in response.content.decode()
    )
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live
    assert article.current_workflow_task.name == "Final approval"


def test_a_record_changed_after_the_check_is_caught_when_the_workflow_ends(
    login, workflow, users
):
    verified = make_evidence(
        title="Verified", date_status="confirmed", filmed_on=datetime.date(2020, 9, 28)
    )
    article = submitted(login, [evidence_block(verified)])
    approve(login("verifier"), article)
    change_verification(
        verified, users["verifier"], verdict="pending"
    )  # the desk withdraws its sign-off
    response = approve(login("moderator"), article)
    assert (
        "The evidence check fails: It cites “Verified”, whose badge is Unverified"
        in response.content.decode()
    )
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_every_block_showing_an_item_needs_its_disclosure(
    login, workflow, partly_verified
):
    article = submitted(
        login,
        [
            evidence_block(partly_verified, disclosure=DISCLOSURE),
            evidence_block(partly_verified),
        ],
    )
    response = approve(login("verifier"), article)
    assert (
        "without telling readers what could not be verified"
        in response.content.decode()
    )
    assert current_task(article).name == "Evidence check"


def test_a_claims_note_does_not_stand_in_for_a_blocks_disclosure(
    login, workflow, partly_verified
):
    claim = claim_block(partly_verified, assessment_note="A note.")
    article = submitted(login, [claim, evidence_block(partly_verified)])
    approve(login("verifier"), article)
    assert current_task(article).name == "Evidence check"


def test_the_task_on_a_snippet_workflow_approves_records(login, users):
    """Evidence can go through workflows too; the check has nothing to hold there."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from wagtail_evidence.models import Evidence

    task = EvidenceCheckTask.objects.create(name="Desk review")
    task.groups.set([Group.objects.get(name=VERIFICATION_DESK)])
    records = Workflow.objects.create(name="Records")
    WorkflowTask.objects.create(workflow=records, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=records, content_type=ContentType.objects.get_for_model(Evidence)
    )
    record = make_evidence(title="Reviewed record", publish=False)
    record.save_revision(user=users["editor"])
    records.start(record, users["editor"])
    verifier = login("verifier")
    assert (
        "Reviewed record" in verifier.get(reverse("wagtailadmin_home")).content.decode()
    )
    state = Evidence.objects.get(pk=record.pk).current_workflow_task_state
    url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:workflow_action",
        args=[record.pk, "approve", state.pk],
    )
    verifier.post(url, {"comment": ""})
    assert Evidence.objects.get(pk=record.pk).live
