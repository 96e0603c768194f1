"""Load test: readers fetch the demo article from one web process while an
editor saves and publishes evidence, and the desk changes a verdict, through another.

    make loadtest                                  # 60 s, 20 readers
    make loadtest LOADTEST_ARGS="--duration 10"    # a quick smoke run
    .venv/bin/python -m tests.demo.load.run --help

The newsroom as issue 15 runs it at scale: it creates a fresh PostgreSQL
database (127.0.0.1:5432, user postgres), claims a Redis database of its own
(127.0.0.1:6379, emptied at start and at the end) for the cache and the task
queue, migrates, starts an RQ worker (``manage.py rqworker --with-scheduler``,
as `make worker` does), runs ``load_demo``, and serves the example site with
two gunicorn processes on free loopback ports, DEBUG off, sharing the render
cache in Redis (tests/demo/load/settings.py). Tasks go through django-tasks-rq
(after the commit) to the worker; the package's frontend cache purges go from
the worker to a fake CDN on loopback that counts them.

For ``--duration`` seconds, ``--readers`` clients (one keep-alive HTTP/1.1
connection each) fetch from the readers' process, in turn, the evidence
article and the same article built without its evidence blocks
(tests/demo/load/plain_article.py), for the throughput comparison. On
the other process, one editor logs into the Wagtail admin and, record after
record, changes a description to a numbered value, saves a draft, then
publishes it; and a member of the desk publishes, again and again, a new
verdict on another record of the article, through the admin's forms.

It fails (exit status 1) on any reader error (a status other than 200, or a
connection error), any editor or desk error (a response other than a redirect,
or a form error), any task that failed on the worker, and any lost edit or
stale read: a numbered edit or verdict change missing from its record's
revisions, a live record without its last published value, a reader page that
misses a description or a verdict published before the request started, or
shows a draft. The throughput ratio is printed, not asserted: a benchmark. It
exits with status 2 and one line when PostgreSQL or Redis does not answer.
The database, the Redis database, the servers and the worker go away at the
end, whatever happened.
"""

import argparse
import json
import multiprocessing
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from tests.demo.load import checks, plain_article
from tests.demo.load.actors import (
    BLOCK_BADGE,
    CLAIM_BADGE,
    badges_in,
    run_desk,
    run_editor,
    run_readers,
)
from tests.demo.load.client import Client
from tests.demo.load.machine import Usage
from tests.demo.load.services import (
    FakeCDN,
    RedisDatabase,
    Unavailable,
    Worker,
    check_postgresql,
)


ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "example_site"
ARTICLE = "/syrian-fighters-nagorno-karabakh/"
HOST = "127.0.0.1"
DESK_USER = "load-desk"


def options(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of load (default 60)"
    )
    parser.add_argument(
        "--readers",
        type=int,
        default=20,
        help="concurrent reader clients, each reading the evidence article and the"
        " plain one in turn (default 20)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=cores + 1,
        help="gunicorn workers in each of the two processes (default cores + 1)",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn worker (default 2)"
    )
    parser.add_argument(
        "--editor",
        default="verifier",
        help="demo user who edits (default verifier: the Editors group may save evidence but not publish it)",
    )
    parser.add_argument(
        "--records",
        type=int,
        default=2,
        help="evidence records the editor takes turns on (default 2)",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        help="seconds the editor and the desk wait between edits (default 0)",
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379",
        help="Redis server (the run claims one of its databases 1 to 15)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if (
        args.duration <= 0
        or min(args.workers, args.threads, args.records) < 1
        or args.readers < 2
    ):
        parser.error(
            "--duration, --workers, --threads and --records must be positive, --readers at least 2"
        )
    return args


def step(message):
    print(f"[loadtest] {message}", file=sys.stderr, flush=True)


class Database:
    def __init__(self, server):
        self.server = server.rstrip("/")
        self.name = f"wagtail_evidence_load_{secrets.token_hex(4)}"
        self.url = f"{self.server}/{self.name}"
        self.created = False

    def _admin(self, sql):
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def create(self):
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def manage(*arguments):
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=SITE,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(
            f"manage.py {arguments[0]} failed:\n{result.stdout}{result.stderr}"
        )


ERROR_MARKERS = (
    "Traceback",
    "Internal Server Error",
    "[ERROR]",
    "[CRITICAL]",
    "WORKER TIMEOUT",
)


def error_lines(text):
    """Lines of a log that report an error (Django's and RQ's tracebacks included)."""
    return [
        line
        for line in text.splitlines()
        if any(marker in line for marker in ERROR_MARKERS)
    ]


def without_control_socket():
    """gunicorn 27 and later open a control socket at one path per user by
    default: two servers (ours, or a test's) would fight over it, and the loser
    logs an error. The load test never uses it."""
    import gunicorn

    return (
        ["--no-control-socket"] if int(gunicorn.__version__.split(".")[0]) >= 27 else []
    )


class Server:
    def __init__(self, name, port, workers, threads, log_path):
        self.name = name
        self.port = port
        self.log_path = log_path
        self.command = [
            sys.executable, "-m", "gunicorn", "newsroom_site.wsgi",
            "--chdir", str(SITE), "--pythonpath", str(ROOT),
            "--bind", f"{HOST}:{port}",
            "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
            "--keep-alive", "5", "--log-level", "warning",
            *without_control_socket(),
        ]  # fmt: skip
        self.process = None

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_serving(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn ({self.name}) exited at start:\n{self.log()}"
                )
            if getattr(fetch(self.port), "status", None) == 200:
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"gunicorn ({self.name}) did not serve the article within {timeout} s:\n{self.log()}"
        )

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # graceful: workers finish what they are doing
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(
                self.process.pid, signal.SIGKILL
            )  # its own session: gunicorn and its workers
            self.process.wait()

    def log(self, limit=5000):
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return text if limit is None else text[-limit:]


def configure(database, media_root, redis_database, cdn):
    """The environment the servers, the worker, manage.py and the load's
    processes all read (tests/demo/load/settings.py)."""
    os.environ.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="tests.demo.load.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        TASKS_BACKEND="rq",
        REDIS_URL=redis_database.url,
        LOADTEST_CDN_URL=cdn.url,
        LOADTEST_MEDIA_ROOT=str(media_root),
        PYTHONPATH=os.pathsep.join(
            [str(ROOT), str(SITE), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
    )
    for path in (str(SITE), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def the_article():
    from newsroom.models import ArticlePage

    return ArticlePage.objects.get(url_path__endswith=ARTICLE)


def records_on_page(body):
    """The live evidence whose description the reader page shows, so the readers
    can tell which edit of it they got."""
    import html

    from wagtail_evidence.models import Evidence

    page = body.decode()
    return [
        evidence.pk
        for evidence in Evidence.objects.filter(live=True).order_by("pk")
        if evidence.description and html.escape(evidence.description) in page
    ]


def desk_record(body, taken):
    """A record of the article, not one the editor edits, whose three verdicts
    show readers three different badges; and those (verdict, badge) pairs, in
    the order the desk publishes them (the record's present verdict last)."""
    from wagtail_evidence.badge import derive_badge
    from wagtail_evidence.choices import Verdict
    from wagtail_evidence.models import Evidence

    shown = badges_in(body)
    for pk in sorted(set(shown) - set(taken)):
        evidence = Evidence.objects.get(pk=pk)
        badges = {
            verdict: str(derive_badge(evidence.facet_statuses, verdict))
            for verdict in Verdict.values
        }
        if len(set(badges.values())) == len(badges) and shown[pk] == {
            badges[evidence.verdict]
        }:
            order = list(badges)
            start = order.index(evidence.verdict) + 1
            return pk, [
                (verdict, badges[verdict]) for verdict in order[start:] + order[:start]
            ]
    raise RuntimeError(
        "the article shows no record whose verdicts give three different badges for the desk to change"
    )


def badge_places(body, pk):
    """Where the article shows the record's badge: the readers check each."""
    return {
        "blocks": sum(
            1 for _badge, found in BLOCK_BADGE.findall(body) if int(found) == pk
        ),
        "claims": sum(
            1 for found, _badge in CLAIM_BADGE.findall(body) if int(found) == pk
        ),
    }


def add_desk_user(password):
    """A second member of the verification desk, so that the desk and the
    editor are two people with two sessions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wagtail_evidence.editorial.roles import VERIFICATION_DESK

    user = get_user_model().objects.create_user(
        DESK_USER, email=f"{DESK_USER}@newsroom.example", password=password
    )
    user.groups.add(Group.objects.get(name=VERIFICATION_DESK))


def warm_up(port, path, count):
    """Let every worker import and compile before the clock starts."""
    body = b""
    for _ in range(count):
        response = fetch(port, path)
        if isinstance(response, str) or response.status != 200:
            raise RuntimeError(
                f"warm-up: {path} returned {getattr(response, 'status', response)}"
            )
        body = response.body
    return body


def fetch(port, path=ARTICLE):
    """A page on a new connection (so, likely, from another worker), or the error."""
    client = Client(HOST, port)
    try:
        return client.get(path)
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()


def environment(readers_server, editors_server, redis_database):
    import gunicorn
    import rq
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    return {
        "gunicorn": gunicorn.__version__,
        "postgresql": postgresql,
        "redis": redis_database.connection().info("server")["redis_version"],
        "redis_database": redis_database.number,
        "rq": rq.__version__,
        "readers_bind": f"{HOST}:{readers_server.port}",
        "editors_bind": f"{HOST}:{editors_server.port}",
    }


def collect(results, processes, timeout):
    """Each process's results, or an error as soon as one dies without them."""
    outcome, deadline = {}, time.monotonic() + timeout
    while len(outcome) < len(processes):
        try:
            name, value = results.get(timeout=2)
        except queue.Empty:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no results after {timeout:g} s") from None
            if any(process.exitcode for process in processes):
                raise RuntimeError(
                    "a load process failed (see its traceback above)"
                ) from None
            continue
        outcome[name] = value
    return outcome


def load(args, ports, paths, password, pks, desk, usage):
    """Run the readers of both articles, the editor and the desk at once, each
    side in a process of its own, from one starting signal."""
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Queue(), context.Event(), context.Queue()
    # Two reader processes, so that the readers' parsing shares two interpreters.
    first_half = (args.readers + 1) // 2
    desk_pk, cycle = desk
    articles = [paths["evidence"], paths["plain"]]
    sides = {
        "readers:1": (
            run_readers,
            ("readers:1", HOST, ports["readers"], articles, first_half),
        ),
        "readers:2": (
            run_readers,
            ("readers:2", HOST, ports["readers"], articles, args.readers - first_half),
        ),
        "editor": (
            run_editor,
            (HOST, ports["editors"], args.editor, password, pks),
        ),
        "desk": (
            run_desk,
            (HOST, ports["editors"], DESK_USER, password, desk_pk, cycle),
        ),
    }
    processes = []
    for name, (target, arguments) in sides.items():
        timing = (args.duration, ready, go, results)
        if name in ("editor", "desk"):
            timing = (args.duration, args.pause, ready, go, results)
        processes.append(context.Process(target=target, args=(*arguments, *timing)))
    try:
        for process in processes:
            process.start()
        for _ in processes:
            message = ready.get(timeout=120)
            if message not in sides:
                raise RuntimeError(message)
        usage.start()
        go.set()
        outcome = collect(results, processes, timeout=args.duration + 600)
        outcome["machine"] = usage.stop()
        for process in processes:
            process.join(timeout=30)
        return outcome
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)


def main(argv=None):
    args = options(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill, too
    redis_database = RedisDatabase(args.redis, os.getpid())
    try:
        check_postgresql(args.postgres.rstrip("/"))
        redis_database.claim()
    except Unavailable as missing:
        print(f"[loadtest] cannot run: {missing}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="wagtail-evidence-load-"))
    database = Database(args.postgres)
    cdn = FakeCDN(HOST)
    servers = {
        name: Server(
            name,
            free_port(),
            args.workers,
            args.threads,
            workdir / f"gunicorn-{name}.log",
        )
        for name in ("readers", "editors")
    }
    worker = Worker(
        [sys.executable, "manage.py", "rqworker", "--with-scheduler"],
        SITE,
        workdir / "rqworker.log",
        redis_database,
    )
    password = secrets.token_urlsafe(16)
    try:
        cdn.start()
        configure(database, workdir / "media", redis_database, cdn)
        step(
            f"creating database {database.name}; Redis database {redis_database.number}"
        )
        database.create()
        step("migrating, starting the RQ worker, loading the demo newsroom")
        manage("migrate", "--noinput")
        worker.start()
        manage("load_demo", f"--password={password}")

        import django

        django.setup()
        add_desk_user(password)
        step(
            f"starting 2 gunicorn processes on {HOST}:{servers['readers'].port} (readers)"
            f" and {HOST}:{servers['editors'].port} (editor, desk),"
            f" {args.workers} workers x {args.threads} threads each"
        )
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_until_serving()
        rendered = warm_up(servers["readers"].port, ARTICLE, 3 * args.workers)
        warm_up(servers["editors"].port, ARTICLE, 3 * args.workers)
        pks = records_on_page(rendered)[: args.records]
        if not pks:
            raise RuntimeError("the article shows no evidence description to edit")
        desk = desk_record(rendered, pks)
        plain = plain_article.build(the_article(), rendered)
        plain_page = warm_up(servers["readers"].port, plain, 3 * args.workers)
        pages = {
            "evidence_bytes": len(rendered),
            "plain_bytes": len(plain_page),
            "evidence_text_chars": plain_article.text_length(rendered),
            "plain_text_chars": plain_article.text_length(plain_page),
            "desk_record_badges": badge_places(rendered, desk[0]),
        }
        worker.drain()  # the setup's tasks (index updates, Wagtail's purges) are done
        worker.start_counting()
        cdn_before = cdn.requests()
        from django.db import connections

        connections.close_all()
        step(
            f"load: {args.readers} readers ({ARTICLE} and {plain}), 1 editor ({args.editor},"
            f" records {pks}) and the desk ({DESK_USER}, verdicts of #{desk[0]}) for {args.duration:g} s"
        )
        outcome = load(
            args,
            {name: server.port for name, server in servers.items()},
            {"evidence": ARTICLE, "plain": plain},
            password,
            pks,
            desk,
            Usage(
                [server.process.pid for server in servers.values()],
                worker.process.pid,
                database.name,
            ),
        )
        step("waiting for the worker, checking for lost edits and stale reads")
        worker.drain()
        after = [
            fetch(server.port)
            for server in servers.values()
            for _ in range(3 * args.workers)
        ]
        run = {
            "outcome": outcome,
            "paths": {"evidence": ARTICLE, "plain": plain},
            "pks": pks,
            "desk_pk": desk[0],
            "desk_user": DESK_USER,
            "after": after,
            "tasks": worker.tasks(),
            "cdn_purges": cdn.requests() - cdn_before,
            "render_cache_keys": len(
                redis_database.connection().keys("*wagtail_evidence:block:*")
            ),
            "pages": pages,
            "environment": environment(
                servers["readers"], servers["editors"], redis_database
            ),
        }
        connections.close_all()
        for server in servers.values():
            server.stop()
        worker.stop()
        run["server_errors"] = [
            line
            for log in (
                *(server.log(limit=None) for server in servers.values()),
                worker.log(limit=None),
            )
            for line in error_lines(log)
        ]
        report = checks.report(args, run)
    except BaseException:
        for server in servers.values():
            if server.process is not None:
                print(
                    f"--- gunicorn ({server.name}) log (tail) ---\n{server.log()}",
                    file=sys.stderr,
                )
        if worker.process is not None:
            print(f"--- RQ worker log (tail) ---\n{worker.log()}", file=sys.stderr)
        raise
    finally:
        for server in servers.values():
            server.stop()
        worker.stop()
        cdn.stop()
        try:
            database.drop()
        finally:
            redis_database.release()
            shutil.rmtree(workdir, ignore_errors=True)
    print(report["text"])
    if args.json:
        args.json.write_text(json.dumps(report["figures"], indent=2) + "\n")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
