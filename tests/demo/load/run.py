"""Load test: readers fetch the demo article while an editor saves and publishes evidence.

    make loadtest                                  # 60 s, 20 readers
    make loadtest LOADTEST_ARGS="--duration 5"     # a quick smoke run
    .venv/bin/python -m tests.demo.load.run --help

It creates a fresh PostgreSQL database (127.0.0.1:5432, user postgres), migrates
it, runs ``load_demo``, and serves the example site with gunicorn on a free
loopback port with DEBUG off. For ``--duration`` seconds, ``--readers`` clients
(one keep-alive HTTP/1.1 connection each) fetch the article, while one editor
logs into the Wagtail admin and, record after record, changes a description to
a numbered value, saves a draft, then publishes it, through the admin's forms.

It fails (exit status 1) on any reader error (a status other than 200, or a
connection error), any editor error (a response other than a redirect, or a
form error), and any lost edit: a numbered edit missing from its record's
revisions, a live record without its last published value, a reader page that
misses a publish acknowledged before the request started, or shows a draft.
The database and the server go away at the end, whatever happened.
"""

import argparse
import html
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

from tests.demo.load import checks
from tests.demo.load.actors import run_editor, run_readers
from tests.demo.load.client import Client
from tests.demo.load.machine import Usage


ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "example_site"
ARTICLE = "/syrian-fighters-nagorno-karabakh/"
HOST = "127.0.0.1"


def options(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of load (default 60)"
    )
    parser.add_argument(
        "--readers", type=int, default=20, help="concurrent reader clients (default 20)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores + 1,
        help="gunicorn workers (default 2 x cores + 1)",
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
        help="seconds the editor waits between edits (default 0)",
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if (
        args.duration <= 0
        or min(args.readers, args.workers, args.threads, args.records) < 1
    ):
        parser.error(
            "--duration, --readers, --workers, --threads and --records must be positive"
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


class Server:
    def __init__(self, port, workers, threads, log_path):
        self.port = port
        self.log_path = log_path
        self.command = [
            sys.executable, "-m", "gunicorn", "newsroom_site.wsgi",
            "--chdir", str(SITE), "--pythonpath", str(ROOT),
            "--bind", f"{HOST}:{port}",
            "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
            "--keep-alive", "5", "--log-level", "warning",
        ]  # fmt: skip
        self.process = None

    def start(self, timeout=60):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            if getattr(fetch(self.port), "status", None) == 200:
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"gunicorn did not serve the article within {timeout} s:\n{self.log()}"
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

    def logged_errors(self):
        """Lines of the server's log that report an error (Django's tracebacks included)."""
        markers = (
            "Traceback",
            "Internal Server Error",
            "[ERROR]",
            "[CRITICAL]",
            "WORKER TIMEOUT",
        )
        return [
            line
            for line in self.log(limit=None).splitlines()
            if any(marker in line for marker in markers)
        ]

    def log(self, limit=5000):
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return text if limit is None else text[-limit:]


def configure(database, media_root):
    """The environment the server, manage.py and the editor's process all read."""
    os.environ.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="tests.demo.load.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        LOADTEST_MEDIA_ROOT=str(media_root),
        PYTHONPATH=os.pathsep.join(
            [str(ROOT), str(SITE), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
    )
    for path in (str(SITE), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def records_on_page(body):
    """The live evidence whose description the reader page shows, so the readers
    can tell which edit of it they got."""
    from wagtail_evidence.models import Evidence

    page = body.decode()
    return [
        evidence.pk
        for evidence in Evidence.objects.filter(live=True).order_by("pk")
        if evidence.description and html.escape(evidence.description) in page
    ]


def warm_up(port, count):
    """Let every worker import and compile before the clock starts."""
    body = b""
    for _ in range(count):
        response = fetch(port)
        if isinstance(response, str) or response.status != 200:
            raise RuntimeError(
                f"warm-up: the article returned {getattr(response, 'status', response)}"
            )
        body = response.body
    return body


def fetch(port):
    """The article on a new connection (so, likely, from another worker), or the error."""
    client = Client(HOST, port)
    try:
        return client.get(ARTICLE)
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()


def environment(server):
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
    return {
        "gunicorn": gunicorn.__version__,
        "postgresql": postgresql,
        "bind": f"{HOST}:{server.port}",
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


def load(args, port, password, pks, usage):
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Queue(), context.Event(), context.Queue()
    processes = [
        context.Process(
            target=run_readers,
            args=(HOST, port, ARTICLE, args.readers, args.duration, ready, go, results),
        ),
        context.Process(
            target=run_editor,
            args=(
                HOST,
                port,
                args.editor,
                password,
                pks,
                args.duration,
                args.pause,
                ready,
                go,
                results,
            ),
        ),
    ]
    try:
        for process in processes:
            process.start()
        for _ in processes:
            message = ready.get(timeout=120)
            if message not in ("readers", "editor"):
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
    workdir = Path(tempfile.mkdtemp(prefix="wagtail-evidence-load-"))
    database = Database(args.postgres)
    server = Server(free_port(), args.workers, args.threads, workdir / "gunicorn.log")
    password = secrets.token_urlsafe(16)
    try:
        configure(database, workdir / "media")
        step(f"creating database {database.name}")
        database.create()
        step("migrating and loading the demo newsroom")
        manage("migrate", "--noinput")
        manage("load_demo", f"--password={password}")

        import django

        django.setup()
        step(
            f"starting gunicorn on {HOST}:{server.port} ({args.workers} workers x {args.threads} threads)"
        )
        server.start()
        pks = records_on_page(warm_up(server.port, 3 * args.workers))[: args.records]
        if not pks:
            raise RuntimeError("the article shows no evidence description to edit")
        from django.db import connections

        connections.close_all()
        step(
            f"load: {args.readers} readers and 1 editor ({args.editor}, records {pks}) for {args.duration:g} s"
        )
        outcome = load(
            args, server.port, password, pks, Usage(server.process.pid, database.name)
        )
        step("checking for lost edits")
        after = [fetch(server.port) for _ in range(3 * args.workers)]
        server_environment = environment(server)
        connections.close_all()
        server.stop()
        report = checks.report(
            args, outcome, pks, after, server_environment, server.logged_errors()
        )
    except BaseException:
        if server.process is not None:
            print(f"--- gunicorn log (tail) ---\n{server.log()}", file=sys.stderr)
        raise
    finally:
        server.stop()
        try:
            database.drop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report["text"])
    if args.json:
        args.json.write_text(json.dumps(report["figures"], indent=2) + "\n")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
