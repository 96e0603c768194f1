"""Import Evidence records from a file, all or nothing.

The import plans each row: it reads the rows, matches each to a record by its
media address, applies it in memory, validates it as the admin does and notes
what would change. A dry run stops there. Otherwise the rows are planned and
written in one pass, in one transaction, as the admin would write them: a new
revision per record it creates or changes (a draft; a publication only when
asked, by someone who may publish evidence), with the same log entries. The
first row with an error stops the writing (the rest of the file is still
planned, so that every error is reported) and the transaction is undone: all
or nothing. A row that changes nothing writes nothing, so importing a file
twice changes nothing the second time. Each batch is written together
(exchange.writer): rows, children, tags, revisions and log entries in bulk,
the search index and references once per batch.

Memory does not grow with the file: rows are read and planned in batches of
BATCH_SIZE and collected once written, the line each address was first given on
is kept on disk (exchange.first_lines), and the report keeps counts, a running
hash of the plan, the first ``list_rows`` outcomes and the first MAX_PROBLEMS
rows with errors. A confirmation of a preview carries the
preview's fingerprint: a plan that differs from it (the records changed
meanwhile) is undone and reported as stale.

What is kept beside a record (its archived copies, the desk's source statuses:
exchange.sources_columns) is planned with its row and written after the batch's records,
never in a revision. A CSV file with the auto-archiver's header is planned by
exchange.archiver_rows, under the same guarantees.

Editorial rules: only the verification desk (``can_verify``) may change a facet
status, the verdict, a verification credit or a source status; rows that would
are refused.
Creating needs ``add_evidence``, changing ``change_evidence``, publishing
``publish_evidence``; a record locked against the user is refused.
"""

import gc
import hashlib
import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogContext

from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.editorial.verification import (
    VERIFICATION_FIELDS,
    audited_values,
    can_verify,
    verification_credits,
)
from wagtail_evidence.exchange import codecs
from wagtail_evidence.exchange.archiver_rows import ArchiverPlanner
from wagtail_evidence.exchange.columns import KEY, KEYS, SOURCES_KEYS
from wagtail_evidence.exchange.current import current_records, drafted_addresses
from wagtail_evidence.exchange.first_lines import FirstLines, WorkingSpaceError
from wagtail_evidence.exchange.records import apply_row, serialize, validate_record
from wagtail_evidence.exchange.results import (
    CREATED,
    UNCHANGED,
    UPDATED,
    RowResult,
    refuse_if_locked,
)
from wagtail_evidence.exchange.sources_columns import Stored, plan_sources
from wagtail_evidence.exchange.sources_writer import write_sources
from wagtail_evidence.exchange.writer import write_batch
from wagtail_evidence.models import Evidence


BATCH_SIZE = 500  # rows planned (and held) at once: one round of queries each
MAX_PROBLEMS = 100  # rows with errors a report lists; the others are counted
LISTED_ROWS = 2000  # outcomes a report lists by default (the admin's table)


@dataclass
class ImportReport:
    list_rows: int = LISTED_ROWS  # how many outcomes ``rows`` keeps
    rows: list = field(default_factory=list)  # the first list_rows outcomes
    problems: list = field(
        default_factory=list
    )  # the first MAX_PROBLEMS rows with errors
    total: int = 0
    bad_count: int = 0
    counts: Counter = field(default_factory=Counter)  # rows without errors, by action
    file_errors: list = field(default_factory=list)  # [(line, message)]
    dry_run: bool = False
    written: bool = False
    stale: bool = False  # the plan is not the one the user confirmed: nothing written
    published: int = 0
    failure: str = ""  # why writing a valid plan failed (and was undone)
    digest: object = field(default_factory=hashlib.sha256, repr=False)

    def add(self, result):
        self.total += 1
        if result.errors:
            self.bad_count += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(result)
        else:
            self.counts[result.action] += 1
        if len(self.rows) < self.list_rows:
            self.rows.append(result)
        self.digest.update(plan_of(result).encode())

    @property
    def ok(self):
        return not self.file_errors and not self.failure and not self.bad_count

    def count(self, action):
        return self.counts[action]

    @property
    def bad_rows(self):
        """The first MAX_PROBLEMS rows with errors (bad_count counts them all)."""
        return self.problems

    @property
    def unlisted(self):
        return self.total - len(self.rows)

    def error_lines(self):
        lines = [f"line {line}: {message}" for line, message in self.file_errors]
        for row in self.problems:
            lines.extend(row.error_lines())
        more = self.bad_count - len(self.problems)
        if more:
            lines.append(
                ngettext(
                    "… and %(count)s more row with errors.",
                    "… and %(count)s more rows with errors.",
                    more,
                )
                % {"count": more}
            )
        if self.failure:
            lines.append(self.failure)
        return lines

    def fingerprint(self):
        """What the plan would do, to tell whether a confirmation still matches it."""
        return self.digest.hexdigest()


def plan_of(result):
    """What a row's plan would write, as text for the report's fingerprint: its
    action, the columns it changes, and what it adds beside the record with
    the status each status replaces (a status the desk set since a preview
    makes the preview stale, as a changed field does)."""
    parts = [f"{result.line}:{result.action}:{','.join(result.changed)}"]
    parts.extend(
        f"copy:{copy.captured_url} {copy.archive_url} {copy.service} "
        f"{copy.captured_at.isoformat()}"
        for copy in result.copies or ()
    )
    parts.extend(
        f"status:{url} {status} replacing {replaced or '-'}"
        for url, status, replaced in result.statuses or ()
    )
    return "\n".join(parts) + "\n"


def require_import_permission(user, publish=False):
    """Raise PermissionDenied unless ``user`` may import (and publish, if asked)."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("Imports are made by an active user."))
    if not evidence_permission_policy.user_has_any_permission(user, {"add", "change"}):
        raise PermissionDenied(_("You may not create or change evidence records."))
    if publish and not evidence_permission_policy.user_has_permission(user, "publish"):
        raise PermissionDenied(_("You may not publish evidence records."))


def import_evidence(
    content,
    file_format,
    user,
    *,
    dry_run=False,
    publish=False,
    source="",
    expected_fingerprint=None,
    list_rows=LISTED_ROWS,
    on_row=None,
):
    """Plan the import of ``content`` (bytes, text or a binary file) and, unless
    ``dry_run`` or a row has an error, write it. Returns an ImportReport.

    ``expected_fingerprint``: write only if the plan is still the one a preview
    showed (else the report is ``stale`` and nothing is written). ``on_row`` is
    called with each row without errors once it is planned (dry run) or written
    (whose rows are undone if the import fails later).
    """
    require_import_permission(user, publish)
    if dry_run:
        report = plan(content, file_format, user, list_rows=list_rows, on_row=on_row)
        report.dry_run = True
        return report
    return write(
        content,
        file_format,
        user,
        publish=publish,
        source=source,
        expected_fingerprint=expected_fingerprint,
        list_rows=list_rows,
        on_row=on_row,
    )


def planned_batches(content, file_format, user):
    """Lists of RowResults, BATCH_SIZE rows at a time, each planned; raises
    codecs.FileError. Only the current batch's rows and records are held."""
    lines = FirstLines()  # each record is given once, over the whole file
    try:
        for results in plan_batches(content, file_format, user, lines):
            yield results
            # The batch is done with. Its records, their children and revisions
            # refer to one another; left to the collector's own pace, several
            # batches of them wait at once and the peak grows with the file.
            del results
            gc.collect()
    finally:
        lines.close()


def plan_batches(content, file_format, user, lines):
    drafted = drafted_addresses()
    rows = codecs.read(content, file_format)
    archiver = None  # an auto-archiver file's rows are planned by their own rules
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        if batch[0].auto_archiver:
            archiver = archiver or ArchiverPlanner(user, lines)
            yield archiver.plan_batch(batch)
            continue
        results = [check_address(row, lines) for row in batch]
        existing = {}
        wanted = [result.media_url for result in results if not result.errors]
        for obj, tags in current_records(wanted, drafted) if wanted else ():
            existing.setdefault(obj.media_url, []).append((obj, tags))
        for row, result in zip(batch, results, strict=True):
            if not result.errors:
                plan_row(result, row.values, existing.get(result.media_url, []), user)
        if any(key in row.values for row in batch for key in SOURCES_KEYS):
            stored = Stored(
                [obj.pk for found in existing.values() for obj, _tags in found]
            )
            for row, result in zip(batch, results, strict=True):
                if result.action and not result.errors:
                    plan_sources(result, row.values, stored, user)
        del batch, existing, row  # let the batch go before the next one is read
        yield results


def check_address(row, lines):
    value = row.values.get(KEY)
    address = value.strip() if isinstance(value, str) else ""
    result = RowResult(row.line, address, errors=list(row.errors))
    if not address and not (
        (row.errors and not row.values)  # a record that is no object says so
        or any(column == KEY for column, _message in row.errors)  # and a bad address
    ):
        result.errors.append(
            (
                KEY,
                _(
                    "Every record needs its media address: it is how records are matched."
                ),
            )
        )
    elif (first := lines.setdefault(address, row.line)) != row.line:
        result.errors.append(
            (
                KEY,
                _("This address is also on line %(line)s. Give each record once.")
                % {"line": first},
            )
        )
    return result


def plan(content, file_format, user, *, list_rows=LISTED_ROWS, on_row=None):
    report = ImportReport(list_rows=list_rows)
    try:
        for results in planned_batches(content, file_format, user):
            for result in results:
                report.add(result)
                if on_row is not None and not result.errors:
                    on_row(result)
                result.let_go()
            results.clear()  # what the report keeps, it holds itself
    except codecs.FileError as error:
        return ImportReport(list_rows=list_rows, file_errors=error.errors)
    except WorkingSpaceError as error:
        return ImportReport(list_rows=list_rows, failure=str(error))
    return report


def plan_row(result, values, matches, user):
    if len(matches) > 1:
        result.errors.append(
            (
                KEY,
                _(
                    "%(count)s records have this address, so the import cannot tell which to "
                    "update. Change the address of all but one in the admin."
                )
                % {"count": len(matches)},
            )
        )
        return
    if matches:
        evidence, tags_before = matches[0]
        if not evidence_permission_policy.user_has_permission(user, "change"):
            refuse(result, "", _("You may not change evidence records."))
            return
    else:
        evidence, tags_before = Evidence(media_url=result.media_url), []
        if not evidence_permission_policy.user_has_permission(user, "add"):
            refuse(
                result,
                "",
                _(
                    "You may not create evidence records, and no record has this address."
                ),
            )
            return
    before = serialize(evidence, tags_before)
    result.audit_before = audited_values(evidence)
    credits_before = verification_credits(evidence.credits.all())
    errors, tags = apply_row(evidence, values, tags_before)
    result.title = evidence.title
    if errors:
        result.errors.extend(errors)
        return
    after = serialize(evidence, tags)
    result.changed = [key for key in KEYS if before[key] != after[key]]
    result.action = (
        UPDATED if matches and result.changed else UNCHANGED if matches else CREATED
    )
    result.evidence, result.tags = evidence, tags
    if result.action == UNCHANGED:
        return  # nothing to write, so nothing to check beyond the values
    errors = validate_record(evidence)
    if errors:
        result.errors.extend(errors)
        result.changed, result.action = [], ""
        return
    if not can_verify(user):
        for name in VERIFICATION_FIELDS:
            if result.audit_before[name] != getattr(evidence, name):
                refuse(
                    result,
                    name,
                    _(
                        "Only the verification desk can change facet statuses and the verdict "
                        "(here from “%(before)s” to “%(after)s”)."
                    )
                    % {
                        "before": result.audit_before[name],
                        "after": getattr(evidence, name),
                    },
                )
        if result.audit_before["withhold_coordinates"] != evidence.withhold_coordinates:
            refuse(
                result,
                "withhold_coordinates",
                _(
                    "Only the verification desk can withhold or release the coordinates."
                ),
            )
        if credits_before != verification_credits(evidence.credits.all()):
            refuse(
                result,
                "credits",
                _(
                    "Only the verification desk can add, change or remove a credit whose role is Verification."
                ),
            )
    refuse_if_locked(result, evidence, user)


def refuse(result, column, message):
    result.errors.append((column, message))
    result.refused = True


class Undo(Exception):
    """Leave the transaction without writing anything: the report says why."""


def write(
    content,
    file_format,
    user,
    *,
    publish=False,
    source="",
    expected_fingerprint=None,
    list_rows=LISTED_ROWS,
    on_row=None,
):
    """Plan ``content`` and write it, batch after batch, in one transaction;
    undo it all if a row has an error, writing fails, or the plan is not the
    one ``expected_fingerprint`` describes. Returns the report."""
    reason = (
        _("Imported from %(source)s.") % {"source": source}
        if source
        else _("Imported from a file.")
    )
    report = ImportReport(list_rows=list_rows)
    try:
        with transaction.atomic(), LogContext(user=user):
            for results in planned_batches(content, file_format, user):
                for result in results:
                    report.add(result)
                if report.ok:  # once a row has an error, only plan the rest
                    report.published += write_batch(
                        [result for result in results if not result.sources_only],
                        user,
                        reason,
                        publish,
                    )
                    write_sources(results, user)
                    for result in results:
                        if on_row is not None:
                            on_row(result)
                for result in results:
                    result.let_go()
                results.clear()
            if not report.ok:
                raise Undo
            if (
                expected_fingerprint is not None
                and report.fingerprint() != expected_fingerprint
            ):
                report.stale = True
                raise Undo
    except Undo:
        pass
    except codecs.FileError as error:
        report = ImportReport(list_rows=list_rows, file_errors=error.errors)
    except (
        ValidationError,
        PermissionDenied,
        DatabaseError,
        WorkingSpaceError,
    ) as error:
        report.failure = "; ".join(getattr(error, "messages", None) or [str(error)])
    else:
        report.written = True
        return report
    report.published = 0
    for result in report.rows:
        if result.action == CREATED:
            result.pk = None  # its record was undone
    return report
