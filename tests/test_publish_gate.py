"""An article cannot go live citing draft or deleted evidence, or distressing
evidence without a warning: on every publish path. Draft saves always pass."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import (
    GroupApprovalTask,
    PageLogEntry,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from tests.admin_forms import form_data, nested_form_data, stream
from tests.factories import (
    claim_block,
    evidence_block,
    home_page,
    make_article,
    make_evidence,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.editorial.gate import EvidenceGateError
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

NOT_PUBLISHED = "which is not published"


@pytest.fixture
def draft_evidence():
    return make_evidence(title="Unverified convoy", publish=False)


@pytest.fixture
def article(draft_evidence):
    return make_article(
        [evidence_block(draft_evidence)], publish=False, title="Gated", slug="gated"
    )


def body_data(evidence):
    return nested_form_data(
        {
            "body": stream(
                [
                    (
                        "evidence",
                        {
                            "evidence": evidence.pk,
                            "heading": "",
                            "caption": "",
                            "display": "",
                        },
                    )
                ]
            )
        }
    )


def is_live(page):
    return ArticlePage.objects.get(pk=page.pk).live


def test_the_publish_button_keeps_the_draft_and_says_why_it_is_not_live(
    login, article, draft_evidence
):
    moderator = login("moderator")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = moderator.post(
        url,
        {
            **form_data(moderator.get(url)),
            **body_data(draft_evidence),
            "action-publish": "action-publish",
        },
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    # The title is in its own <bdi>: read the page as text.
    assert (
        "This article cannot go live: It cites “Unverified convoy”, which is not published."
        in strip_tags(response.content.decode())
    )
    assert not is_live(article)


def test_publishing_once_the_evidence_is_published_goes_through(
    login, article, draft_evidence
):
    draft_evidence.save_revision().publish()
    moderator = login("moderator")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = moderator.post(
        url,
        {
            **form_data(moderator.get(url)),
            **body_data(draft_evidence),
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    assert is_live(article)


def test_a_draft_save_of_a_live_article_is_never_blocked(login):
    evidence = make_evidence()
    article = make_article([evidence_block(evidence)])
    evidence.unpublish()  # the evidence is withdrawn after the article went live
    editor = login("editor")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = {
        **form_data(editor.get(url)),
        **body_data(evidence),
        "title": "Gated, edited",
    }
    response = editor.post(url, data)
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.latest_revision.as_object().title == "Gated, edited"


def test_approving_the_last_workflow_task_is_refused_with_a_message(
    login, article, draft_evidence
):
    review = GroupApprovalTask.objects.create(name="Moderation")
    review.groups.set([Group.objects.get(name="Moderators")])
    workflow = Workflow.objects.create(name="Articles")
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home_page())
    editor = login("editor")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    editor.post(
        url,
        {
            **form_data(editor.get(url)),
            **body_data(draft_evidence),
            "action-submit": "action-submit",
        },
    )
    article = ArticlePage.objects.get(pk=article.pk)
    state = article.current_workflow_task_state
    assert state is not None

    moderator = login("moderator")
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.pk]
    )
    response = moderator.post(
        approve, follow=True, HTTP_REFERER="http://testserver" + url
    )
    assert "This article cannot go live" in response.content.decode()
    assert not is_live(article)
    state.refresh_from_db()
    assert state.status == "in_progress"  # the approval was rolled back, not half-done


def test_bulk_publish_is_refused_with_a_message(login, article):
    moderator = login("moderator")
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={article.pk}"
    )
    response = moderator.post(
        url, {}, follow=True, HTTP_REFERER="http://testserver/admin/"
    )
    assert "This article cannot go live" in response.content.decode()
    assert not is_live(article)


def schedule(article, minutes_ago=1):
    return article.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_scheduled_publishing_skips_a_refused_article_and_says_why(article):
    refused = schedule(
        article, minutes_ago=2
    )  # due first: it must not hold the next one back
    fine = make_article(
        [evidence_block(make_evidence())], publish=False, title="Fine", slug="fine"
    )
    schedule(fine)
    out, err = io.StringIO(), io.StringIO()
    call_command("publish_scheduled", stdout=out, stderr=err)
    assert not is_live(article) and is_live(fine)
    assert f"“Gated” (page {article.pk}) was taken off the schedule:" in err.getvalue()
    assert "It cites “Unverified convoy”, which is not published." in err.getvalue()
    refused.refresh_from_db()
    assert refused.approved_go_live_at is None  # the draft stays, unscheduled
    entry = PageLogEntry.objects.get(
        page=article, action="wagtail_evidence.schedule_refused"
    )
    assert "not published" in entry.comment


def test_evidence_scheduled_earlier_in_the_same_run_lets_the_article_through(
    article, draft_evidence
):
    draft_evidence.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    schedule(article, minutes_ago=1)
    err = io.StringIO()
    call_command("publish_scheduled", stdout=io.StringIO(), stderr=err)
    assert Evidence.objects.get(pk=draft_evidence.pk).live
    assert is_live(article)
    assert err.getvalue() == ""


def test_a_dry_run_of_scheduled_publishing_changes_nothing(article):
    refused = schedule(article)
    err = io.StringIO()
    call_command("publish_scheduled", dryrun=True, stdout=io.StringIO(), stderr=err)
    assert "would be taken off the schedule" in err.getvalue()
    refused.refresh_from_db()
    assert refused.approved_go_live_at is not None


def test_wagtails_own_scheduled_publishing_still_cannot_publish_it(article):
    from wagtail.management.commands.publish_scheduled import (
        Command as WagtailPublishScheduled,
    )

    schedule(article)
    with pytest.raises(EvidenceGateError, match="not published"):
        call_command(WagtailPublishScheduled(), stdout=io.StringIO())
    assert not is_live(article)


def test_a_system_check_warns_when_wagtails_command_would_win(settings):
    from django.core.checks import run_checks

    from wagtail_evidence.checks.app_order import app_order_warnings

    assert "wagtail_evidence.W001" not in [message.id for message in run_checks()]
    # Reordering INSTALLED_APPS for real would re-populate the app registry.
    apps = [app for app in settings.INSTALLED_APPS if app != "wagtail_evidence"]
    assert [
        message.id for message in app_order_warnings([*apps, "wagtail_evidence"])
    ] == ["wagtail_evidence.W001"]


def test_revision_publish_in_code_raises_a_clear_exception(article):
    with pytest.raises(EvidenceGateError) as raised:
        article.get_latest_revision().publish()
    assert raised.value.messages == [
        "This article cannot go live: It cites “Unverified convoy”, which is not published. Ask the verification desk to publish it, or remove it."
    ]
    assert not is_live(article)


def test_deleted_and_unwarned_distressing_evidence_are_refused_too(
    article, draft_evidence
):
    distressing = make_evidence(title="Distressing")
    Evidence.objects.filter(pk=distressing.pk).update(
        warning_categories=["violence"]
    )  # as an import might
    claim = claim_block(draft_evidence)
    other = make_article(
        [evidence_block(distressing), claim], publish=False, title="Other", slug="other"
    )
    draft_evidence.delete()
    with pytest.raises(EvidenceGateError) as raised:
        ArticlePage.objects.get(pk=other.pk).get_latest_revision().publish()
    text = " ".join(raised.value.messages)
    assert (
        "has been deleted" in text
        and "“Distressing”, marked as distressing but without a content warning" in text
    )
