"""The file's columns for what is kept beside a record: its archived copies
and the desk's status of its sources (models.archives).

They are not part of the record's revisions, so they are read and planned
apart from it, in bulk, a batch of records at a time. The export writes each
record's archived copies and the statuses the desk set (a status a check
found is the check's to find again). An import only adds: a copy is known by
its archived address (one the record has is left as it is), a status is set
for its address; a copy or status the file leaves out is kept. Only the
verification desk may set a status, as in the admin.

Content Credentials and near-duplicate flags are not in the file: they are
read from the files themselves, which do not travel in a spreadsheet.
"""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wagtail_evidence.choices import SourceStatus, SourceStatusOrigin
from wagtail_evidence.editorial.verification import can_verify
from wagtail_evidence.exchange.current import CHUNK
from wagtail_evidence.exchange.results import UNCHANGED, UPDATED
from wagtail_evidence.media.weburls import parse_web_url
from wagtail_evidence.models import ArchivedCopy, SourceCheck


COPIES, STATUSES = "archived_copies", "source_statuses"
SERVICE_LENGTH = 100  # ArchivedCopy.service


def chunks(pks):
    pks = sorted(set(pks))
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


def copies_of(pks):
    """{record id: [ArchivedCopy]}, oldest first, in a query per CHUNK records."""
    found = {}
    for chunk in chunks(pks):
        for copy in ArchivedCopy.objects.filter(evidence_id__in=chunk).order_by(
            "evidence_id", "captured_at", "archive_url"
        ):
            found.setdefault(copy.evidence_id, []).append(copy)
    return found


def statuses_of(pks):
    """{record id: [SourceCheck]} of every status set, by address."""
    found = {}
    for chunk in chunks(pks):
        for check in SourceCheck.objects.filter(evidence_id__in=chunk).order_by(
            "evidence_id", "url"
        ):
            found.setdefault(check.evidence_id, []).append(check)
    return found


def sources_columns(pks):
    """{record id: {column key: items}} for the export."""
    copies, statuses = copies_of(pks), statuses_of(pks)
    return {
        pk: {
            COPIES: [
                {
                    "archive_url": copy.archive_url,
                    "url": copy.captured_url,
                    "service": copy.service,
                    "captured_at": copy.captured_at.astimezone(UTC).isoformat(),
                }
                for copy in copies.get(pk, [])
            ],
            STATUSES: [
                {"url": check.url, "status": check.status}
                for check in statuses.get(pk, [])
                if check.set_by == SourceStatusOrigin.DESK
            ],
        }
        for pk in pks
    }


class Stored:
    """What the records of one batch have beside them, to plan against."""

    def __init__(self, pks):
        self.copies = {
            (pk, copy.archive_url)
            for pk, copies in copies_of(pks).items()
            for copy in copies
        }
        self.statuses = {
            (pk, check.url): check
            for pk, checks in statuses_of(pks).items()
            for check in checks
        }


def plan_sources(result, values, stored, user):
    """Add to ``result`` (planned without errors) the copies and statuses its
    row adds; a record otherwise unchanged is then updated beside itself only."""
    pk = result.evidence.pk if result.evidence is not None else None
    copies = plan_copies(result, values.get(COPIES) or [], pk, stored)
    statuses = plan_statuses(result, values.get(STATUSES) or [], pk, stored, user)
    if result.errors:
        result.changed, result.action = [], ""
        return
    if copies:
        result.copies = copies
        result.changed.append(COPIES)
    if statuses:
        result.statuses = statuses
        result.changed.append(STATUSES)
    if (copies or statuses) and result.action == UNCHANGED:
        result.action, result.sources_only = UPDATED, True


def plan_copies(result, items, pk, stored):
    planned = {}
    for number, item in enumerate(items, start=1):
        label = f"{COPIES}[{number}]"
        errors = []
        archive_url = checked_url(
            item.get("archive_url"), f"{label}.archive_url", errors
        )
        url = checked_url(item.get("url"), f"{label}.url", errors)
        service = (item.get("service") or "").strip()
        if not service or len(service) > SERVICE_LENGTH:
            errors.append(
                (
                    f"{label}.service",
                    _("Name the archiving service, in %(limit)s characters at most.")
                    % {"limit": SERVICE_LENGTH},
                )
            )
        captured_at = aware_datetime(item.get("captured_at"))
        if captured_at is None:
            errors.append(
                (
                    f"{label}.captured_at",
                    _(
                        "Enter the date and time with its offset, for example "
                        "2026-12-06T10:15:00+00:00."
                    ),
                )
            )
        result.errors.extend(errors)
        if errors or (pk, archive_url) in stored.copies or archive_url in planned:
            continue
        planned[archive_url] = ArchivedCopy(
            captured_url=url,
            archive_url=archive_url,
            service=service,
            captured_at=captured_at,
        )
    return list(planned.values())


def plan_statuses(result, items, pk, stored, user):
    planned = {}
    for number, item in enumerate(items, start=1):
        label = f"{STATUSES}[{number}]"
        errors = []
        url = checked_url(item.get("url"), f"{label}.url", errors)
        status = (item.get("status") or "").strip().casefold()
        if status not in SourceStatus.values:
            errors.append(
                (
                    f"{label}.status",
                    _("“%(value)s” is not one of: %(allowed)s.")
                    % {"value": status, "allowed": ", ".join(SourceStatus.values)},
                )
            )
        result.errors.extend(errors)
        if errors:
            continue
        current = stored.statuses.get((pk, url))
        if (
            current is not None
            and current.status == status
            and current.set_by == SourceStatusOrigin.DESK
        ):
            continue
        if not can_verify(user):
            result.errors.append(
                (
                    f"{label}.status",
                    _("Only the verification desk can set the status of a source."),
                )
            )
            result.refused = True
            continue
        planned[url] = status
    return list(planned.items())


def checked_url(value, label, errors):
    try:
        return parse_web_url((value or "").strip()).url
    except ValidationError as error:
        errors.extend((label, message) for message in error.messages)
        return ""


def aware_datetime(value):
    try:
        moment = parse_datetime((value or "").strip())
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment
