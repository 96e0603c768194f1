"""The demo's task queue (TASKS_BACKEND=rq, example_site/newsroom/tasks.py):
nothing saved inside a transaction reaches Redis before the commit, so a worker
in another process always finds the rows its jobs are about.

Needs Redis (tests/redis_server.py): skipped loudly without it, failed under CI.
"""

import pytest
from wagtail.models import Page

from tests.redis_server import queue, run_worker


pytestmark = pytest.mark.django_db

REFERENCE_INDEX_TASK = "wagtail.tasks.update_reference_index_task"


@pytest.fixture(
    params=["django_tasks_rq.RQBackend", "newsroom.tasks.RQBackendOnCommit"]
)
def backend(request, settings, redis_url):
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": request.param}}
    return request.param.rsplit(".", 1)[1]


def queued_for(page):
    return [
        job
        for job in queue().get_jobs()
        if job.func_name == REFERENCE_INDEX_TASK and job.args[2] == str(page.pk)
    ]


def test_a_page_saved_in_a_transaction_is_queued_once_it_commits(
    backend, django_capture_on_commit_callbacks
):
    home = Page.objects.get(depth=2)
    with django_capture_on_commit_callbacks(execute=False) as commit:
        page = home.add_child(instance=Page(title="Saved", slug="saved"))
        before_the_commit = queued_for(page)
    for callback in commit:
        callback()
    if backend == "RQBackend":
        # django-tasks-rq's own: a worker could take it before the row exists.
        assert len(before_the_commit) == 1
    else:
        assert before_the_commit == []
        assert len(queued_for(page)) == 1
    run_worker()
    assert queue().failed_job_registry.count == 0
