"""After acting on the evidence check, the verification desk lands where it may
be (the dashboard, whose "Awaiting your review" is its queue), not on the
article's editor, which it may not open and which answered with a refusal."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import evidence_block, make_evidence
from tests.test_evidence_check import DISCLOSURE, action_url, submitted
from tests.testapp.models import ArticlePage


pytestmark = pytest.mark.django_db
REFUSED = "Sorry, you do not have permission to access this area."


@pytest.fixture
def article(login, users):
    from tests.factories import make_article_workflow

    make_article_workflow()
    record = make_evidence(title="Convoy on the M4")
    return submitted(login, [evidence_block(record, disclosure=DISCLOSURE)])


def desk_client(users):
    """The desk in its own browser: no message left over from the editor's session."""
    client = Client()
    client.force_login(users["verifier"])
    return client


@pytest.mark.parametrize(
    ("action", "next_task"),
    [("approve", "Final approval"), ("reject", None)],
)
def test_the_desk_lands_on_its_queue_with_no_refusal(users, article, action, next_task):
    desk = desk_client(users)
    assert "Checked article" in awaiting_review(desk.get("/admin/"))
    response = desk.post(
        action_url(article, action),
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    answer = json.loads(response.content)
    assert answer == {"step": "success", "redirect": "/admin/"}
    landing = desk.get(answer["redirect"])
    assert landing.status_code == 200
    assert REFUSED not in landing.content.decode()
    assert [m.level_tag for m in landing.context["messages"]] == []
    # The action took effect, and the article left the desk's queue.
    task = ArticlePage.objects.get(pk=article.pk).current_workflow_task
    assert (task.name if task else None) == next_task
    assert "Checked article" not in awaiting_review(landing)


def awaiting_review(response):
    """The text of Wagtail's "Awaiting your review" and the package's "waiting on
    the evidence check" panels of the dashboard."""
    soup = BeautifulSoup(response.content, "html.parser")
    panels = soup.select(
        'section[aria-labelledby="awaiting-review-heading"], '
        'section[aria-labelledby="evidence-check-awaiting-heading"]'
    )
    return " ".join(panel.get_text(" ", strip=True) for panel in panels)


def test_without_javascript_too(users, article):
    desk = desk_client(users)
    response = desk.post(action_url(article, "approve"), {"comment": ""}, follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert REFUSED not in response.content.decode()


def test_a_reviewer_who_may_edit_the_article_still_lands_on_its_editor(login, article):
    # The moderators may edit articles: after the desk's approval, theirs is
    # Wagtail's usual landing.
    login("verifier").post(action_url(article, "approve"), {"comment": ""})
    moderator = login("moderator")
    article.refresh_from_db()
    response = moderator.post(
        action_url(article, "approve"),
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert (
        json.loads(response.content)["redirect"] == f"/admin/pages/{article.pk}/edit/"
    )
