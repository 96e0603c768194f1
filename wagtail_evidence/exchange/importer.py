"""Import Evidence records from a file, all or nothing.

The import plans first: it reads every row, matches it to a record by its media
address, applies it in memory, validates it as the admin does and notes what
would change. It writes only when no row has an error, in one transaction, as
the admin would: a new revision per record it creates or changes (a draft; a
publication only when asked, by someone who may publish evidence), with the
same log entries. A row that changes nothing writes nothing, so importing a
file twice changes nothing the second time.

Editorial rules: only the verification desk (``can_verify``) may change a facet
status, the verdict or a verification credit; rows that would are refused.
Creating needs ``add_evidence``, changing ``change_evidence``, publishing
``publish_evidence``; a record locked against the user is refused.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogContext, log

from wagtail_evidence.exchange import codecs
from wagtail_evidence.exchange.columns import KEY, KEYS
from wagtail_evidence.exchange.current import current_records
from wagtail_evidence.exchange.records import apply_row, serialize
from wagtail_evidence.models import Evidence
from wagtail_evidence.verification import (
    VERIFICATION_FIELDS,
    audited_values,
    can_verify,
    changes_between,
    log_changes,
    verification_credits,
)


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
ACTION_LABELS = {
    CREATED: gettext_lazy("created"),
    UPDATED: gettext_lazy("updated"),
    UNCHANGED: gettext_lazy("unchanged"),
}
DRY_RUN_LABELS = {
    CREATED: gettext_lazy("would be created"),
    UPDATED: gettext_lazy("would be updated"),
    UNCHANGED: gettext_lazy("unchanged"),
}


def perm(name):
    return f"wagtail_evidence.{name}_evidence"


@dataclass
class RowResult:
    line: int
    media_url: str
    title: str = ""
    action: str = ""  # CREATED, UPDATED or UNCHANGED once planned without errors
    changed: list = field(default_factory=list)  # the columns that differ
    errors: list = field(default_factory=list)  # [(column, message)]
    refused: bool = False  # the errors are refusals: the user may not do this
    evidence: Evidence = None
    tags: list = None
    audit_before: dict = None

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")

    @property
    def dry_run_label(self):
        return DRY_RUN_LABELS.get(self.action, "")

    def error_lines(self):
        return [
            f"line {self.line}: {column}: {message}" if column else f"line {self.line}: {message}"
            for column, message in self.errors
        ]


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)  # [(line, message)]
    dry_run: bool = False
    written: bool = False
    published: int = 0
    failure: str = ""  # why writing a valid plan failed (and was undone)

    @property
    def ok(self):
        return not self.file_errors and not self.failure and not any(row.errors for row in self.rows)

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    def error_lines(self):
        lines = [f"line {line}: {message}" for line, message in self.file_errors]
        for row in self.bad_rows:
            lines.extend(row.error_lines())
        if self.failure:
            lines.append(self.failure)
        return lines

    def fingerprint(self):
        """What the plan would do, to tell whether a confirmation still matches it."""
        return "|".join(f"{row.line}:{row.action}:{','.join(row.changed)}" for row in self.rows)


def check_user(user, publish=False):
    """Raise PermissionDenied unless ``user`` may import (and publish, if asked)."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("Imports are made by an active user."))
    if not (user.has_perm(perm("add")) or user.has_perm(perm("change"))):
        raise PermissionDenied(_("You may not create or change evidence records."))
    if publish and not user.has_perm(perm("publish")):
        raise PermissionDenied(_("You may not publish evidence records."))


def import_evidence(content, file_format, user, *, dry_run=False, publish=False, source=""):
    """Plan the import of ``content`` (bytes or text) and, unless ``dry_run`` or a
    row has an error, write it. Returns an ImportReport."""
    check_user(user, publish)
    report = plan(content, file_format, user)
    report.dry_run = dry_run
    if report.ok and not dry_run:
        write(report, user, publish=publish, source=source)
    return report


def plan(content, file_format, user):
    report = ImportReport()
    try:
        rows = codecs.read(content, file_format)
    except codecs.FileError as error:
        report.file_errors = error.errors
        return report
    keys = {}
    for row in rows:
        value = row.values.get(KEY)
        address = value.strip() if isinstance(value, str) else ""
        result = RowResult(row.line, address, errors=list(row.errors))
        report.rows.append(result)
        if not address and not (row.errors and not row.values):  # a record that is no object says so already
            result.errors.append((KEY, _("Every record needs its media address: it is how records are matched.")))
        elif address in keys:
            result.errors.append((KEY, _("This address is also on line %(line)s. Give each record once.") % {"line": keys[address]}))
        else:
            keys[address] = row.line
    existing = {}
    for obj, tags in current_records(keys):
        existing.setdefault(obj.media_url, []).append((obj, tags))
    for row, result in zip(rows, report.rows, strict=True):
        if not result.errors:
            plan_row(result, row.values, existing.get(result.media_url, []), user)
    return report


def plan_row(result, values, matches, user):
    if len(matches) > 1:
        result.errors.append((KEY, _(
            "%(count)s records have this address, so the import cannot tell which to "
            "update. Change the address of all but one in the admin."
        ) % {"count": len(matches)}))
        return
    if matches:
        evidence, tags_before = matches[0]
        if not user.has_perm(perm("change")):
            refuse(result, "", _("You may not change evidence records."))
            return
    else:
        evidence, tags_before = Evidence(media_url=result.media_url), []
        if not user.has_perm(perm("add")):
            refuse(result, "", _("You may not create evidence records, and no record has this address."))
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
    result.action = UPDATED if matches and result.changed else UNCHANGED if matches else CREATED
    result.evidence, result.tags = evidence, tags
    if result.action == UNCHANGED:
        return
    if not can_verify(user):
        for name in VERIFICATION_FIELDS:
            if result.audit_before[name] != getattr(evidence, name):
                refuse(result, name, _(
                    "Only the verification desk can change facet statuses and the verdict "
                    "(here from “%(before)s” to “%(after)s”)."
                ) % {"before": result.audit_before[name], "after": getattr(evidence, name)})
        if credits_before != verification_credits(evidence.credits.all()):
            refuse(result, "credits", _(
                "Only the verification desk can add, change or remove a credit whose role is Verification."
            ))
    lock = evidence.get_lock() if matches else None
    if lock is not None and lock.for_user(user):
        refuse(result, "", _("“%(title)s” is locked; it cannot be changed until it is unlocked.") % {"title": evidence.title})


def refuse(result, column, message):
    result.errors.append((column, message))
    result.refused = True


def write(report, user, *, publish=False, source=""):
    """Write a planned report in one transaction; on failure nothing is written
    and the reason becomes a file error."""
    reason = _("Imported from %(source)s.") % {"source": source} if source else _("Imported from a file.")
    try:
        with transaction.atomic(), LogContext(user=user):
            for result in report.rows:
                if result.action in (CREATED, UPDATED):
                    write_row(result, user, reason, publish)
                    if publish:
                        report.published += 1
    except (ValidationError, PermissionDenied, DatabaseError) as error:
        report.published = 0
        report.failure = "; ".join(getattr(error, "messages", None) or [str(error)])
        return
    report.written = True


def write_row(result, user, reason, publish):
    evidence = result.evidence
    if "tags" in result.changed:
        evidence.tags.set(result.tags)
    if result.action == CREATED:
        evidence.live = False  # made live by publishing its revision, as in the admin
        evidence.save()
    elif not evidence.live:
        evidence.save()  # a draft's row is its working copy; a live row waits for publication
    revision = evidence.save_revision(user=user, clean=False)
    action = "wagtail.create" if result.action == CREATED else "wagtail.edit"
    log(evidence, action, user=user, revision=revision, content_changed=True)
    log_changes(evidence, changes_between(result.audit_before, audited_values(evidence)), user=user, reason=reason)
    if publish:
        revision.publish(user=user)
