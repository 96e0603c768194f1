"""Archive a record's sources, and check them, as tasks an editor starts.

Both run as django-tasks tasks, after the transaction commits (inline with the
default immediate backend, off the request with a worker backend), as the
purge does. Each address is done on its own: one that fails is noted (its
code and the service's words, in ``SourceTask.problems``) and the others go
on. A rate limit stops the run: the addresses left are tried again later where
the task backend can wait, a few times, and the state says when. No error of
a service ends as a crash: it ends as a state the desk reads on the record
and in the register, and in the record's history.

Safe to run twice: a copy is stored once per archived address (the unique
constraint on ArchivedCopy), and a check writes the same row again.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from wagtail_evidence.archives.backends import (
    ArchiveError,
    NotConfigured,
    RateLimited,
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
    urls = [latest.media_url, *(a.url for a in latest.appearances.all())]
    return list(dict.fromkeys(url for url in urls if safe_web_url(url)))


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
    """Capture each address of the record; return how many copies were new."""
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
    new = 0
    for index, url in enumerate(urls):
        try:
            new += store_capture(evidence, url, backend.capture(safe_web_url(url)))
        except RateLimited as error:
            problems.append(problem(url, error))
            if retry_later(row, urls[index:], attempt, error.retry_after):
                row.problems = problems
                row.save(update_fields=["problems"])
                return new
            problems.extend(problem(left, error) for left in urls[index + 1 :])
            break
        except ArchiveError as error:
            problems.append(problem(url, error))
        except Exception as error:  # a backend of the newsroom's own, failing
            logger.exception("Archiving %s for evidence %s failed.", url, evidence_pk)
            problems.append(problem(url, ArchiveError(type(error).__name__)))
        row.done += 1
        row.save(update_fields=["done"])
    return finish(row, problems, new)


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


def retry_later(row, urls, attempt, asked_delay):
    """Enqueue the next attempt for ``urls`` if there is one and the backend
    can wait; note when on the row; return whether it was enqueued."""
    backend = archive_sources.get_backend()
    if attempt > len(RETRY_DELAYS) or not backend.supports_defer:
        return False
    delay = max(RETRY_DELAYS[attempt - 1], asked_delay or 0)
    row.retry_at = timezone.now() + timedelta(seconds=delay)
    row.state = SourceTaskState.QUEUED
    row.save(update_fields=["retry_at", "state"])
    archive_sources.using(run_after=row.retry_at).enqueue(
        row.evidence_id, urls, attempt + 1
    )
    return True


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


def set_status(evidence, url, status, user):
    """The desk sets the status of one of the record's sources by hand; its
    word stands until it changes it (a check never overrides it). Return
    whether it changed."""
    if not may_set_status(user):
        raise PermissionDenied
    if (
        url not in source_urls(evidence)
        and not SourceCheck.objects.filter(evidence=evidence, url=url).exists()
    ):
        raise ValueError("not one of the record's sources")
    status = SourceStatus(status)
    row, _created = SourceCheck.objects.get_or_create(evidence=evidence, url=url)
    if row.status == status and row.set_by == SourceStatusOrigin.DESK:
        return False
    before = row.status
    row.status, row.set_by, row.set_by_user = status, SourceStatusOrigin.DESK, user
    row.save()
    log(
        evidence,
        SOURCE_STATUS,
        user=user,
        data={"url": url, "before": before, "after": status.value},
    )
    readers_see_it_now(evidence)
    return True
