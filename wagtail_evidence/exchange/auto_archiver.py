"""What one row of Bellingcat's auto-archiver output means for a record.

The auto-archiver writes one row per archived address, in the columns its
Google Sheets feeder/database names (``GWorksheet.COLUMN_NAMES``; the CSV
report uses the same words): ``link`` (the address archived), ``archive
status``, ``archive location`` (one address per line: the copies it stored),
``archive date``, ``upload timestamp`` (when the source posted it), ``upload
title``, ``hash`` (``SHA-256:<hex>`` or ``SHA3-512:<hex>``, of the archived
media), ``screenshot``, ``thumbnail`` (a ``=IMAGE("…")`` formula), ``wacz`` and
``replaywebpage``. Headers are matched without regard to case or spaces
around them; a column may be missing, except ``link``.

``map_row`` is a pure function: it reads nothing and writes nothing. It
returns an ``ArchiverRow``: the appearance the row is about, the archived
copies it lists (each with the column it came from), the SHA-256 of the file
where the row gives one, and an error per column that could not be read. The
importer decides what to do with it (docs/how-to/archive-sources.md).
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wagtail_evidence.choices import Platform
from wagtail_evidence.exchange.addresses import stored_web_url
from wagtail_evidence.media.providers import get_providers
from wagtail_evidence.media.weburls import parse_web_url


SERVICE = "auto-archiver"
# Column name in the auto-archiver's output -> what it holds here.
COLUMNS = {
    "link": "url",
    "url": "url",  # the CSV report's own name for it
    "archive status": "status",
    "archive location": "archive",
    "archive date": "date",
    "upload timestamp": "timestamp",
    "upload title": "title",
    "hash": "hash",
    "screenshot": "screenshot",
    "thumbnail": "thumbnail",
    "wacz": "wacz",
    "replaywebpage": "replaywebpage",
}
# The columns that hold the address archived (the sheet's, the CSV report's).
ADDRESS_COLUMNS = ("link", "url")
# Its other columns: what it reads (destination folder) or writes that has no
# place on a record here (the post's text, perceptual hashes of its images).
UNUSED_COLUMNS = ("destination folder", "text content", "perceptual hashes")
# The columns of the auto-archiver's sheet, as a header names them.
HEADER_NAMES = (*COLUMNS, *UNUSED_COLUMNS)
# The columns whose addresses are copies of the source, in this order.
COPY_COLUMNS = ("archive", "screenshot", "thumbnail", "wacz", "replaywebpage")
IMAGE_FORMULA = re.compile(r'^=IMAGE\("([^"]+)"\)$', re.I)
HASH = re.compile(r"^(?P<algorithm>[A-Z0-9-]+):(?P<digest>[0-9a-fA-F]+)$")


@dataclass(frozen=True)
class CopyFound:
    archive_url: str
    column: str  # which column listed it: "archive location", "wacz", …
    captured_at: datetime | None
    service: str = SERVICE


@dataclass
class ArchiverRow:
    url: str = ""  # the appearance's address
    platform: str = ""  # a Platform value, by the address's host
    title: str = ""
    first_seen: datetime | None = None  # the source's own upload time
    archived: bool = False  # whether the archiver says it succeeded
    copies: list = field(default_factory=list)  # CopyFound
    file_sha256: str = ""
    errors: dict = field(default_factory=dict)  # column name -> message

    @property
    def is_valid(self):
        return not self.errors


def normalise_headers(row):
    """{our name: (their column, value)}, headers matched loosely."""
    found = {}
    for header, value in row.items():
        name = COLUMNS.get(str(header or "").strip().lower())
        if name and name not in found:
            found[name] = (str(header).strip(), "" if value is None else str(value))
    return found


def map_row(row):
    """Map one auto-archiver row (a dict of column name -> cell) to an ArchiverRow."""
    cells = normalise_headers(row)
    result = ArchiverRow()

    def error(name, message):
        column = cells.get(name, (name,))[0]
        result.errors[column] = message

    url_column, url = cells.get("url", ("link", ""))
    if not url.strip():
        result.errors[url_column] = _("The address archived is missing.")
    else:
        try:
            result.url = parse_web_url(url.strip()).url
        except ValidationError as invalid:
            result.errors[url_column] = " ".join(invalid.messages)
        else:
            result.platform = platform_of(result.url)

    status = cells.get("status", ("", ""))[1].strip()
    result.archived = archived(status)
    if status and status.lower().startswith("archive failed"):
        error(
            "status",
            _("The auto-archiver says it failed: %(status)s") % {"status": status},
        )

    result.title = cells.get("title", ("", ""))[1].strip()[:255]
    captured_at = read_time(cells, "date", error)
    result.first_seen = read_time(cells, "timestamp", error)

    for name in COPY_COLUMNS:
        column, value = cells.get(name, (name, ""))
        for address in cell_addresses(name, value):
            try:
                safe = stored_web_url(address)
            except ValidationError as invalid:
                error(name, " ".join(invalid.messages))
                continue
            result.copies.append(CopyFound(safe, column, captured_at))

    result.file_sha256 = read_hash(cells.get("hash", ("hash", ""))[1], error)
    return result


def archived(status):
    """The auto-archiver writes "<archiver>: success" (or "[cached] …") when
    it archived the address; "nothing archived" or "Archive failed …" when not."""
    return "success" in status.lower()


def cell_addresses(name, value):
    value = value.strip()
    if not value:
        return []
    if name == "thumbnail":
        formula = IMAGE_FORMULA.match(value)
        return [formula.group(1)] if formula else [value]
    return [line.strip() for line in value.splitlines() if line.strip()]


def read_time(cells, name, error):
    value = cells.get(name, ("", ""))[1].strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "T", 1)) or (
            datetime.fromtimestamp(float(value), tz=UTC)
        )
    except (ValueError, OverflowError, OSError):
        # A Unix time out of the platform's range (1e18) is an OSError.
        moment = None
    if moment is None:
        error(name, _("“%(value)s” is not a date and time.") % {"value": value[:40]})
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_hash(value, error):
    """The SHA-256 in ``SHA-256:<hex>``; other algorithms cannot be matched
    against the original file's and are refused with a reason."""
    value = value.strip()
    if not value or value == "not-calculated":
        return ""
    match = HASH.match(value)
    if match is None:
        error("hash", _("Not an auto-archiver hash (ALGORITHM:hex)."))
        return ""
    algorithm, digest = match["algorithm"].upper(), match["digest"].lower()
    if algorithm not in ("SHA-256", "SHA256"):
        error(
            "hash",
            _(
                "%(algorithm)s cannot be compared with the original file's SHA-256: "
                "set the auto-archiver's hash_enricher to SHA-256."
            )
            % {"algorithm": match["algorithm"]},
        )
        return ""
    if len(digest) != 64:
        error("hash", _("A SHA-256 has 64 hexadecimal digits."))
        return ""
    return digest


def platform_of(url):
    """The appearance's platform, by the address's host; "other" for the rest."""
    host = parse_web_url(url).host
    for provider in get_providers():
        if host in provider.hosts and provider.name in Platform.values:
            return provider.name
    return Platform.OTHER.value
