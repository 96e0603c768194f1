"""Purges when a verdict changes on evidence cited by 200 live articles: how many
batches, and how long the desk's publish request takes, against the same request
for evidence no article cites. Measured with the purge inline (django-tasks'
immediate backend, the default) and deferred to a task backend."""

import statistics
import time

import pytest
from django.urls import reverse

from tests import purge_recorder
from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.conf import get_setting


pytestmark = [pytest.mark.bench, pytest.mark.django_db]

CITING = 200
RUNS = 5


def timed_publishes(client, evidence, capture):
    """Median milliseconds of the desk's publish request, verdict toggled each run."""
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    timings = []
    for run in range(RUNS):
        data = {
            **form_data(client.get(url)),
            "verdict": "verified" if run % 2 == 0 else "pending",
            "action-publish": "action-publish",
        }
        started = time.perf_counter()
        with capture(
            execute=True
        ):  # commit callbacks run as the block ends, as at a real commit
            assert client.post(url, data).status_code == 302
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def test_purges_for_a_verdict_change_cited_by_200_articles(
    login, settings, django_capture_on_commit_callbacks
):
    cited = make_evidence(title="Cited everywhere", verdict="pending")
    alone = make_evidence(title="Cited nowhere", verdict="pending")
    for number in range(CITING):
        make_article(
            [evidence_block(cited)], title=f"Article {number}", slug=f"article-{number}"
        )
    desk = login("verifier")
    timed_publishes(desk, alone, django_capture_on_commit_callbacks)  # warm-up

    results = {}
    for backend in (
        "django_tasks.backends.immediate.ImmediateBackend",
        "django_tasks.backends.dummy.DummyBackend",
    ):
        settings.TASKS = {"default": {"BACKEND": backend}}
        purge_recorder.BATCHES.clear()
        with_articles = timed_publishes(desk, cited, django_capture_on_commit_callbacks)
        batches = len(purge_recorder.BATCHES) / RUNS
        without = timed_publishes(desk, alone, django_capture_on_commit_callbacks)
        results[backend.rsplit(".", 1)[1]] = (batches, with_articles, without)

    size = get_setting("PURGE_BATCH_SIZE")
    print(
        f"\npurge on a verdict change, {CITING} citing live articles, batch size {size}, median of {RUNS}:"
    )
    for name, (batches, with_articles, without) in results.items():
        print(
            f"  {name}: {batches:g} batches per change; request {with_articles:.1f} ms, against {without:.1f} ms with no citing article"
        )
    assert results["ImmediateBackend"][0] == -(-CITING // size)
    assert (
        results["DummyBackend"][0] == 0
    )  # queued for a worker, nothing sent in the request
