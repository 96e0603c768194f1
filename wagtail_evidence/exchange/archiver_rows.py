"""Plan the rows of Bellingcat's auto-archiver's sheet as the import plans its own.

Each row (read by auto_archiver.map_row) is about one address. It finds its
record by that address (addresses.AddressIndex): the record whose media
address or one of whose appearances' is the row's link.

- **No record**: the row creates a draft record, titled with the source's own
  title (else the link), the link as its media address (link only where no
  provider can embed it), and one appearance: the link, its platform and the
  upload date as its "online since". The desk's fields keep their defaults
  (unchecked, pending): an archive says where a post was, not what it shows.
- **The record's media address**: the link becomes an appearance of the record
  if none has it (an existing one keeps what editors wrote, except an empty
  "online since", which the upload date fills), and the hash becomes the
  record's SHA-256 if it has none. A different SHA-256 is an error of the row:
  the file the archiver captured is not the file the desk holds.
- **An appearance's address**: only the archived copies are added; the hash of
  a relay is of the relay's file (platforms re-encode) and the appearance is
  the editors' to fill. So a record is changed by one row at most (its media
  address is given once), whatever the batches.
- **Several records**: an error; the row cannot tell which one it archives.

Archived copies are added beside the record (ArchivedCopy), each once: a copy
the record has, or another row of the file adds, is not added again; a row adds
MAX_COPIES_PER_ROW at most. A row that only adds copies makes no revision, but
the lock on a record holds for it as for any other. Addresses the same post (addresses.
address_key) given twice in a file are an error, as media addresses are.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from wagtail_evidence.archives.log_actions import ARCHIVER_HASH_REPLACED
from wagtail_evidence.choices import Display
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.editorial.verification import audited_values
from wagtail_evidence.exchange.addresses import (
    AddressIndex,
    address_key,
    media_and_appearance_keys,
)
from wagtail_evidence.exchange.auto_archiver import ADDRESS_COLUMNS, map_row
from wagtail_evidence.exchange.columns import FIRST_APPEARANCE, KEYS
from wagtail_evidence.exchange.current import records_by_pk
from wagtail_evidence.exchange.records import (
    apply_row,
    blank_appearance,
    serialize,
    validate_record,
)
from wagtail_evidence.exchange.results import (
    CREATED,
    UNCHANGED,
    UPDATED,
    RowResult,
    refuse_if_locked,
)
from wagtail_evidence.exchange.sources_columns import (
    MAX_COPIES_PER_ROW,
    Stored,
    too_many_copies,
)
from wagtail_evidence.media.providers import UnsupportedMediaURL, parse_media_url
from wagtail_evidence.models import ArchivedCopy, Evidence
from wagtail_evidence.models.custody import HASHED_BY_ARCHIVER


SHA256 = "original_file_sha256"
COPIES = "archived_copies"  # what ``changed`` names when a row adds copies


class ArchiverPlanner:
    """Plans an auto-archiver file batch after batch; holds, for the whole
    import, the addresses seen (their line) and the copies planned."""

    def __init__(self, user, lines):
        self.user = user
        self.index = None  # read with the first batch: a file of ours never needs it
        self.lines = lines  # exchange.first_lines.FirstLines: address key -> line
        self.planned_copies = set()  # (record id, archive address)

    def plan_batch(self, batch):
        if self.index is None:
            self.index = AddressIndex()
        columns = Columns(batch[0].values)
        mapped = [map_row(row.values) for row in batch]
        results, keys = [], []
        for row, found in zip(batch, mapped, strict=True):
            result = RowResult(row.line, found.url or columns.link_value(row.values))
            result.errors.extend(row.errors)
            result.errors.extend(found.errors.items())
            key = address_key(found.url) if found.url else ""
            first = self.lines.setdefault(key, row.line) if key else row.line
            if first != row.line:
                result.errors.append(
                    (
                        columns.link,
                        _(
                            "This address is also on line %(line)s. Give each address once."
                        )
                        % {"line": first},
                    )
                )
            results.append(result)
            keys.append(key)
        wanted = {
            pk
            for result, key in zip(results, keys, strict=True)
            if not result.errors
            for pk in self.index.candidates(key)
        }
        records = records_by_pk(wanted) if wanted else {}
        # The addresses of each record as edited, before any row changes it.
        addresses = {
            pk: media_and_appearance_keys(evidence)
            for pk, (evidence, _tags) in records.items()
        }
        stored = Stored(list(records)).copies
        for result, found, key in zip(results, mapped, keys, strict=True):
            if result.errors:
                continue
            matches = sorted(
                pk
                for pk in self.index.candidates(key)
                if pk in addresses
                and (key == addresses[pk][0] or key in addresses[pk][1])
            )
            if len(matches) > 1:
                result.errors.append(
                    (
                        columns.link,
                        _(
                            "%(count)s records have this address, as their media's or an "
                            "appearance's: %(titles)s. The import cannot tell which one "
                            "this archive is of; remove the address from all but one."
                        )
                        % {
                            "count": len(matches),
                            "titles": ", ".join(
                                f"“{records[pk][0].title}”" for pk in matches
                            ),
                        },
                    )
                )
            elif matches:
                pk = matches[0]
                evidence, tags = records[pk]
                of_media = key == addresses[pk][0]
                # Copies name the address as the record has it, as the reader
                # and the Sources page look them up (reader.sources).
                captured_url = (
                    evidence.media_url if of_media else stored_address(evidence, key)
                )
                self.plan_update(result, found, evidence, tags, of_media, columns)
                self.plan_copies(result, found, evidence, captured_url, stored, columns)
            else:
                self.plan_new(result, found, columns)
                self.plan_copies(result, found, None, found.url, stored, columns)
        return results

    # A new record

    def plan_new(self, result, found, columns):
        if not evidence_permission_policy.user_has_permission(self.user, "add"):
            refuse(
                result,
                _(
                    "You may not create evidence records, and no record has this address."
                ),
            )
            return
        evidence = Evidence(media_url=found.url)
        audit_before = audited_values(evidence)
        if not embeddable(found.url):
            evidence.display = Display.LINK_ONLY
        values = {"title": found.title or found.url[:255], **appearance_values(found)}
        errors, tags = apply_row(evidence, values, [])
        errors = errors or validate_record(evidence)
        result.title = evidence.title
        if errors:
            result.errors.extend(columns.label(errors))
            return
        if found.file_sha256:
            evidence.original_file_sha256 = found.file_sha256
            evidence.original_file_hashed_from = HASHED_BY_ARCHIVER
        result.action, result.evidence, result.tags = CREATED, evidence, tags
        result.audit_before = audit_before

    # An existing record

    def plan_update(self, result, found, evidence, tags, of_media, columns):
        result.title = evidence.title
        result.evidence, result.tags = evidence, tags
        if not evidence_permission_policy.user_has_permission(self.user, "change"):
            refuse(result, _("You may not change evidence records."))
            return
        result.action = UNCHANGED
        if not of_media:
            return  # an appearance's archive: its copies only (see the module)
        before = serialize(evidence, tags)
        audit_before = audited_values(evidence)
        errors, _tags = apply_row(evidence, with_appearance(before, found), tags)
        if errors:
            result.errors.extend(columns.label(errors))
            return
        after = serialize(evidence, tags)
        result.changed = [key for key in KEYS if before[key] != after[key]]
        if (
            found.file_sha256
            and evidence.original_file_sha256 != found.file_sha256
            and not replaced_by_the_desk(evidence, found.file_sha256)
        ):
            if evidence.original_file_sha256:
                result.errors.append(
                    (
                        columns.hash,
                        _(
                            "The record's SHA-256 is %(record)s, the archived file's "
                            "%(row)s: they are not the same file. The import never "
                            "replaces a record's hash; compare the files."
                        )
                        % {
                            "record": evidence.original_file_sha256,
                            "row": found.file_sha256,
                        },
                    )
                )
                return
            evidence.original_file_sha256 = found.file_sha256
            evidence.original_file_hashed_from = HASHED_BY_ARCHIVER
            result.changed.append(SHA256)
        if not result.changed:
            return
        errors = validate_record(evidence)
        if errors:
            result.errors.extend(columns.label(errors))
            result.changed = []
            return
        if refuse_if_locked(result, evidence, self.user):
            return
        result.action, result.audit_before = UPDATED, audit_before

    # Archived copies

    def plan_copies(self, result, found, evidence, captured_url, stored, columns):
        """The copies the row adds to ``evidence`` (None: the record it creates)."""
        if result.errors or not result.action:
            return
        pk = evidence.pk if evidence is not None else None
        copies = {}  # archive address -> copy: each once
        for copy in found.copies:
            if (pk, copy.archive_url) in stored or (
                pk,
                copy.archive_url,
            ) in self.planned_copies:
                continue
            if copy.captured_at is None:
                result.errors.append(
                    (
                        columns.date,
                        _(
                            "The row lists archived copies without the date they were "
                            "archived."
                        ),
                    )
                )
                return
            copies.setdefault(
                copy.archive_url,
                ArchivedCopy(
                    captured_url=captured_url,
                    archive_url=copy.archive_url,
                    service=copy.service,
                    captured_at=copy.captured_at,
                ),
            )
        if not copies:
            return
        if len(copies) > MAX_COPIES_PER_ROW:
            result.errors.append((columns.archive, too_many_copies(len(copies))))
            return
        # An appearance's row, or one that only adds copies, skipped the lock
        # check of plan_update: the lock holds for what is beside the record too.
        if pk is not None:
            if refuse_if_locked(result, evidence, self.user):
                return
            self.planned_copies.update((pk, url) for url in copies)
        result.copies = list(copies.values())
        result.changed.append(COPIES)
        if result.action == UNCHANGED:
            result.action, result.sources_only = UPDATED, True


class Columns:
    """The file's own names for the columns errors are reported against."""

    def __init__(self, values):
        names = {str(name).strip().lower(): str(name).strip() for name in values}
        self.link = next(
            (names[key] for key in ADDRESS_COLUMNS if key in names), "link"
        )
        self.title = names.get("upload title", "upload title")
        self.timestamp = names.get("upload timestamp", "upload timestamp")
        self.hash = names.get("hash", "hash")
        self.date = names.get("archive date", "archive date")
        self.archive = names.get("archive location", "archive location")

    def link_value(self, values):
        for name, value in values.items():
            if str(name).strip() == self.link:
                return (value or "").strip()
        return ""

    def label(self, errors):
        """Errors of our columns, named by the auto-archiver's."""
        labelled = []
        for column, message in errors:
            if column == "title":
                column = self.title
            elif "first_seen" in column:
                column = self.timestamp
            else:
                column = self.link  # the address, its platform, the record as a whole
            labelled.append((column, message))
        return labelled


def stored_address(evidence, key):
    """The address of the record's appearance whose key is ``key``, as typed."""
    return next(
        item.url for item in evidence.appearances.all() if address_key(item.url) == key
    )


def refuse(result, message):
    result.errors.append(("", message))
    result.refused = True


def embeddable(url):
    try:
        parse_media_url(url)
    except UnsupportedMediaURL:
        return False
    return True


def appearance_values(found):
    """The first appearance's columns for the row's link."""
    return {
        "platform": found.platform,
        "appearance_url": found.url,
        "first_seen": upload_date(found),
    }


def upload_date(found):
    return found.first_seen.date().isoformat() if found.first_seen else ""


def with_appearance(row, found):
    """The appearance columns of ``row`` (a record serialized), with the link
    added as an appearance if none has it, or its empty "online since" filled."""
    key = address_key(found.url)
    first = {name: row[flat] for flat, name in FIRST_APPEARANCE.items()}
    appearances = [first, *row["more_appearances"]] if any(first.values()) else []
    for appearance in appearances:
        if appearance["url"] and address_key(appearance["url"]) == key:
            if not appearance["first_seen"] and found.first_seen:
                appearance["first_seen"] = upload_date(found)
            break
    else:
        appearances.append(
            blank_appearance()
            | {
                "platform": found.platform,
                "url": found.url,
                "first_seen": upload_date(found),
            }
        )
    first, *more = appearances
    return {flat: first[name] for flat, name in FIRST_APPEARANCE.items()} | {
        "more_appearances": more
    }


def replaced_by_the_desk(evidence, sha256):
    """Whether ``sha256`` is an archiver's hash the desk replaced on this record
    with the hash of a file attached since (admin.custody): a sheet that still
    has it changes nothing, rather than failing the whole import."""
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Evidence),
        object_id=str(evidence.pk),
        action=ARCHIVER_HASH_REPLACED,
        data__archived=sha256,
    ).exists()
