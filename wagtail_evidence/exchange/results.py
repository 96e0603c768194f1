"""What the import plans for one row of a file, whatever the file's kind."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_evidence.models import Evidence


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


@dataclass
class RowResult:
    line: int
    media_url: str
    title: str = ""
    action: str = ""  # CREATED, UPDATED or UNCHANGED once planned without errors
    changed: list = field(default_factory=list)  # the columns that differ
    errors: list = field(default_factory=list)  # [(column, message)]
    refused: bool = False  # the errors are refusals: the user may not do this
    pk: int = None  # the record's, once it exists
    # What writing needs; dropped once the row's batch is done (see let_go).
    evidence: Evidence = None
    tags: list = None
    audit_before: dict = None
    # What the row adds beside its record (exchange.sources_columns): archived copies
    # (ArchivedCopy, unsaved), source statuses ([(address, status, the
    # status it replaces)]); and
    # whether that is all it changes: the record itself then gets no revision.
    copies: list = None
    statuses: list = None
    sources_only: bool = False

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")

    @property
    def dry_run_label(self):
        return DRY_RUN_LABELS.get(self.action, "")

    def error_lines(self):
        return [
            f"line {self.line}: {column}: {message}"
            if column
            else f"line {self.line}: {message}"
            for column, message in self.errors
        ]

    def let_go(self):
        """Keep the outcome, drop the record, so a kept result stays small."""
        if self.evidence is not None:
            self.pk = self.evidence.pk
        self.evidence = self.tags = self.audit_before = None
        self.copies = self.statuses = None


def refuse_if_locked(result, evidence, user):
    """Refuse ``result`` if ``evidence`` (saved) is locked against ``user``.
    The lock holds for every row that writes to the record: its fields, and
    what is kept beside it (archived copies, source statuses). Return whether
    it was refused."""
    lock = evidence.get_lock() if evidence.pk else None
    if lock is None or not lock.for_user(user):
        return False
    result.errors.append(
        (
            "",
            _("“%(title)s” is locked; it cannot be changed until it is unlocked.")
            % {"title": evidence.title},
        )
    )
    result.refused = True
    return True
