"""The Redis that the queue and shared-cache tests run on: 127.0.0.1:6379, or
``WAGTAIL_EVIDENCE_TEST_REDIS`` (a ``redis://host:port`` address).

Where no Redis answers, the tests that need one skip, loudly; under CI
(CI=true) they fail instead, so a machine without Redis cannot pass unnoticed
(as tests/browser/chromium.py does for Chromium).

Each test process claims a Redis database of its own (15 down to 1) for as long
as it runs, and empties it before each test: RQ's queues have fixed names
("rq:queue:default"), so two test runs sharing one database would run each
other's jobs, against each other's test databases.
"""

import os

import pytest


ADDRESS = os.environ.get("WAGTAIL_EVIDENCE_TEST_REDIS", "redis://127.0.0.1:6379")
DATABASES = range(15, 0, -1)
CLAIM_SECONDS = 3600


def unavailable(reason):
    message = (
        f"NO REDIS AT {ADDRESS} ({reason}): the task queue and shared cache "
        "tests need one (apt-get install redis-server, or set "
        "WAGTAIL_EVIDENCE_TEST_REDIS)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def claim_database():
    """The number of a Redis database no other test process is using."""
    try:
        import redis
    except ImportError:
        unavailable("the redis package is not installed")
    claims = redis.Redis.from_url(f"{ADDRESS}/0", socket_connect_timeout=2)
    try:
        claims.ping()
    except redis.exceptions.RedisError as error:
        unavailable(error)
    for number in DATABASES:
        key = f"wagtail-evidence-tests:database:{number}"
        if claims.set(key, os.getpid(), nx=True, ex=CLAIM_SECONDS):
            return number, lambda key=key: claims.delete(key)
        holder = int(claims.get(key) or 0)
        if holder == os.getpid() or not pid_is_running(holder):
            claims.set(key, os.getpid(), ex=CLAIM_SECONDS)
            return number, lambda key=key: claims.delete(key)
    unavailable("every database from 1 to 15 is claimed by another test run")


def pid_is_running(pid):
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture(scope="session")
def redis_database():
    number, release = claim_database()
    yield number
    release()


@pytest.fixture
def redis_url(redis_database):
    """The address of this process's own Redis database, emptied."""
    import redis

    url = f"{ADDRESS}/{redis_database}"
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    connection.close()
    return url


@pytest.fixture
def redis_cache(settings, redis_url):
    """Django's RedisCache as the default cache, and so the render cache's."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "wagtail-evidence-tests",
        }
    }
    from django.core.cache import caches

    return caches["default"]


@pytest.fixture
def rq_tasks(settings, redis_url):
    """django-tasks-rq as the task backend, on this process's Redis database."""
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    return settings.TASKS


def queue():
    import django_rq
    from django_tasks_rq.backend import Job

    return django_rq.get_queue("default", job_class=Job)


def run_worker():
    """What `manage.py rqworker --with-scheduler --burst` does, in this process:
    move the retries that are due into the queue, run every job, return."""
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    class BurstWorker(SimpleWorker):
        # Without the channel a long-running worker listens on for commands:
        # closing it waits up to a minute (redis-py's thread sleeps 60 s).
        def subscribe(self):
            pass

    default = queue()
    worker = BurstWorker([default], connection=default.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=True)
