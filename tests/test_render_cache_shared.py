"""Two web processes share the render cache in Redis; an editor publishes a
verdict change through one, and readers of the other never see the old badge
once the publish has returned.

Each process is gunicorn serving the suite's site (tests/shared_cache_settings.py)
on this test's own database, committed so that they can read it (a file for
SQLite, or the PostgreSQL test database), and on this process's Redis database.
Readers keep asking the second process for the article while the desk publishes
through the first, over HTTP, as a browser does.

Needs Redis (tests/redis_server.py): skipped loudly without it, failed under CI.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from tests.conftest import PASSWORD
from tests.demo.load.client import Client
from tests.factories import evidence_block, make_article, make_evidence


pytestmark = [pytest.mark.usefixtures("migrated_database"), pytest.mark.scale]

HOST = "127.0.0.1"
SUITE = Path(__file__).resolve().parent.parent  # tests/ and the package beside it
BADGE = re.compile(r'class="evidence-badge evidence-badge--([\w-]+)"')
READERS = 2
READ_ON_AFTER = 1.5  # seconds of reading once the publish has returned


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class WebProcess:
    """gunicorn, one worker with two threads, serving the suite's site."""

    def __init__(self, environment, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.environment = environment

    def __enter__(self):
        self.log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "django.core.wsgi:get_wsgi_application()",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--worker-class",
                "gthread",
            ],
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                Client(HOST, self.port, timeout=5).get("/")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log()}")

    def __exit__(self, *exc_info):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log_file.close()

    def log(self):
        return Path(self.log_path).read_text(errors="replace")[-5000:]


def shared_environment(redis_url):
    database = {
        key: connection.settings_dict[key]
        for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    }
    if database["ENGINE"].endswith("sqlite3"):
        database["OPTIONS"] = {"timeout": 20}  # wait for a writer, never fail
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.shared_cache_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(SUITE), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "WAGTAIL_EVIDENCE_SHARED_DATABASE": json.dumps(database),
        "WAGTAIL_EVIDENCE_SHARED_REDIS": redis_url,
    }


def sign_in(client, username):
    page = client.get("/admin/login/")
    token = querydict_from_html(page.text, form_id=None, exclude_csrf=False)[
        "csrfmiddlewaretoken"
    ]
    response = client.post(
        "/admin/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status == 302, response.text[:500]


def edit_form(html):
    data = querydict_from_html(html, form_id="w-editor-form", exclude_csrf=False)
    return {key: values[-1] for key, values in data.lists() if "__prefix__" not in key}


def badge(response):
    """The one badge on the page, or what the page was instead."""
    found = BADGE.findall(response.text) if response.status == 200 else []
    return found[0] if len(found) == 1 else f"HTTP {response.status}: {found}"


def read_until(stop, port, path, seen):
    """Ask for the article again and again; note when each request was sent."""
    client = Client(HOST, port)
    while not stop.is_set():
        sent = time.monotonic()
        try:
            seen.append((sent, badge(client.get(path))))
        except OSError as error:
            seen.append((sent, repr(error)))
    client.close()


def test_readers_of_another_process_never_see_the_old_badge_after_the_publish(
    users, redis_url, redis_cache, tmp_path
):
    evidence = make_evidence(title="Convoy in Horadiz", verdict="pending")
    article = make_article([evidence_block(evidence)])
    path = article.url
    environment = shared_environment(redis_url)
    with (
        WebProcess(environment, tmp_path / "editor.log") as editors_process,
        WebProcess(environment, tmp_path / "readers.log") as readers_process,
    ):
        assert badge(Client(HOST, readers_process.port).get(path)) == "unverified"
        assert redis_cache._cache.get_client().keys("*wagtail_evidence:block:*")

        stop, seen = threading.Event(), []
        readers = [
            threading.Thread(
                target=read_until, args=(stop, readers_process.port, path, seen)
            )
            for _ in range(READERS)
        ]
        for reader in readers:
            reader.start()
        try:
            desk = Client(HOST, editors_process.port)
            sign_in(desk, "verifier")
            url = reverse(
                "wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk]
            )
            data = {
                **edit_form(desk.get(url).text),
                "verdict": "verified",
                "action-publish": "action-publish",
            }
            time.sleep(0.5)  # readers are reading the old badge from the cache
            response = desk.post(url, data)
            published = time.monotonic()
            assert response.status == 302, response.text[:1000]
            time.sleep(READ_ON_AFTER)
        finally:
            stop.set()
            for reader in readers:
                reader.join()

    before = [found for sent, found in seen if sent < published]
    after = [found for sent, found in seen if sent > published]
    assert "unverified" in before
    assert len(after) >= 5, f"only {len(after)} reads after the publish"
    assert set(after) == {"partially_verified"}, (
        f"{after.count('unverified')} of {len(after)} reads after the publish "
        "still showed the old badge"
    )
