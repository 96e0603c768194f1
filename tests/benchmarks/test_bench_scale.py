"""What the engines of docs/how-to/running-at-scale.md cost, on this machine.

- The desk's publish request when 200 live articles cite the record, the
  render cache in Redis, with the purge and the warming of the render cache
  inline (django-tasks' immediate backend) and queued in Redis
  (django-tasks-rq); and the RQ worker's time to run them.
- A reader's repeat view of an article with 50 evidence blocks, with the render
  cache in local memory, in Redis, and off.

Needs Redis (tests/redis_server.py). Run with `make bench`, or
`.venv/bin/python -m pytest -m bench tests/benchmarks/test_bench_scale.py -s -n 0`.
"""

import os
import statistics
import time

import pytest
from django.urls import reverse

from tests import purge_recorder
from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from tests.redis_server import run_worker


pytestmark = [pytest.mark.bench, pytest.mark.django_db]

CITING = 200
BLOCKS = 50
RUNS = 5
VIEWS = 30


def load():
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""


def median_ms(timings):
    return statistics.median(timings) * 1000


def publish(client, evidence, verdict, capture):
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    data = {
        **form_data(client.get(url)),
        "verdict": verdict,
        "action-publish": "action-publish",
    }
    started = time.perf_counter()
    with capture(execute=True):  # commit callbacks run as at a real commit
        assert client.post(url, data).status_code == 302
    return time.perf_counter() - started


def test_the_purge_inline_and_on_rq(
    login, settings, redis_cache, redis_url, django_capture_on_commit_callbacks
):
    """The render cache in Redis, as at scale: each publish also warms the
    blocks of the citing articles (wagtail_evidence.warming), inline or on the
    worker, with the purge."""
    cited = make_evidence(title="Cited everywhere", verdict="pending")
    for number in range(CITING):
        make_article(
            [evidence_block(cited)], title=f"Article {number}", slug=f"article-{number}"
        )
    desk = login("verifier")
    verdicts = ["verified", "pending"]
    publish(desk, cited, "verified", django_capture_on_commit_callbacks)  # warm-up

    inline = []
    for run in range(RUNS):
        inline.append(
            publish(desk, cited, verdicts[run % 2], django_capture_on_commit_callbacks)
        )

    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    # The request warms WARM_PAGES_IN_REQUEST articles (10 by default) itself;
    # with 0, it leaves them all to the worker.
    queued, worked = {10: [], 0: []}, {10: [], 0: []}
    for in_request in queued:
        settings.WAGTAIL_EVIDENCE = {"WARM_PAGES_IN_REQUEST": in_request}
        for run in range(RUNS):
            queued[in_request].append(
                publish(
                    desk, cited, verdicts[run % 2], django_capture_on_commit_callbacks
                )
            )
            purge_recorder.BATCHES.clear()
            started = time.perf_counter()
            run_worker()
            worked[in_request].append(time.perf_counter() - started)
            assert sum(len(batch) for batch in purge_recorder.BATCHES) == CITING

    print(
        f"\npublish of a record cited by {CITING} live articles, render cache in"
        f" Redis, median of {RUNS} ({load()}):"
        f"\n  purge and warming inline (immediate backend): request"
        f" {median_ms(inline):.0f} ms"
        + "".join(
            f"\n  purge and warming queued (django-tasks-rq), {in_request} articles"
            f" warmed in the request: request {median_ms(queued[in_request]):.0f} ms;"
            f" the worker's burst (the purge, the warming and Wagtail's index"
            f" updates) {median_ms(worked[in_request]):.0f} ms"
            for in_request in queued
        )
    )


@pytest.mark.parametrize("where", ["local memory", "Redis", "off"])
def test_a_repeat_view_with_the_render_cache(client, settings, redis_url, where):
    if where == "Redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
            }
        }
    elif where == "off":
        settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": None}
    article = make_article(
        [evidence_block(make_evidence(title=f"Item {n}")) for n in range(BLOCKS)]
    )
    assert client.get(article.url).status_code == 200  # fills the cache
    timings = []
    for _view in range(VIEWS):
        started = time.perf_counter()
        assert client.get(article.url).status_code == 200
        timings.append(time.perf_counter() - started)
    print(
        f"\nrepeat view, {BLOCKS} evidence blocks, render cache {where}: "
        f"median {median_ms(timings):.1f} ms of {VIEWS} ({load()})"
    )
