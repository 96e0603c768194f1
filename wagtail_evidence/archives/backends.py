"""Archiving services: a small class per service, chosen by ``ARCHIVE_BACKEND``.

A backend captures one address and answers with a ``Capture``, or raises an
``ArchiveError`` that says what went wrong in words the desk can act on
(``code``, one of ``problems.CODES``) and the service's own words
(``detail``). Nothing here runs at render or save: only the task an editor
starts (wagtail_evidence.archives.tasks) calls a backend.

A service that captures while the caller waits implements ``capture``. One
that answers with a job to ask about later implements ``submit`` (which
returns ``Pending``) and ``poll``: the task then asks again in a follow-up
task, run ``poll_interval`` seconds later, so that no worker sleeps while the
service works; it gives up after ``max_polls`` polls or ``max_wait`` seconds.

Save Page Now (the Internet Archive's SPN2 API) ships with the package: a POST
to /save with the address starts a capture job; GET /save/status/<job id>
tells when it is done, and the capture's timestamp names the archived copy.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, build_opener

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from wagtail_evidence.conf import get_setting


@dataclass(frozen=True)
class Capture:
    captured_url: str  # the address the service was asked to capture
    archive_url: str  # where the copy can be read
    captured_at: datetime
    service: str


@dataclass(frozen=True)
class Pending:
    """The service is still capturing; ``job`` is what to ask it about."""

    job: str


class ArchiveError(Exception):
    """The capture of one address failed; ``code`` says how."""

    code = "service_error"

    def __init__(self, detail="", retry_after=None):
        super().__init__(detail)
        self.detail = str(detail)[:500]
        self.retry_after = retry_after  # seconds the service asks to wait, if it said


class RateLimited(ArchiveError):
    code = "rate_limited"


class Refused(ArchiveError):
    code = "refused"


class TimedOut(ArchiveError):
    code = "timeout"


class NotConfigured(ArchiveError):
    code = "not_configured"


class ArchiveBackend:
    """Subclass and set ``ARCHIVE_BACKEND`` to its dotted path; the keyword
    arguments come from ``ARCHIVE_OPTIONS``."""

    name = "archive"  # stored with each copy, shown to the desk and to readers
    poll_interval = 5  # seconds between two polls of a pending capture
    max_polls = 36  # polls of a pending capture before it is taken as timed out
    max_wait = 36 * 5  # seconds after its start a pending capture is given up

    def __init__(self, **options):
        self.options = options

    def capture(self, url):
        """Capture ``url``; return a Capture or raise an ArchiveError."""
        raise NotImplementedError

    def submit(self, url):
        """Start capturing ``url``; return a Capture when it is done at once,
        Pending when the service needs time, or raise an ArchiveError."""
        return self.capture(url)

    def poll(self, url, job):
        """Ask how the capture ``job`` of ``url`` stands; return a Capture,
        Pending, or raise an ArchiveError."""
        raise NotImplementedError


def get_archive_backend():
    path = get_setting("ARCHIVE_BACKEND")
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"ARCHIVE_BACKEND {path!r} cannot be imported: {error}"
        ) from error
    return backend_class(**(get_setting("ARCHIVE_OPTIONS") or {}))


class SavePageNow(ArchiveBackend):
    """The Internet Archive's Save Page Now 2 API, with an account's S3-like
    access keys (https://archive.org/account/s3.php)."""

    name = "Internet Archive"

    def __init__(
        self,
        access_key=None,
        secret_key=None,
        endpoint="https://web.archive.org",
        replay_url="https://web.archive.org/web/",
        timeout=30,
        poll_interval=5,
        max_polls=36,
        max_wait=None,
        **options,
    ):
        super().__init__(**options)
        self.access_key = access_key
        self.secret_key = secret_key
        if not endpoint.startswith(("https://", "http://")):
            raise ImproperlyConfigured("Save Page Now's endpoint must be http(s).")
        self.endpoint = endpoint.rstrip("/")
        self.replay_url = replay_url
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.max_polls = max_polls
        # By default as long as the polls could take, each waiting its answer.
        self.max_wait = (
            max_wait if max_wait is not None else max_polls * (poll_interval + timeout)
        )
        self.opener = build_opener()  # a proxy, where the project sets one, applies

    def submit(self, url):
        if not (self.access_key and self.secret_key):
            raise NotConfigured(
                "ARCHIVE_OPTIONS has no access_key and secret_key for Save Page Now."
            )
        # skip_first_archive: SPN2 then need not look up whether this is the
        # address's first capture, which the package never reads.
        job = self.call("POST", "/save", {"url": url, "skip_first_archive": "1"})
        job_id = job.get("job_id")
        if not job_id:
            raise Refused(job.get("message") or job.get("status_ext") or "no job id")
        return Pending(str(job_id))

    def poll(self, url, job):
        status = self.call("GET", f"/save/status/{quote(job, safe='')}")
        state = status.get("status")
        if state == "success":
            return self.capture_from(url, status)
        if state == "error":
            message = status.get("message") or status.get("status_ext", "")
            if status.get("status_ext") == "error:too-many-daily-captures":
                raise RateLimited(message)
            raise Refused(message)
        return Pending(job)

    def capture_from(self, url, status):
        timestamp = str(status.get("timestamp", ""))
        try:
            captured_at = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(
                tzinfo=UTC
            )
        except ValueError as error:
            raise ArchiveError(f"unreadable timestamp {timestamp!r}") from error
        original = status.get("original_url") or url
        return Capture(
            captured_url=url,
            archive_url=f"{self.replay_url}{timestamp}/{original}",
            captured_at=captured_at,
            service=self.name,
        )

    def call(self, method, path, data=None):
        request = Request(  # noqa: S310 - the endpoint is http(s), checked above
            self.endpoint + path,
            data=urlencode(data).encode() if data is not None else None,
            method=method,
            headers={
                "Accept": "application/json",
                "Authorization": f"LOW {self.access_key}:{self.secret_key}",
            },
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(1_000_000)
        except HTTPError as error:
            raise error_for_status(error) from None
        except TimeoutError as error:
            raise TimedOut(f"no answer within {self.timeout} s") from error
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise TimedOut(f"no answer within {self.timeout} s") from error
            raise ArchiveError(f"could not reach the service: {reason}") from error
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise ArchiveError("the service did not answer in JSON") from error
        if not isinstance(answer, dict):
            raise ArchiveError("the service's answer is not a JSON object")
        return answer


def error_for_status(error):
    status = error.code
    try:
        message = json.loads(error.read(10_000)).get("message", "")
    except (ValueError, AttributeError, OSError):
        message = ""
    detail = f"HTTP {status}" + (f": {message}" if message else "")
    if status == 429:
        return RateLimited(detail, retry_after=retry_after(error.headers))
    if status in (401, 403):
        return Refused(detail + " (check the access keys)")
    if 400 <= status < 500:
        return Refused(detail)
    return ArchiveError(detail)


def retry_after(headers):
    value = (headers or {}).get("Retry-After", "")
    return int(value) if str(value).isdigit() else None
