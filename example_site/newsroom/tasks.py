"""The demo's task backend with TASKS_BACKEND=rq: django-tasks-rq's, except that
a task enqueued inside a transaction reaches Redis only once it commits.

Wagtail 8.0 enqueues its reference and search index updates from post_save,
inside the transaction that saves the row. An RQ worker in another process can
take the job before the commit, not find the row (Page.DoesNotExist) and lose
the update: the new article would be missing from its records' "Used in", and
from the frontend cache purges when they change. Waiting for the commit closes
that window; a transaction rolled back enqueues nothing.
"""

from django.db import transaction
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_rq import RQBackend


class RQBackendOnCommit(RQBackend):
    def enqueue(self, task, args, kwargs):
        if not transaction.get_connection().in_atomic_block:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        enqueue = super().enqueue
        transaction.on_commit(lambda: enqueue(task, args, kwargs))
        # What the caller gets back before the job exists. Wagtail and the
        # package never read it; its id is not the job's.
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
