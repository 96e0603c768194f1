"""What happened to a record's sources, kept beside the record rather than in it.

Archived copies, the status of each source and the state of the last archive
or check are written by background tasks and by the desk at any time, and
must survive an editor's revert or the publication of an older revision: so
they are rows with a plain foreign key to the record (as Citation is), never
children stored in its revisions. Each row names the address it is about (the
media's or an appearance's), so that it follows the address, whatever the
revisions do with the appearance rows.
"""

from django.conf import settings
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import (
    SourceStatus,
    SourceStatusOrigin,
    SourceTaskKind,
    SourceTaskState,
)
from wagtail_evidence.media.weburls import display_host, safe_web_url


URL_LENGTH = 2000

# Sent (sender=Evidence, instance=record) when what readers see of a record's
# sources changes: a status, a new copy. The frontend cache purge listens.
sources_changed = Signal()


class ArchivedCopy(models.Model):
    """One capture of one address by an archiving service."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="archived_copies",
        verbose_name=_("evidence"),
    )
    captured_url = models.CharField(_("address captured"), max_length=URL_LENGTH)
    archive_url = models.CharField(_("archived copy"), max_length=URL_LENGTH)
    service = models.CharField(_("archiving service"), max_length=100)
    captured_at = models.DateTimeField(_("captured at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The same capture, stored twice (a second run, a retry, an
            # import), is one copy.
            models.UniqueConstraint(
                fields=["evidence", "archive_url"],
                name="wagtail_evidence_one_archived_copy",
            )
        ]
        ordering = ["-captured_at", "-pk"]
        verbose_name = _("archived copy")
        verbose_name_plural = _("archived copies")

    def __str__(self):
        return self.archive_url

    @property
    def safe_url(self):
        return safe_web_url(self.archive_url)

    @property
    def host(self):
        return display_host(self.archive_url)


class SourceCheck(models.Model):
    """The status of one source of a record: the desk's, or the last check's."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="source_checks",
        verbose_name=_("evidence"),
    )
    url = models.CharField(_("address"), max_length=URL_LENGTH)
    status = models.CharField(
        _("source status"),
        max_length=32,
        choices=SourceStatus.choices,
        default=SourceStatus.UNKNOWN,
    )
    set_by = models.CharField(
        _("set by"), max_length=16, choices=SourceStatusOrigin.choices, blank=True
    )
    set_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the last check found, kept apart: it never overrides the desk.
    checked_status = models.CharField(
        _("status found by the last check"),
        max_length=32,
        choices=SourceStatus.choices,
        blank=True,
    )
    checked_detail = models.CharField(
        _("what the check saw"), max_length=255, blank=True
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "url"], name="wagtail_evidence_one_source_check"
            )
        ]
        verbose_name = _("source status")
        verbose_name_plural = _("source statuses")

    def __str__(self):
        return f"{self.url}: {self.status}"


class SourceTask(models.Model):
    """Where the last archive (or check) of a record an editor started stands."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="source_tasks",
        verbose_name=_("evidence"),
    )
    kind = models.CharField(max_length=16, choices=SourceTaskKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=SourceTaskState.choices)
    # What went wrong, address by address: [{"url", "code", "detail"}], read
    # through wagtail_evidence.archives.problems so that it shows in the
    # reader's language of the moment, not the worker's.
    problems = models.JSONField(default=list, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "kind"], name="wagtail_evidence_one_source_task"
            )
        ]
        verbose_name = _("archive or check of sources")
        verbose_name_plural = _("archives and checks of sources")

    def __str__(self):
        return f"{self.kind} of {self.evidence_id}: {self.state}"

    @property
    def under_way(self):
        return self.state in (SourceTaskState.QUEUED, SourceTaskState.RUNNING)
