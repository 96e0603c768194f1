"""Archive a record's sources, and check them, as tasks an editor starts.

Both run as django-tasks tasks, after the transaction commits (inline with the
default immediate backend, off the request with a worker backend), as the
purge does. Each address is done on its own: one that fails is noted (its
code and the service's words, in ``SourceTask.problems``) and the others go
on. A rate limit stops the run: the addresses left are tried again later where
the task backend can wait, a few times, and the state says when. A capture
the service needs time for (Save Page Now's job) is asked about again by a
follow-up task enqueued to run later, never by a task that sleeps: a worker
is never held by the wait. No error of
a service ends as a crash: it ends as a state the desk reads on the record
and in the register, and in the record's history.

Safe to run twice: a copy is stored once per archived address (the unique
constraint on ArchivedCopy), and a check writes the same row again.
"""

import logging
import time
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from wagtail_evidence.archives.backends import (
    ArchiveError,
    NotConfigured,
    Pending,
    RateLimited,
    TimedOut,
    get_archive_backend,
)
from wagtail_evidence.archives.source_check import check_url
from wagtail_evidence.choices import (
    SourceStatus,
    SourceStatusOrigin,
    SourceTaskKind,
    SourceTaskState,
)
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.exchange.addresses import stored_addresses
from wagtail_evidence.media.weburls import safe_web_url
from wagtail_evidence.models import ArchivedCopy, Evidence, SourceCheck, SourceTask
from wagtail_evidence.models.archives import sources_changed
from wagtail_evidence.reader.render_cache import renew_render_token


logger = logging.getLogger(__name__)

RETRY_DELAYS = (60, 600, 3600)  # before the second, third and fourth attempt
# A task still queued or running after this long is taken for lost (a worker
# that died): the editor may start it again.
LOST_AFTER = timedelta(hours=1)

ARCHIVE_REQUESTED = "wagtail_evidence.archive_requested"
ARCHIVE_DONE = "wagtail_evidence.archive_done"
CHECK_REQUESTED = "wagtail_evidence.check_requested"
CHECK_DONE = "wagtail_evidence.check_done"
SOURCE_STATUS = "wagtail_evidence.source_status"


# Who may do what: asked by the view, the bulk actions and these functions.


def may_start(user, evidence):
    """Archiving and checking change nothing the record says: any user who may
    change the record may start them."""
    return evidence_permission_policy.user_has_permission_for_instance(
        user, "change", evidence
    )


def may_set_status(user):
    """A source's status is a finding: the verification desk's, as verdicts are."""
    return evidence_permission_policy.user_may_verify(user)


# The addresses


def source_urls(evidence):
    """The media's address and each appearance's, in the latest version an
    editor saved (a draft included), each once, those that pass the URL checks.
    As stored: the rows about an address are found by it (the register looks
    the media's up in SQL); the service is sent its checked form."""
    latest = evidence.get_latest_revision_as_object() if evidence.pk else evidence
    return list(
        dict.fromkeys(url for url in stored_addresses(latest) if safe_web_url(url))
    )


# Starting


def start(evidence, user, kind):
    """Queue an archive or a check of ``evidence``'s sources for ``user``.
    Return the SourceTask, or None when one is already under way."""
    if not may_start(user, evidence):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        row = (
            SourceTask.objects.select_for_update()
            .filter(evidence=evidence, kind=kind)
            .first()
        )
        if row is not None and row.under_way and now - row.requested_at < LOST_AFTER:
            return None
        row = row or SourceTask(evidence=evidence, kind=kind)
        row.state = SourceTaskState.QUEUED
        row.problems, row.done, row.retry_at, row.finished_at = [], 0, None, None
        row.total = len(source_urls(evidence))
        row.requested_by, row.requested_at = user, now
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # someone else started it this very moment
            return None
        log(
            evidence,
            ARCHIVE_REQUESTED if kind == SourceTaskKind.ARCHIVE else CHECK_REQUESTED,
            user=user,
        )
    job = archive_sources if kind == SourceTaskKind.ARCHIVE else check_sources
    pk = evidence.pk
    transaction.on_commit(lambda: job.enqueue(pk))
    return row


# Archiving


@task()
def archive_sources(evidence_pk, urls=None, attempt=1):
    """Ask the service to capture each address of the record; captures it
    needs time for are asked about by ``poll_captures``. Return how many
    copies were new."""
    evidence = Evidence.objects.filter(pk=evidence_pk).first()
    if evidence is None:
        return 0  # deleted since: its task row went with it
    row = SourceTask.objects.get(evidence=evidence, kind=SourceTaskKind.ARCHIVE)
    urls = source_urls(evidence) if urls is None else urls
    row.state, row.retry_at = SourceTaskState.RUNNING, None
    if attempt == 1:
        row.total, row.done = len(urls), 0
    row.save(update_fields=["state", "retry_at", "total", "done"])
    try:
        backend = get_archive_backend()
    except ImproperlyConfigured as error:
        return finish(row, [problem(url, NotConfigured(error)) for url in urls], 0)
    # A retry keeps what the earlier attempts found of the other addresses.
    retried = set(urls)
    problems = (
        [p for p in row.problems if p["url"] not in retried] if attempt > 1 else []
    )
    new, jobs, retry = 0, {}, None
    for index, url in enumerate(urls):
        try:
            result = backend.submit(safe_web_url(url))
            if isinstance(result, Pending):
                jobs[url] = result.job
                continue  # counted as done when its capture ends
            new += store_capture(evidence, url, result)
        except RateLimited as error:
            problems.append(problem(url, error))
            if may_retry(attempt):
                retry = {
                    "urls": urls[index:],
                    "attempt": attempt + 1,
                    "after": error.retry_after,
                }
            else:
                problems.extend(problem(left, error) for left in urls[index + 1 :])
            break
        except ArchiveError as error:
            problems.append(problem(url, error))
        except Exception as error:  # a backend of the newsroom's own, failing
            logger.exception("Archiving %s for evidence %s failed.", url, evidence_pk)
            problems.append(problem(url, ArchiveError(type(error).__name__)))
        row.done += 1
        row.save(update_fields=["done"])
    row.problems = problems
    row.save(update_fields=["problems"])
    give_up_at = timezone.now() + timedelta(seconds=backend.max_wait)
    run = {
        "run": row.requested_at.isoformat(),  # which request this run answers
        "jobs": jobs,  # address -> the service's job, for captures under way
        "polls": 0,
        "give_up_at": give_up_at.isoformat(),
        "new": new,
        "retry": retry,  # addresses a rate limit stopped, tried once polling ends
    }
    return carry_on(row, backend, run)


@task()
def poll_captures(evidence_pk, run):
    """Ask the service how the captures it is still making stand, once; those
    still pending are asked about again in another task, later, so that no
    worker waits for the service. Return how many copies were new so far."""
    row = (
        SourceTask.objects.filter(evidence_id=evidence_pk, kind=SourceTaskKind.ARCHIVE)
        .select_related("evidence")
        .first()
    )
    if (
        row is None
        or not row.under_way
        or row.requested_at != datetime.fromisoformat(run["run"])
    ):
        return 0  # the record was deleted, or archived anew: this run is over
    try:
        backend = get_archive_backend()
    except ImproperlyConfigured as error:
        problems = [problem(url, NotConfigured(error)) for url in run["jobs"]]
        return finish(row, row.problems + problems, run["new"])
    polls = run["polls"] + 1
    last_poll = polls >= backend.max_polls or timezone.now() >= datetime.fromisoformat(
        run["give_up_at"]
    )
    new, pending = run["new"], {}
    for url, job in run["jobs"].items():
        try:
            result = backend.poll(safe_web_url(url), job)
            if isinstance(result, Pending):
                if not last_poll:
                    pending[url] = job
                    continue
                raise TimedOut(f"job {job} still pending after {polls} polls")
            new += store_capture(row.evidence, url, result)
        except ArchiveError as error:
            row.problems.append(problem(url, error))
        except Exception as error:  # a backend of the newsroom's own, failing
            logger.exception("Polling %s for evidence %s failed.", url, evidence_pk)
            row.problems.append(problem(url, ArchiveError(type(error).__name__)))
        row.done += 1
    row.save(update_fields=["problems", "done"])
    return carry_on(row, backend, {**run, "jobs": pending, "polls": polls, "new": new})


def carry_on(row, backend, run):
    """What comes after a step of an archive run: another poll while captures
    are under way, then the retry a rate limit asked for, else the end."""
    if run["jobs"]:
        enqueue_later(poll_captures, backend.poll_interval, row.evidence_id, run)
        return run["new"]
    retry = run["retry"]
    if retry:
        retry_later(row, retry["urls"], retry["attempt"], retry["after"])
        return run["new"]
    return finish(row, row.problems, run["new"])


def enqueue_later(job, delay, *args):
    """Enqueue ``job`` to run ``delay`` seconds from now. The immediate
    backend cannot defer: it runs tasks inline, in the editor's request, so
    there is no worker to free; the wait happens there."""
    if job.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=delay)
        job.using(run_after=run_after).enqueue(*args)
    else:
        time.sleep(delay)
        job.enqueue(*args)


def problem(url, error):
    return {"url": url, "code": error.code, "detail": error.detail}


def store_capture(evidence, url, capture):
    """Store one capture of ``url``; 1 if it is new, 0 if the same capture is
    stored already."""
    archive_url = safe_web_url(capture.archive_url)
    if not archive_url:
        raise ArchiveError(f"unsafe archive address {capture.archive_url!r}")
    _copy, created = ArchivedCopy.objects.get_or_create(
        evidence=evidence,
        archive_url=archive_url,
        defaults={
            "captured_url": url,
            "service": capture.service[:100],
            "captured_at": capture.captured_at,
        },
    )
    return int(created)


def may_retry(attempt):
    """Whether a rate-limited attempt gets another, later: not when the task
    backend cannot run a task later (the immediate one), nor after the last."""
    return attempt <= len(RETRY_DELAYS) and archive_sources.get_backend().supports_defer


def retry_later(row, urls, next_attempt, asked_delay):
    """Enqueue the next attempt for ``urls`` and note when on the row."""
    delay = max(RETRY_DELAYS[next_attempt - 2], asked_delay or 0)
    row.retry_at = timezone.now() + timedelta(seconds=delay)
    row.state = SourceTaskState.QUEUED
    row.save(update_fields=["retry_at", "state"])
    archive_sources.using(run_after=row.retry_at).enqueue(
        row.evidence_id, urls, next_attempt
    )


def finish(row, problems, new):
    row.problems = problems
    row.state = SourceTaskState.FAILED if problems else SourceTaskState.DONE
    row.finished_at = timezone.now()
    row.save(update_fields=["problems", "state", "finished_at"])
    log(
        row.evidence,
        ARCHIVE_DONE if row.kind == SourceTaskKind.ARCHIVE else CHECK_DONE,
        data={"total": row.total, "new": new, "problems": problems},
    )
    readers_see_it_now(row.evidence)
    return new


def readers_see_it_now(evidence):
    """Cached renders and, where the site has a frontend cache, the articles
    citing the record, show the change."""
    renew_render_token(Evidence.objects.filter(pk=evidence.pk))
    sources_changed.send(sender=Evidence, instance=evidence)


# Checking


@task()
def check_sources(evidence_pk):
    """Ask each address what became of it; return how many statuses changed."""
    evidence = Evidence.objects.filter(pk=evidence_pk).first()
    if evidence is None:
        return 0
    row = SourceTask.objects.get(evidence=evidence, kind=SourceTaskKind.CHECK)
    urls = source_urls(evidence)
    row.state, row.total, row.done = SourceTaskState.RUNNING, len(urls), 0
    row.save(update_fields=["state", "total", "done"])
    changed, problems = 0, []
    for url in urls:
        finding = check_url(url)
        changed += note_finding(evidence, url, finding)
        if finding.status == SourceStatus.UNKNOWN and finding.detail.startswith(
            "no answer"
        ):
            problems.append(
                {"url": url, "code": "unreachable", "detail": finding.detail}
            )
        row.done += 1
        row.save(update_fields=["done"])
    finish(row, problems, changed)
    return changed


def note_finding(evidence, url, finding):
    """Write what a check found; it sets the status unless the desk set one.
    Return 1 if the status readers go by changed."""
    row, _created = SourceCheck.objects.get_or_create(evidence=evidence, url=url)
    before = row.status
    row.checked_status, row.checked_detail = finding.status, finding.detail[:255]
    row.checked_at = timezone.now()
    if row.set_by != SourceStatusOrigin.DESK:
        row.status, row.set_by, row.set_by_user = (
            finding.status,
            SourceStatusOrigin.CHECK,
            None,
        )
    row.save()
    return int(row.status != before)


# The desk's own status

# What the desk chooses to withdraw its own status: "Not set". The last
# check's finding, if any, then stands, and later checks set it again.
NOT_SET = "not_set"


def desk_source_check(evidence, url, user):
    """The SourceCheck row of one of the record's sources, for the desk, or
    None if there is none yet. Refuses anyone but the desk, and an address
    that is not one of the record's sources."""
    if not may_set_status(user):
        raise PermissionDenied
    row = SourceCheck.objects.filter(evidence=evidence, url=url).first()
    if row is None and url not in source_urls(evidence):
        raise ValueError("not one of the record's sources")
    return row


def set_status(evidence, url, status, user):
    """The desk sets the status of one of the record's sources by hand; its
    word stands until it changes it (a check never overrides it). Return
    whether it changed."""
    if status == NOT_SET:
        return clear_status(evidence, url, user)
    row = desk_source_check(evidence, url, user)
    status = SourceStatus(status)
    if row is None:
        row = SourceCheck.objects.create(evidence=evidence, url=url)
    if row.status == status and row.set_by == SourceStatusOrigin.DESK:
        return False
    write_desk_status(row, status, user)
    readers_see_it_now(evidence)
    return True


def write_desk_status(row, status, user):
    """Store the desk's ``status`` on a SourceCheck ``row`` and log it; who may
    is the caller's to ask (the Sources page, an import's planner)."""
    before = row.status
    row.status, row.set_by, row.set_by_user = status, SourceStatusOrigin.DESK, user
    row.save()
    log(
        row.evidence,
        SOURCE_STATUS,
        user=user,
        data={"url": row.url, "before": before, "after": SourceStatus(status).value},
    )


def clear_status(evidence, url, user):
    """The desk withdraws the status it set: the last check's finding stands
    if there was a check, else the status is not known. Return whether the
    desk had set one."""
    row = desk_source_check(evidence, url, user)
    if row is None or row.set_by != SourceStatusOrigin.DESK:
        return False
    before = row.status
    row.status = row.checked_status or SourceStatus.UNKNOWN
    row.set_by = SourceStatusOrigin.CHECK if row.checked_status else ""
    row.set_by_user = None
    row.save()
    log(
        evidence,
        SOURCE_STATUS,
        user=user,
        data={"url": url, "before": before, "after": row.status, "withdrawn": True},
    )
    readers_see_it_now(evidence)
    return True
