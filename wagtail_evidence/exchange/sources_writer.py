"""Writing what an import adds beside its records: archived copies, and the
desk's source statuses (exchange.sources_columns, exchange.archiver_rows).

They are not part of a record's revisions (models.archives): they are rows of
their own, written once the batch's records exist, the copies in one insert.
A status set is logged as the desk's setting it on the Sources page is.
Readers see both at once (the render token is renewed) and, with a frontend
cache, the articles citing the records are purged once the import commits.
"""

from django.db import connection
from wagtail.log_actions import log

from wagtail_evidence.archives.log_actions import COPIES_IMPORTED
from wagtail_evidence.archives.tasks import write_desk_status
from wagtail_evidence.models import ArchivedCopy, Evidence, SourceCheck
from wagtail_evidence.models.archives import sources_changed
from wagtail_evidence.reader.render_cache import renew_render_token


def write_sources(results, user):
    """Write the copies and statuses planned on ``results`` (one batch's)."""
    records = {}
    copies = []
    for result in results:
        if result.copies:
            records[result.evidence.pk] = result.evidence
            # The row lists the archived media first: inserted last, it is the
            # copy with the newest id, the one readers are sent to (an
            # auto-archiver row's copies share their capture time).
            for copy in reversed(result.copies):
                copy.evidence_id = result.evidence.pk
                copies.append(copy)
        for url, status, _replaced in result.statuses or ():
            records[result.evidence.pk] = result.evidence
            set_status(result.evidence, url, status, user)
    if copies:
        log_imported_copies(copies, records, user)
        options = (
            {"ignore_conflicts": True}  # stored meanwhile by an "Archive now"
            if connection.features.supports_ignore_conflicts
            else {}
        )
        ArchivedCopy.objects.bulk_create(copies, **options)
    if records:
        renew_render_token(Evidence.objects.filter(pk__in=list(records)))
        for evidence in records.values():
            sources_changed.send(sender=Evidence, instance=evidence)


def log_imported_copies(copies, records, user):
    """One history entry per record for the copies a file adds to it (the
    planner has left out those the record had), in the file's order."""
    by_record = {}
    for copy in reversed(copies):
        by_record.setdefault(copy.evidence_id, []).append(copy.archive_url)
    for pk, urls in by_record.items():
        log(
            records[pk],
            COPIES_IMPORTED,
            user=user,
            data={"new": len(urls), "copies": urls},
        )


def set_status(evidence, url, status, user):
    row, _created = SourceCheck.objects.get_or_create(evidence=evidence, url=url)
    write_desk_status(row, status, user)
