"""The engines the load test runs on, besides the web servers: PostgreSQL,
Redis (a database of its own), the RQ worker, and a fake CDN.

Each is checked before anything starts, so that a machine without PostgreSQL
or Redis gets one line saying what is missing instead of a traceback.
"""

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import redis

# The same claims as the suite's Redis tests (tests/redis_server.py), so that a
# load test and a test run on this machine never share a Redis database: RQ's
# queue names are fixed, and each would run the other's jobs.
from tests.redis_server import CLAIM_SECONDS, DATABASES, pid_is_running


class Unavailable(Exception):
    """A service the load test needs does not answer; the message says which."""


def check_postgresql(server):
    try:
        with psycopg.connect(f"{server}/postgres", connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        raise Unavailable(
            f"no PostgreSQL at {server} ({str(error).strip().splitlines()[0]}): "
            "start it, or name another with --postgres"
        ) from None


class RedisDatabase:
    """A Redis database claimed for the run, emptied when claimed and when released."""

    def __init__(self, server, pid):
        self.server = server.rstrip("/")
        self.pid = pid
        self.number = None
        self.claims = redis.Redis.from_url(f"{self.server}/0", socket_connect_timeout=2)

    @property
    def url(self):
        return f"{self.server}/{self.number}"

    def claim(self):
        try:
            self.claims.ping()
        except redis.exceptions.RedisError as error:
            raise Unavailable(
                f"no Redis at {self.server} ({error}): start it "
                "(apt-get install redis-server), or name another with --redis"
            ) from None
        for number in DATABASES:
            key = f"wagtail-evidence-tests:database:{number}"
            holder = self.claims.get(key)
            if self.claims.set(key, self.pid, nx=True, ex=CLAIM_SECONDS) or (
                holder is not None and not pid_is_running(int(holder))
            ):
                self.claims.set(key, self.pid, ex=CLAIM_SECONDS)
                self.number = number
                self.connection().flushdb()
                return
        raise Unavailable(
            f"every Redis database from 1 to 15 at {self.server} is claimed by a test run"
        )

    def connection(self):
        return redis.Redis.from_url(self.url, socket_connect_timeout=2)

    def release(self):
        if self.number is None:
            return
        try:
            self.connection().flushdb()
            self.claims.delete(f"wagtail-evidence-tests:database:{self.number}")
        except redis.exceptions.RedisError:
            pass  # the claim expires by itself
        self.number = None


class FakeCDN:
    """An HTTP cache that only counts what it is asked to purge: Wagtail's HTTP
    (Varnish) frontend cache backend sends it PURGE requests, from the worker."""

    def __init__(self, host):
        self.purged = Counter()
        self.lock = threading.Lock()
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                with cdn.lock:
                    cdn.purged[self.path] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def requests(self):
        with self.lock:
            return sum(self.purged.values())


class Worker:
    """``manage.py rqworker --with-scheduler``, as `make worker` runs it, and
    what it did: the tasks it ran, by name, and those that failed."""

    def __init__(self, command, cwd, log_path, redis_database):
        self.command = command
        self.cwd = cwd
        self.log_path = Path(log_path)
        self.redis_database = redis_database
        self.process = None
        self.mark = set()

    def start(self, timeout=60):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                self.command,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        from rq import Worker as RQWorker

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the RQ worker exited at start:\n{self.log()}")
            if RQWorker.all(connection=self.redis_database.connection()):
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"the RQ worker did not start within {timeout} s:\n{self.log()}"
        )

    def registries(self):
        from rq import Queue
        from rq.registry import FailedJobRegistry, FinishedJobRegistry

        queue = Queue("default", connection=self.redis_database.connection())
        return queue, FinishedJobRegistry(queue=queue), FailedJobRegistry(queue=queue)

    def drain(self, timeout=120):
        """Wait until no task is queued or running (tasks the run enqueued last
        are still to run when the clients stop)."""
        from rq.registry import StartedJobRegistry

        queue, _finished, _failed = self.registries()
        started = StartedJobRegistry(queue=queue)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the RQ worker died:\n{self.log()}")
            if queue.count == 0 and started.count == 0:
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"the RQ worker still had {queue.count} tasks queued after {timeout} s"
        )

    def start_counting(self):
        """Count from now on: the tasks of the setup (migrate, load_demo) are done."""
        _queue, finished, failed = self.registries()
        self.mark = set(finished.get_job_ids()) | set(failed.get_job_ids())

    def tasks(self):
        """{"ran": {task: count}, "failed": {task: count}} since start_counting();
        failures of the setup are counted too, since they failed all the same."""
        from rq.job import Job

        queue, finished, failed = self.registries()
        done = [job_id for job_id in finished.get_job_ids() if job_id not in self.mark]
        failures = failed.get_job_ids()

        def names(job_ids):
            jobs = Job.fetch_many(job_ids, connection=queue.connection)
            return dict(Counter(job.func_name if job else "(expired)" for job in jobs))

        return {"ran": names(done), "failed": names(failures)}

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # a warm shutdown: the running job finishes
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(
                self.process.pid, signal.SIGKILL
            )  # its session: the worker and its horse
            self.process.wait()

    def log(self, limit=5000):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text if limit is None else text[-limit:]
