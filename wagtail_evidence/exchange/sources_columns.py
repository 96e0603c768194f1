"""The file's columns for what is kept beside a record: its archived copies
and the desk's status of its sources (models.archives).

They are not part of the record's revisions, so they are read and planned
apart from it, in bulk, a batch of records at a time. The export writes each
record's archived copies and the statuses the desk set (a status a check
found is the check's to find again), of the addresses the record has. An import only adds: a copy is known by
its archived address (one the record has is left as it is), a status is set
for its address; a copy or status the file leaves out is kept. Both must be
about one of the record's own addresses (its media's or an appearance's, typed
in any form: they are stored as the record has it), as on the Sources page; a
row adds MAX_COPIES_PER_ROW copies at most, and none to a record locked
against the user. Only the verification desk may set a status, as in the
admin.

Content Credentials and near-duplicate flags are not in the file: they are
read from the files themselves, which do not travel in a spreadsheet.
"""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wagtail_evidence.choices import SourceStatus, SourceStatusOrigin
from wagtail_evidence.editorial.verification import can_verify
from wagtail_evidence.exchange.addresses import (
    address_key,
    source_addresses,
    stored_web_url,
)
from wagtail_evidence.exchange.current import CHUNK
from wagtail_evidence.exchange.results import UNCHANGED, UPDATED, refuse_if_locked
from wagtail_evidence.models import ArchivedCopy, SourceCheck


COPIES, STATUSES = "archived_copies", "source_statuses"
SERVICE_LENGTH = 100  # ArchivedCopy.service
# Archived copies one row may add: a cell of the largest size a file may hold
# could otherwise list thousands.
MAX_COPIES_PER_ROW = 50


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


def sources_columns(addresses):
    """{record id: {column key: items}} for the export. ``addresses``: {record
    id: the addresses of its row, as stored}. Only their copies and statuses
    are written, found as the Sources page and readers find them: those of an
    address the record no longer has are kept in the database, but nothing
    shows them and an import would refuse them."""
    copies, statuses = copies_of(addresses), statuses_of(addresses)
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
                if copy.captured_url in addresses[pk]
            ],
            STATUSES: [
                {"url": check.url, "status": check.status}
                for check in statuses.get(pk, [])
                if check.set_by == SourceStatusOrigin.DESK
                and check.url in addresses[pk]
            ],
        }
        for pk in addresses
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
    evidence = result.evidence
    pk = evidence.pk
    addresses = source_addresses(evidence)
    copies = plan_copies(result, values.get(COPIES) or [], pk, addresses, stored)
    statuses = plan_statuses(
        result, values.get(STATUSES) or [], pk, addresses, stored, user
    )
    if not result.errors and (copies or statuses):
        refuse_if_locked(result, evidence, user)
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


def plan_copies(result, items, pk, addresses, stored):
    """The copies the row adds, each under the record's own form of the
    address it captured (``addresses``: addresses.source_addresses)."""
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
        # A copy the record has changes nothing, whatever its row says of it.
        new = not errors and (pk, archive_url) not in stored.copies
        captured_url = addresses.get(address_key(url)) if url else None
        if new and captured_url is None:
            errors.append((f"{label}.url", not_a_source()))
        result.errors.extend(errors)
        if errors or not new or archive_url in planned:
            continue
        planned[archive_url] = ArchivedCopy(
            captured_url=captured_url,
            archive_url=archive_url,
            service=service,
            captured_at=captured_at,
        )
    if len(planned) > MAX_COPIES_PER_ROW:
        result.errors.append((COPIES, too_many_copies(len(planned))))
        return []
    return list(planned.values())


def plan_statuses(result, items, pk, addresses, stored, user):
    """[(address, status, the status it replaces)] the row sets: the one it
    replaces is part of the plan, so that a preview confirmed after the desk
    changed it is stale (importer.ImportReport.fingerprint)."""
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
        # The record's own form of the address; else one whose status is set
        # already, which the Sources page lets the desk change too
        # (archives.tasks.desk_source_check).
        url = addresses.get(address_key(url), url)
        current = stored.statuses.get((pk, url))
        if current is None and url not in addresses.values():
            result.errors.append((f"{label}.url", not_a_source()))
            continue
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
        before = f"{current.set_by}:{current.status}" if current is not None else ""
        planned[url] = (status, before)
    return [(url, status, before) for url, (status, before) in planned.items()]


def not_a_source():
    return _(
        "This address is neither the record's media nor one of its appearances; "
        "copies and statuses are kept for the record's own sources only."
    )


def too_many_copies(count):
    return _(
        "A row adds %(limit)s archived copies at most; this one would add "
        "%(count)s. Split them over several files."
    ) % {"limit": MAX_COPIES_PER_ROW, "count": count}


def checked_url(value, label, errors):
    try:
        return stored_web_url((value or "").strip())
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
