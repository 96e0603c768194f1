"""Fake archiving and source services on 127.0.0.1, started by the tests that
use them: a Save Page Now (SPN2) that answers as it is told (a job, 429, 500,
a refusal, a hang), and a web of sources reached through it as an HTTP proxy
(so the check's real HTTP conversation happens, with no name looked up)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


TIMESTAMP = "20261206101500"


class FakeService:
    def __init__(self, handler_class, tls=None):
        """``tls``: a server-side ssl.SSLContext, to answer over https."""
        self.requests = []
        self.behaviour = "ok"
        self.answers = {}  # for the sources: path -> (status, headers)
        self.polls_before_success = 1
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.server.fake = self
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a hanging answer does not hold the test
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    @property
    def fake(self):
        return self.server.fake

    def answer(self, status, body=None, headers=()):
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class SavePageNowHandler(Handler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        self.fake.requests.append(
            ("POST", self.path, dict(self.headers), {k: v[0] for k, v in form.items()})
        )
        behaviour = self.fake.behaviour
        if behaviour == "hang":
            time.sleep(3)
            return
        posts = sum(request[0] == "POST" for request in self.fake.requests)
        if behaviour == "429" or (behaviour == "429 after the first" and posts > 1):
            return self.answer(
                429, {"message": "You have too many requests"}, [("Retry-After", "30")]
            )
        if behaviour == "500":
            return self.answer(500, {"message": "internal error"})
        if behaviour == "401":
            return self.answer(401, {"message": "bad keys"})
        url = form["url"][0]
        job = "spn2-" + str(abs(hash(url)))
        self.fake.jobs = getattr(self.fake, "jobs", {})
        self.fake.jobs[job] = [url, 0]
        return self.answer(200, {"url": url, "job_id": job})

    def do_GET(self):
        self.fake.requests.append(("GET", self.path, dict(self.headers), {}))
        job_id = self.path.rsplit("/", 1)[-1]
        url, polls = self.fake.jobs[job_id]
        self.fake.jobs[job_id][1] += 1
        if self.fake.behaviour == "refuse":
            return self.answer(
                200,
                {
                    "status": "error",
                    "status_ext": "error:blocked-url",
                    "message": "This URL is in the Save Page Now service block list.",
                },
            )
        if polls < self.fake.polls_before_success:
            return self.answer(200, {"status": "pending", "job_id": job_id})
        return self.answer(
            200,
            {
                "status": "success",
                "job_id": job_id,
                "original_url": url,
                "timestamp": TIMESTAMP,
            },
        )


class SourcesHandler(Handler):
    """Asked as a proxy: the request line holds the whole address."""

    def do_GET(self):
        self.fake.requests.append(("GET", self.path, dict(self.headers), {}))
        path = urlsplit(self.path).path
        status, headers = self.fake.answers.get(path, (200, ()))
        return self.answer(status, {}, headers)


@pytest.fixture
def save_page_now(settings):
    """A fake SPN2, set as the site's archiving service."""
    fake = FakeService(SavePageNowHandler)
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "ARCHIVE_OPTIONS": {
            "access_key": "test-access",
            "secret_key": "test-secret",
            "endpoint": fake.url,
            "poll_interval": 0,
            "timeout": 1,
        },
    }
    yield fake
    fake.stop()


@pytest.fixture
def sources_web(settings):
    """Fake sources, reached through the check's proxy setting."""
    fake = FakeService(SourcesHandler)
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "SOURCE_CHECK_PROXY": fake.url,
        "SOURCE_CHECK_TIMEOUT": 2,
    }
    yield fake
    fake.stop()
