"""Chain of custody: the SHA-256 of a record's original file, and what becomes
of a hash Bellingcat's auto-archiver recorded (exchange.archiver_rows).

A document's hash is taken when it is first attached and never silently
follows a file replaced since (Evidence.original_file_changed says so).

The archiver hashed the file it captured. Its hash stands, file or no file,
until someone who may decides otherwise: a file attached later whose own hash
is another is refused, on every path (the admin's form, a revert, code),
unless the save says to replace it (``Evidence.replace_archiver_hash``, which
the admin offers the verification desk only); the history then keeps both
(admin.custody). A file with the archiver's hash confirms it: detaching that
file later leaves the archiver's hash in place.

``original_file_hashed_from`` says where the hash came from:
- "" no hash;
- "<document id>:<its file hash or name>" the file attached, hashed here;
- "auto-archiver" the archiver's, no file attached;
- "auto-archiver:<document id>:<…>" the archiver's, confirmed by that file.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


HASHED_BY_ARCHIVER = "auto-archiver"
CONFIRMED_PREFIX = HASHED_BY_ARCHIVER + ":"
SOURCE_LENGTH = 80  # Evidence.original_file_hashed_from


def sha256_of(document):
    """The SHA-256 of a document's file, read a megabyte at a time; kept on the
    document object for the file it has, so a save that checks the file and
    then keeps its hash reads it once. Raises OSError if it cannot be read."""
    source = file_source(document)
    memo = getattr(document, "_evidence_sha256", None)
    if memo is not None and memo[0] == source:
        return memo[1]
    digest = hashlib.sha256()
    with document.open_file() as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    document._evidence_sha256 = (source, digest.hexdigest())
    return document._evidence_sha256[1]


def file_source(document):
    return f"{document.pk}:{document.file_hash or document.file.name}"


def archiver_hash(sha256, hashed_from):
    """The archiver's hash if it is the one these two fields hold, else ""."""
    if hashed_from == HASHED_BY_ARCHIVER or hashed_from.startswith(CONFIRMED_PREFIX):
        return sha256
    return ""


def hashed_source(hashed_from):
    """The document source the hash was taken from (or confirmed by), or ""."""
    if hashed_from.startswith(CONFIRMED_PREFIX):
        return hashed_from[len(CONFIRMED_PREFIX) :]
    return "" if hashed_from == HASHED_BY_ARCHIVER else hashed_from


def standing_archiver_hash(evidence):
    """The archiver's hash of the record as it stands (its latest revision, a
    draft included, or its row), or of ``evidence`` itself: a revert starts
    from an older version that may not have it."""
    own = archiver_hash(
        evidence.original_file_sha256, evidence.original_file_hashed_from
    )
    if own or evidence.pk is None:
        return own
    stored = (
        type(evidence)
        .objects.filter(pk=evidence.pk)
        .select_related("latest_revision")
        .first()
    )
    if stored is None:
        return ""
    content = stored.latest_revision.content if stored.latest_revision else {}
    return archiver_hash(
        content.get("original_file_sha256", stored.original_file_sha256),
        content.get("original_file_hashed_from", stored.original_file_hashed_from),
    )


def hashed_already(evidence, document):
    """Whether the record's hash was taken from (or confirmed by) this document."""
    source = hashed_source(evidence.original_file_hashed_from)
    return bool(evidence.original_file_sha256) and source.split(":")[0] == str(
        document.pk
    )


def kept(evidence, document, archived):
    """Whether the hash this version holds stays: taken from (or confirmed by)
    this document, and the archiver's if one stands. A revert to a version
    hashed from another file, made before the archiver's hash, is not kept."""
    return hashed_already(evidence, document) and (
        not archived or evidence.original_file_sha256 == archived
    )


def not_the_archived_file(attached, archived):
    return ValidationError(
        _(
            "This file's SHA-256 is %(file)s; the auto-archiver recorded "
            "%(archived)s for the file it captured, so they are not the same "
            "file. Attach the file the archiver captured. Only the verification "
            "desk may keep this one instead, with “Replace the auto-archiver's "
            "SHA-256 with this file's” under Chain of custody."
        ),
        params={"file": attached, "archived": archived},
        code="not_the_archived_file",
    )


def custody_error(evidence):
    """Why this version cannot be saved with its original file (a file that
    cannot be read, or whose hash is not the archiver's and is not to replace
    it), for the form to show; None if it can."""
    document = evidence.original_file
    if document is None:
        return None
    archived = standing_archiver_hash(evidence)
    if not archived or kept(evidence, document, archived):
        return None
    try:
        attached = sha256_of(document)
    except OSError as error:
        return ValidationError(
            _(
                "The file of this document cannot be read (%(reason)s). Upload it again."
            ),
            params={"reason": error.strerror or error.__class__.__name__},
            code="unreadable_file",
        )
    if attached == archived or getattr(evidence, "replace_archiver_hash", False):
        return None
    return not_the_archived_file(attached, archived)


def refresh_original_file_hash(evidence):
    """Set the record's hash for its original file, as the module says. On a
    path that skipped validation, a file that is not the archiver's raises
    custody_error()'s ValidationError, and one that cannot be read OSError."""
    document = evidence.original_file
    if document is None:
        if archiver_hash(
            evidence.original_file_sha256, evidence.original_file_hashed_from
        ):
            evidence.original_file_hashed_from = HASHED_BY_ARCHIVER
        else:
            evidence.original_file_sha256 = evidence.original_file_hashed_from = ""
        return
    # The record's own hash stays without a query: a save that keeps its file
    # (every publish, every import row) costs nothing more. The record as it
    # stands is asked only when a file is about to be read anyway; a revert to a
    # version hashed from another file is the form's to refuse (custody_error).
    own = archiver_hash(
        evidence.original_file_sha256, evidence.original_file_hashed_from
    )
    replacing = getattr(evidence, "replace_archiver_hash", False)
    if kept(evidence, document, own) and not replacing:
        return
    archived = own or standing_archiver_hash(evidence)
    if kept(evidence, document, archived):
        return
    digest = sha256_of(document)
    if archived and digest == archived:
        evidence.original_file_sha256 = archived
        evidence.original_file_hashed_from = (CONFIRMED_PREFIX + file_source(document))[
            :SOURCE_LENGTH
        ]
        return
    if archived:
        if not replacing:
            raise not_the_archived_file(digest, archived)
        evidence._archiver_hash_replaced = (archived, digest)  # admin.custody logs it
    evidence.original_file_sha256 = digest
    evidence.original_file_hashed_from = file_source(document)


def original_file_changed(evidence):
    """True when the attached document's file was replaced after it was hashed."""
    document = evidence.original_file
    source = hashed_source(evidence.original_file_hashed_from)
    if document is None or not source:
        return False
    expected = file_source(document)
    if evidence.original_file_hashed_from.startswith(CONFIRMED_PREFIX):
        expected = (CONFIRMED_PREFIX + expected)[:SOURCE_LENGTH][
            len(CONFIRMED_PREFIX) :
        ]
    return source != expected
