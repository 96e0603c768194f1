"""Every path by which an article goes live, walked as the editorial roles walk it:
none makes an article live citing evidence the desk has not published. The
list, and where the gate meets each path, is in wagtail_evidence.editorial.gate."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.models import (
    GroupApprovalTask,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from tests.admin_forms import body_data, form_data
from tests.factories import evidence_block, home_page, make_article, make_evidence
from tests.testapp.models import ArticlePage, HomePage
from wagtail_evidence.editorial.gate import EvidenceGateError
from wagtail_evidence.editorial.roles import MODERATORS
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

GATE_MIDDLEWARE = "wagtail_evidence.editorial.middleware.EvidenceGateMiddleware"
NOT_PUBLISHED = "It cites “Unverified convoy”, which is not published."
WITHDRAWN_CITED = "It cites “Withdrawn convoy”, which is not published."
NOTHING_COPIED = "Nothing was copied"
WITHDRAWN = "This item has been withdrawn."


@pytest.fixture
def draft_evidence():
    return make_evidence(title="Unverified convoy", publish=False)


@pytest.fixture
def published_evidence():
    return make_evidence(title="Published convoy")


@pytest.fixture
def withdrawn_article():
    """Live since its evidence was published; the desk has unpublished it since."""
    evidence = make_evidence(title="Withdrawn convoy")
    article = make_article(
        [evidence_block(evidence)], title="Withdrawn", slug="withdrawn"
    )
    evidence.unpublish()
    return article


@pytest.fixture
def live_with_gated_draft(published_evidence, draft_evidence):
    """Live citing published evidence; its latest draft cites a draft record."""
    article = make_article(
        [evidence_block(published_evidence)], title="Half done", slug="half-done"
    )
    return save_draft(article, [evidence_block(draft_evidence)])


@pytest.fixture(params=["with the middleware", "without the middleware"])
def middleware(request, settings):
    if request.param == "without the middleware":
        settings.MIDDLEWARE = [
            name for name in settings.MIDDLEWARE if name != GATE_MIDDLEWARE
        ]
    return request.param


def save_draft(article, body):
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = body
    page.save_revision()
    return page


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def cited_in(page):
    return [block["value"]["evidence"] for block in page.body.raw_data]


def copies_of(page):
    return ArticlePage.objects.exclude(pk=page.pk).filter(title=page.title)


def copy(
    client, page, *, new_slug, subpages=False, publish=False, alias=False, follow=False
):
    data = {
        "new_title": page.title,
        "new_slug": new_slug,
        "new_parent_page": page.get_parent().pk,
    }
    data.update(
        {
            name: "on"
            for name, ticked in (
                ("copy_subpages", subpages),
                ("publish_copies", publish),
                ("alias", alias),
            )
            if ticked
        }
    )
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    return client.post(url, data, follow=follow, HTTP_REFERER="http://testserver" + url)


def refused_on_the_form(response, *problems):
    """The copy form again, saying what keeps which copy off the site."""
    assert problems
    assert response.status_code == 200
    assert response.templates[0].name == "wagtailadmin/pages/copy.html"
    html = response.content.decode()
    assert NOTHING_COPIED in html
    for problem in problems:
        assert problem in html
    return html


# Page copy


@pytest.mark.parametrize("alias", [False, True], ids=["copy", "alias"])
def test_copying_a_section_live_is_refused_on_the_copy_form(
    login, middleware, withdrawn_article, published_evidence, alias
):
    fine = make_article([evidence_block(published_evidence)], title="Fine", slug="fine")
    home = home_page()
    pages_before = Page.objects.count()
    response = copy(
        login("moderator"),
        home,
        new_slug="home-copy",
        subpages=True,
        publish=not alias,
        alias=alias,
    )

    html = refused_on_the_form(
        response, "The copy of “Withdrawn” cannot go live: " + WITHDRAWN_CITED
    )
    assert "“Fine”" not in html  # only what is refused is named
    # All or nothing: not even the home page's copy is left.
    assert Page.objects.count() == pages_before
    assert not copies_of(withdrawn_article).exists() and not copies_of(fine).exists()


@pytest.mark.skipif(
    WAGTAIL_VERSION < (8, 0),
    reason="Wagtail 7.4's copy is a function view the package cannot wrap in a transaction: "
    "the model still refuses the page it meets, but copies made before it stay (docs say so)",
)
def test_evidence_withdrawn_during_the_copy_still_refuses_all_of_it(
    login, monkeypatch, middleware, published_evidence
):
    from wagtail_evidence.admin.views import copy_page

    raced = make_article(
        [evidence_block(published_evidence)], title="Raced", slug="raced"
    )
    checked_before_copying = copy_page.copy_refusals

    def check_then_withdraw(*args, **kwargs):
        refusals = checked_before_copying(*args, **kwargs)
        published_evidence.unpublish()  # the desk, at that very moment
        return refusals

    monkeypatch.setattr(copy_page, "copy_refusals", check_then_withdraw)
    pages_before = Page.objects.count()
    response = copy(
        login("moderator"),
        home_page(),
        new_slug="home-copy",
        subpages=True,
        publish=True,
    )
    refused_on_the_form(
        response,
        "The copy of “Raced” cannot go live: It cites “Published convoy”, which is not published.",
    )
    assert Page.objects.count() == pages_before
    assert not copies_of(raced).exists()


def test_copying_a_section_as_drafts_goes_through(login, withdrawn_article):
    home = home_page()
    response = copy(
        login("moderator"), home, new_slug="home-copy", subpages=True, publish=False
    )
    assert response.status_code == 302
    [article_copy] = copies_of(withdrawn_article)
    assert not article_copy.live and article_copy.live_revision is None
    assert not HomePage.objects.get(slug="home-copy").live


def test_copying_a_live_article_that_cites_withdrawn_evidence_live_is_refused(
    login, middleware, withdrawn_article
):
    response = copy(
        login("moderator"), withdrawn_article, new_slug="withdrawn-copy", publish=True
    )
    refused_on_the_form(
        response, "The copy of “Withdrawn” cannot go live: " + WITHDRAWN_CITED
    )
    assert not copies_of(withdrawn_article).exists()


def test_a_live_copy_whose_latest_draft_cites_a_draft_record_is_refused(
    login, middleware, live_with_gated_draft
):
    # Wagtail makes a copy's latest draft its live revision: that draft would be live.
    response = copy(
        login("moderator"),
        live_with_gated_draft,
        new_slug="half-done-copy",
        publish=True,
    )
    refused_on_the_form(
        response,
        "The copy of “Half done” cannot go live, because a copy goes live with the page",
        NOT_PUBLISHED,
    )
    assert not copies_of(live_with_gated_draft).exists()


def test_a_copy_as_a_draft_keeps_the_latest_draft_unpublished(
    login, live_with_gated_draft, draft_evidence
):
    response = copy(
        login("moderator"),
        live_with_gated_draft,
        new_slug="half-done-copy",
        publish=False,
    )
    assert response.status_code == 302
    [article_copy] = copies_of(live_with_gated_draft)
    assert not article_copy.live and article_copy.live_revision is None
    assert cited_in(article_copy.get_latest_revision_as_object()) == [draft_evidence.pk]


@pytest.mark.parametrize(
    "publish", [True, False], ids=["publish copies", "copies as drafts"]
)
def test_a_draft_article_citing_a_draft_record_is_copied_as_a_draft(
    login, draft_evidence, publish
):
    article = make_article(
        [evidence_block(draft_evidence)], publish=False, title="Gated", slug="gated"
    )
    response = copy(login("moderator"), article, new_slug="gated-copy", publish=publish)
    assert response.status_code == 302
    [article_copy] = copies_of(article)
    assert not article_copy.live and article_copy.live_revision is None


def test_a_live_copy_of_an_article_that_passes_the_gate_goes_through(
    login, published_evidence
):
    article = make_article(
        [evidence_block(published_evidence)], title="Fine", slug="fine"
    )
    response = copy(
        login("moderator"), article, new_slug="fine-copy", publish=True, follow=True
    )
    assert "Page &#x27;Fine&#x27; copied." in response.content.decode()
    [article_copy] = copies_of(article)
    assert article_copy.live and article_copy.live_revision is not None


@pytest.mark.parametrize("recursive", [False, True], ids=["the page", "its section"])
def test_copying_in_code_raises_and_leaves_nothing_live_citing_it(
    withdrawn_article, recursive
):
    source = home_page() if recursive else fresh(withdrawn_article)
    with pytest.raises(EvidenceGateError, match="which is not published"):
        source.copy(
            recursive=recursive, update_attrs={"slug": "copied-in-code"}, keep_live=True
        )
    assert not copies_of(withdrawn_article).filter(live=True).exists()


def test_a_copy_in_code_whose_latest_draft_is_refused_never_publishes_that_draft(
    live_with_gated_draft, published_evidence
):
    with pytest.raises(EvidenceGateError, match="which is not published"):
        fresh(live_with_gated_draft).copy(
            update_attrs={"slug": "copied-in-code"}, keep_live=True
        )
    # Wagtail copies page by page, outside any transaction: the copy's row was
    # saved live with the source's live version (which passes), and the refused
    # draft never became its live revision.
    [article_copy] = copies_of(live_with_gated_draft)
    assert article_copy.live and cited_in(article_copy) == [published_evidence.pk]
    assert cited_in(article_copy.live_revision.as_object()) == [published_evidence.pk]


# The publish button, and a revision reverted to


def edit_url(article):
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


def test_the_publish_button_leaves_the_live_revision_as_it_was(
    login, live_with_gated_draft, draft_evidence
):
    live_revision = live_with_gated_draft.live_revision_id
    moderator = login("moderator")
    url = edit_url(live_with_gated_draft)
    data = {
        **form_data(moderator.get(url)),
        **body_data([evidence_block(draft_evidence)]),
        "action-publish": "action-publish",
    }
    response = moderator.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    # The title is in its own <bdi>: read the page as text.
    assert "This article cannot go live: " + NOT_PUBLISHED in strip_tags(
        response.content.decode()
    )
    assert fresh(live_with_gated_draft).live_revision_id == live_revision


def test_reverting_to_a_revision_citing_withdrawn_evidence_cannot_be_published(
    login, published_evidence
):
    evidence = make_evidence(title="Withdrawn convoy")
    article = fresh(
        make_article([evidence_block(evidence)], title="Reverted", slug="reverted")
    )
    first = article.live_revision
    article.body = [evidence_block(published_evidence)]
    current = article.save_revision()
    current.publish()
    evidence.unpublish()

    moderator = login("moderator")
    url = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk])
    form = moderator.get(url)
    # The form holds the old revision.
    assert cited_in(form.context["form"].instance) == [evidence.pk]
    reverted = {**form_data(form), **body_data([evidence_block(evidence)])}

    response = moderator.post(
        url, {**reverted, "action-publish": "action-publish"}, follow=True
    )
    assert response.redirect_chain == [(edit_url(article), 302)]
    assert "This article cannot go live: " + WITHDRAWN_CITED in strip_tags(
        response.content.decode()
    )
    assert fresh(article).live_revision_id == current.pk

    # Reverting as a draft is allowed; publishing that draft is not.
    assert moderator.post(url, reverted).status_code == 302
    assert cited_in(fresh(article).get_latest_revision_as_object()) == [evidence.pk]
    edit = {
        **form_data(moderator.get(edit_url(article))),
        **body_data([evidence_block(evidence)]),
        "action-publish": "action-publish",
    }
    response = moderator.post(edit_url(article), edit, follow=True)
    assert "This article cannot go live: " + WITHDRAWN_CITED in strip_tags(
        response.content.decode()
    )
    assert fresh(article).live_revision_id == current.pk


# Workflow approval of the last task


@pytest.fixture
def submitted(login, live_with_gated_draft, draft_evidence):
    """A live article in moderation, its submitted draft citing a draft record."""
    review = GroupApprovalTask.objects.create(name="Moderation")
    review.groups.set([Group.objects.get(name=MODERATORS)])
    workflow = Workflow.objects.create(name="Articles")
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home_page())
    editor = login("editor")
    url = edit_url(live_with_gated_draft)
    response = editor.post(
        url,
        {
            **form_data(editor.get(url)),
            **body_data([evidence_block(draft_evidence)]),
            "action-submit": "action-submit",
        },
    )
    assert response.status_code == 302
    article = fresh(live_with_gated_draft)
    assert article.current_workflow_task_state is not None
    return article


def approve_in_the_dialog(moderator, article, state):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.pk]
    )
    dialog = moderator.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert 'name="comment"' in json.loads(dialog.content)["html"]
    response = moderator.post(
        url,
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        HTTP_REFERER="http://testserver/admin/",
    )
    assert json.loads(response.content) == {
        "step": "success",
        "redirect": "http://testserver/admin/",
    }
    return moderator.get("/admin/")


def approve_without_javascript(moderator, article, state):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.pk]
    )
    return moderator.post(
        url,
        {"comment": ""},
        follow=True,
        HTTP_REFERER="http://testserver" + edit_url(article),
    )


def approve_from_the_editor(moderator, article, state):
    url = edit_url(article)
    data = {
        **form_data(moderator.get(url)),
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": ""}),
    }
    data.update(body_data(list(article.get_latest_revision_as_object().body.raw_data)))
    return moderator.post(
        url, data, follow=True, HTTP_REFERER="http://testserver" + url
    )


@pytest.mark.parametrize(
    "approve",
    [approve_in_the_dialog, approve_without_javascript, approve_from_the_editor],
    ids=lambda approve: approve.__name__,
)
def test_approving_the_last_task_leaves_the_live_revision_and_the_task_as_they_were(
    login, submitted, approve
):
    live_revision = submitted.live_revision_id
    state = submitted.current_workflow_task_state
    response = approve(login("moderator"), submitted, state)
    # The title is in its own <bdi>: read the page as text.
    assert "This article cannot go live: " + NOT_PUBLISHED in strip_tags(
        response.content.decode()
    )
    article = fresh(submitted)
    assert article.live and article.live_revision_id == live_revision
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS


# Bulk publish, scheduled publishing, revision.publish() in code


def test_bulk_publish_leaves_the_live_revision_as_it_was(login, live_with_gated_draft):
    live_revision = live_with_gated_draft.live_revision_id
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={live_with_gated_draft.pk}"
    )
    response = login("moderator").post(
        url, {}, follow=True, HTTP_REFERER="http://testserver/admin/"
    )
    # The title is in its own <bdi>: read the page as text.
    assert "This article cannot go live: " + NOT_PUBLISHED in strip_tags(
        response.content.decode()
    )
    assert fresh(live_with_gated_draft).live_revision_id == live_revision


def test_a_scheduled_draft_of_a_live_article_is_taken_off_the_schedule(
    live_with_gated_draft,
):
    live_revision = live_with_gated_draft.live_revision_id
    scheduled = live_with_gated_draft.latest_revision
    scheduled.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.save()
    err = io.StringIO()
    call_command("publish_scheduled", stdout=io.StringIO(), stderr=err)
    assert NOT_PUBLISHED in err.getvalue()
    article = fresh(live_with_gated_draft)
    assert article.live and article.live_revision_id == live_revision
    scheduled.refresh_from_db()
    assert scheduled.approved_go_live_at is None


def test_publishing_a_revision_in_code_leaves_the_live_revision_as_it_was(
    live_with_gated_draft,
):
    live_revision = live_with_gated_draft.live_revision_id
    with pytest.raises(EvidenceGateError, match="which is not published"):
        fresh(live_with_gated_draft).get_latest_revision().publish()
    assert fresh(live_with_gated_draft).live_revision_id == live_revision


# Page move


def test_moving_a_live_article_is_allowed_and_publishes_nothing(
    login, withdrawn_article, draft_evidence
):
    article = save_draft(withdrawn_article, [evidence_block(draft_evidence)])
    live_revision, old_path = article.live_revision_id, article.url_path
    elsewhere = Page.get_first_root_node().add_child(
        instance=HomePage(title="Elsewhere", slug="elsewhere")
    )
    url = reverse("wagtailadmin_pages:move_confirm", args=[article.pk, elsewhere.pk])
    response = login("moderator").post(url)

    assert response.status_code == 302
    moved = fresh(article)
    assert moved.get_parent().pk == elsewhere.pk and moved.url_path != old_path
    assert moved.live and moved.live_revision_id == live_revision
    assert moved.has_unpublished_changes and cited_in(
        moved.get_latest_revision_as_object()
    ) == [draft_evidence.pk]
    with pytest.raises(EvidenceGateError, match="which is not published"):
        moved.get_latest_revision().publish()  # the move made its draft no easier to publish


# Evidence unpublished or deleted after the article went live


@pytest.mark.parametrize("withdraw", ["unpublish", "delete"])
def test_readers_of_a_live_article_see_withdrawn_evidence_as_withdrawn(
    client, login, withdraw
):
    evidence = make_evidence(title="Soon withdrawn")
    article = make_article([evidence_block(evidence)], title="Citing", slug="citing")
    assert "Soon withdrawn" in client.get(article.url).content.decode()

    url = reverse(
        f"wagtailsnippets_wagtail_evidence_evidence:{withdraw}", args=[evidence.pk]
    )
    assert login("verifier").post(url).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk, live=True).exists()

    client.logout()
    page = client.get(article.url).content.decode()
    assert WITHDRAWN in page and "Soon withdrawn" not in page
    assert fresh(article).live  # the article stays online...
    with pytest.raises(EvidenceGateError):  # ...and cannot go live again citing it
        fresh(article).get_latest_revision().publish()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("copy", {"slug": "api-copy", "keep_live": True}),
        ("create_alias", {"update_slug": "api-alias"}),
    ],
)
def test_the_admin_apis_copy_and_alias_are_refused_with_the_reason(
    login, withdrawn_article, action, data
):
    url = reverse("wagtailadmin_api:pages:action", args=[withdrawn_article.pk, action])
    response = login("moderator").post(
        url, json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 400
    assert WITHDRAWN_CITED in response.content.decode()
    assert not copies_of(withdrawn_article).exists()
