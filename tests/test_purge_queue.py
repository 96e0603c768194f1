"""The purge on a real queue: django-tasks-rq on Redis, run by an RQ worker.

The desk publishes a verdict change through the admin; the purge waits in Redis
until a worker takes it; the worker (RQ's SimpleWorker, in this process, in
burst mode: it works through the queue and returns) sends it to the frontend
cache. Where the frontend cache fails, the record's history says so and when it
will be retried, the retry carries the pages still to purge, and a second
purge of the same pages is harmless.

Needs Redis (tests/redis_server.py): skipped loudly without it, failed under CI.
"""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import purge_recorder
from tests.admin_forms import desk_publishes
from tests.factories import make_citing_articles, make_evidence
from tests.redis_server import queue, run_worker
from wagtail_evidence import purge


pytestmark = pytest.mark.django_db
PURGE_TASK = "wagtail_evidence.purge.purge_pages"


@pytest.fixture
def evidence():
    return make_evidence(title="Convoy in Horadiz", verdict="pending")


@pytest.fixture
def articles(evidence):
    return make_citing_articles(evidence, 3)


@pytest.fixture
def queued(articles, rq_tasks):
    """The queue, from when the articles exist: Wagtail's own tasks (the
    reference index's updates) go through it too, once it is set."""
    return rq_tasks


@pytest.fixture
def purges():
    purge_recorder.BATCHES.clear()
    purge_recorder.REFUSALS.clear()
    yield purge_recorder.BATCHES
    purge_recorder.REFUSALS.clear()


@pytest.fixture
def unreliable_cdn(settings, purges):
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {"BACKEND": "tests.purge_recorder.UnreliableBackend"}
    }
    return purge_recorder.REFUSALS


@pytest.fixture
def no_wait(monkeypatch):
    """Retries due at once, so that the next burst of the worker runs them."""
    monkeypatch.setattr(purge, "RETRY_DELAYS", (0, 0, 0))


def purge_jobs():
    return [job for job in queue().get_jobs() if job.func_name == PURGE_TASK]


def history(client, evidence):
    url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:history", args=[evidence.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def entries(evidence, action):
    return list(
        ModelLogEntry.objects.filter(
            object_id=str(evidence.pk), action=action
        ).order_by("pk")
    )


def test_the_purge_waits_in_redis_until_a_worker_sends_it(
    queued, login, evidence, articles, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        desk_publishes(login, evidence, verdict="verified")
    assert purges == []  # the editor's request did not send it
    assert len(purge_jobs()) == 1
    run_worker()
    assert queue().count == 0
    assert sorted(url for batch in purges for url in batch) == sorted(
        article.full_url for article in articles
    )
    (job,) = [
        job
        for job in queue().finished_job_registry.get_job_ids()
        if queue().fetch_job(job).func_name == PURGE_TASK
    ]
    result = purge.purge_pages.get_result(job)
    assert result.status == "SUCCESSFUL" and result.return_value == 1


def test_a_purge_run_twice_is_harmless(queued, articles, purges):
    page_ids = [article.pk for article in articles]
    purge.purge_pages.enqueue(page_ids)
    purge.purge_pages.enqueue(page_ids)
    articles[0].delete()  # gone between the two runs: nothing to purge, no error
    run_worker()
    assert queue().failed_job_registry.count == 0
    left = sorted(article.full_url for article in articles[1:])
    # Twice the same purge; then Wagtail's own, for the page deleted.
    assert purges == [left, left, [articles[0].full_url]]


def test_a_failing_purge_is_in_the_history_and_retried(
    queued,
    unreliable_cdn,
    no_wait,
    login,
    evidence,
    articles,
    purges,
    django_capture_on_commit_callbacks,
):
    unreliable_cdn.append(True)
    with django_capture_on_commit_callbacks(execute=True):
        desk = desk_publishes(login, evidence, verdict="verified")
    run_worker()  # the CDN refuses: the job fails, a retry is scheduled
    assert purges == []
    assert queue().failed_job_registry.count == 1  # the queue keeps it too
    (failed,) = entries(evidence, "wagtail_evidence.purge_failed")
    assert failed.data["pages"] == sorted(article.pk for article in articles)
    assert failed.data["attempt"] == 1 and failed.data["error"] == "ConnectionError"
    assert failed.user is None  # the worker's doing, not the desk's
    page = history(desk, evidence)
    assert (
        "The frontend cache purge of 3 articles citing this record failed "
        "(attempt 1, ConnectionError). It will be retried at" in page
    )

    run_worker()  # the retry is due, the CDN answers
    assert sorted(url for batch in purges for url in batch) == sorted(
        article.full_url for article in articles
    )
    (recovered,) = entries(evidence, "wagtail_evidence.purge_recovered")
    assert recovered.data["attempt"] == 2
    assert (
        "The frontend cache purge of 3 articles citing this record succeeded at "
        "attempt 2." in history(desk, evidence)
    )


def test_a_retry_carries_only_the_pages_still_to_purge(
    queued, unreliable_cdn, no_wait, evidence, articles, purges, settings
):
    settings.WAGTAIL_EVIDENCE = {"PURGE_BATCH_SIZE": 2}
    unreliable_cdn.extend([False, True])  # the first batch goes, the second not
    page_ids = sorted(article.pk for article in articles)
    purge.purge_pages.enqueue(page_ids, evidence.pk, evidence.title)
    run_worker()
    run_worker()
    (failed,) = entries(evidence, "wagtail_evidence.purge_failed")
    (recovered,) = entries(evidence, "wagtail_evidence.purge_recovered")
    assert failed.data["pages"] == recovered.data["pages"] == page_ids[2:]
    assert purges == [
        sorted(article.full_url for article in articles[:2]),
        [articles[2].full_url],
    ]


def test_after_the_last_retry_the_history_says_it_gave_up(
    queued, unreliable_cdn, no_wait, login, evidence, articles, purges
):
    unreliable_cdn.extend([True] * 10)
    purge.purge_pages.enqueue([articles[0].pk], evidence.pk, evidence.title)
    for _attempt in range(len(purge.RETRY_DELAYS) + 2):
        run_worker()
    failures = entries(evidence, "wagtail_evidence.purge_failed")
    assert [entry.data["attempt"] for entry in failures] == [1, 2, 3, 4]
    assert failures[-1].data["retry_at"] is None
    assert purges == []
    assert queue().failed_job_registry.count == 4  # with their pages, for the ops
    assert (
        "The frontend cache purge of 1 article citing this record failed (attempt "
        "4, ConnectionError) and will not be retried."
        in history(login("verifier"), evidence)
    )
