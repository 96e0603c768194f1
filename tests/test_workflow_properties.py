"""Property: whatever sequence of workflow actions people take, in any order,
an article never goes live with a failing check.

Hypothesis draws the sequences: edits (good and bad), submissions, approvals by
each task's group, requests for changes, direct publication, and the desk
changing or withdrawing a record along the way. After every step: if the article
went live, what went live passes the publish gate and, when it went live through
the workflow, the whole evidence check. Each example runs in a transaction that
is rolled back, so examples do not see each other.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import WorkflowState

from tests.factories import (
    evidence_block,
    make_article,
    make_article_workflow,
    make_evidence,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.blocks import stream_values
from wagtail_evidence.editorial.evidence_check import check_streams
from wagtail_evidence.editorial.gate import EvidenceGateError, problems_in
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import EvidenceCheckTask


pytestmark = pytest.mark.django_db

EDITS = [
    "edit: disclosed",
    "edit: undisclosed",
    "edit: cites a draft",
    "edit: cites unwarned distress",
]
ACTIONS = [
    *EDITS,
    "submit",
    "approve",
    "request changes",
    "publish directly",
    "desk: dispute the date",
    "desk: confirm the date",
    "desk: unpublish",
    "desk: publish",
]

# Single actions mixed with whole runs through the workflow, some with something
# happening between the two approvals, so that most sequences reach publication.
STEPS = st.one_of(
    st.sampled_from(ACTIONS).map(lambda action: [action]),
    st.just(["submit", "approve"]),
    st.just(["submit", "approve", "approve"]),
    st.sampled_from(ACTIONS).map(
        lambda action: ["submit", "approve", action, "approve"]
    ),
)
SEQUENCES = st.lists(STEPS, min_size=1, max_size=4).map(
    lambda steps: [action for step in steps for action in step]
)


class Newsroom:
    def __init__(self, users):
        self.users = users
        self.workflow = make_article_workflow()
        # Disputed: the article must disclose it, as its first version does.
        self.record = make_evidence(
            title="Convoy", date_status="disputed", filmed_on=datetime.date(2020, 9, 28)
        )
        self.draft = make_evidence(title="Draft", publish=False)
        self.distressing = make_evidence(title="Distressing")
        type(self.distressing).objects.filter(pk=self.distressing.pk).update(
            warning_categories=["violence"]
        )
        self.article = make_article(
            self.bodies()["edit: disclosed"], publish=False, slug="prop"
        )

    def page(self):
        return ArticlePage.objects.get(pk=self.article.pk)

    def bodies(self):
        return {
            "edit: disclosed": [
                evidence_block(self.record, disclosure="Not all verified.")
            ],
            "edit: undisclosed": [evidence_block(self.record)],
            "edit: cites a draft": [
                evidence_block(self.draft, disclosure="Not verified.")
            ],
            "edit: cites unwarned distress": [
                evidence_block(self.distressing, disclosure="Not verified.")
            ],
        }

    def do(self, action):
        """Take the action as the person who would; return how the article went live, if it did."""
        page = self.page()
        before = page.live_revision_id
        via = None
        if action in EDITS:
            page.body = self.bodies()[action]
            page.save_revision(user=self.users["editor"])
        elif action == "submit":
            state = page.current_workflow_state
            if state is None:
                self.workflow.start(page, self.users["editor"])
            elif state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                state.resume(self.users["editor"])
        elif (
            action in ("approve", "request changes")
            and page.current_workflow_task_state is not None
        ):
            task = page.current_workflow_task
            user = (
                self.users["verifier"]
                if isinstance(task, EvidenceCheckTask)
                else self.users["moderator"]
            )
            task.on_action(
                page.current_workflow_task_state,
                user,
                "approve" if action == "approve" else "reject",
            )
            via = "workflow"
        elif action == "publish directly":
            page.get_latest_revision().publish(user=self.users["moderator"])
            via = "direct"
        elif (
            action == "desk: dispute the date"
        ):  # Verified becomes Disputed: a disclosure is needed
            change_verification(
                self.fresh(self.record), self.users["verifier"], date_status="disputed"
            )
        elif action == "desk: confirm the date":
            change_verification(
                self.fresh(self.record), self.users["verifier"], date_status="confirmed"
            )
        elif action == "desk: unpublish" and self.fresh(self.record).live:
            self.fresh(
                self.record
            ).unpublish()  # as code would; Wagtail 7.4 checks page permissions when given a user
        elif action == "desk: publish":
            self.fresh(self.record).save_revision(user=self.users["verifier"]).publish(
                user=self.users["verifier"]
            )
        return via if self.page().live_revision_id != before else None

    def fresh(self, evidence):
        return type(evidence).objects.get(pk=evidence.pk)


def run(users, actions):
    """Take the actions in turn on a fresh Newsroom, rolled back afterwards;
    assert the property after each; return how many times the article went live."""
    with transaction.atomic():
        went_live = take(Newsroom(users), actions)
        transaction.set_rollback(True)
    return went_live


def take(room, actions):
    went_live = 0
    for action in actions:
        try:
            with (
                transaction.atomic()
            ):  # a refused action is rolled back, as in a request
                via = room.do(action)
        except (EvidenceGateError, PermissionDenied):
            continue
        if via is None:
            continue
        went_live += 1
        live = room.page().live_revision.as_object()
        streams = stream_values(live)
        assert problems_in(streams) == [], actions
        if via == "workflow":
            assert all(item.passed for item in check_streams(streams)), actions
    return went_live


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=SEQUENCES)
def test_an_article_never_goes_live_with_a_failing_check(users, actions):
    run(users, actions)


def test_the_harness_can_publish_through_the_workflow_and_directly(users):
    assert run(users, ["submit", "approve", "approve"]) == 1
    assert run(users, ["edit: undisclosed", "submit", "approve", "approve"]) == 0
    assert (
        run(users, ["edit: undisclosed", "publish directly"]) == 1
    )  # disclosure is the check's rule, not the gate's
    assert (
        run(
            users,
            [
                "edit: undisclosed",
                "desk: confirm the date",
                "submit",
                "approve",
                "desk: dispute the date",
                "approve",
            ],
        )
        == 0
    )
    assert (
        run(
            users,
            ["edit: disclosed", "submit", "approve", "edit: undisclosed", "approve"],
        )
        == 0
    )
    assert run(users, ["edit: cites a draft", "publish directly"]) == 0
