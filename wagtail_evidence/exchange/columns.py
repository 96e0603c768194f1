"""The shape of an import or export file: its columns (CSV) or keys (JSON).

One row is one Evidence record. The media address is the key the import matches
records on. The first appearance has columns of its own, as a desk's spreadsheet
has; further appearances and the credits hold one item per line, fields
separated by `` | `` (see codecs). Every column is optional except ``media_url``:
on an update, a column the file leaves out leaves that field as it is.
"""

from dataclasses import dataclass

from wagtail_evidence.choices import (
    AuthenticityCategory,
    CreditRole,
    DatePrecision,
    Display,
    FacetStatus,
    LocationPrecision,
    Platform,
    Verdict,
    WarningCategory,
    WarningLevel,
)


# A yes_no cell: CSV has these words; JSON has true and false.
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Column:
    key: str
    kind: str  # text, url, choice, date, decimal, yes_no, urls, choices, appearances, credits, tags
    choices: type | None = None
    default: str = ""  # what an empty cell means, for choices
    date: str = ""  # for a precision: the date it qualifies


def text(key):
    return Column(key, "text")


def choice(key, choices, default):
    return Column(key, "choice", choices, str(default))


def precision(key, date, default=DatePrecision.EXACT):
    return Column(key, "choice", DatePrecision, str(default), date=date)


# The first appearance's columns: file key -> Appearance field.
FIRST_APPEARANCE = {
    "platform": "platform",
    "account": "account",
    "appearance_url": "url",
    "first_seen": "first_seen",
    "first_seen_precision": "first_seen_precision",
    "archive_urls": "archive_urls",
    "appearance_note": "note",
}

# Fields of one appearance or credit, in the order of a `` | ``-separated line.
APPEARANCE_FIELDS = {
    "platform": choice("platform", Platform, Platform.OTHER),
    "account": text("account"),
    "url": Column("url", "url"),
    "first_seen": Column("first_seen", "date"),
    "first_seen_precision": precision("first_seen_precision", "first_seen"),
    "archive_urls": Column("archive_urls", "urls"),
    "note": text("note"),
}
CREDIT_FIELDS = {
    "name": text("name"),
    "role": Column("role", "choice", CreditRole),  # no default: a credit needs a role
    "organisation": text("organisation"),
    "url": Column("url", "url"),
}

# What the file holds beside the record (models.archives), never in its
# revisions: the archived copies, the desk's status of each source.
COPY_FIELDS = {
    "archive_url": Column("archive_url", "url"),
    "url": Column("url", "url"),  # the address captured
    "service": text("service"),
    "captured_at": text("captured_at"),  # ISO 8601, with its offset
}
STATUS_FIELDS = {
    "url": Column("url", "url"),
    "status": text("status"),
}

COLUMNS = [
    Column("media_url", "url"),
    text("title"),
    choice("display", Display, Display.EMBED_AFTER_CONSENT),
    text("description"),
    # the first appearance
    choice("platform", Platform, Platform.OTHER),
    text("account"),
    Column("appearance_url", "url"),
    Column("first_seen", "date"),
    precision("first_seen_precision", "first_seen"),
    Column("archive_urls", "urls"),
    text("appearance_note"),
    Column("more_appearances", "appearances"),
    # where
    text("place"),
    text("region"),
    text("country"),
    Column("latitude", "decimal"),
    Column("longitude", "decimal"),
    choice("location_precision", LocationPrecision, LocationPrecision.LOCALITY),
    Column("withhold_coordinates", "yes_no"),
    choice("location_status", FacetStatus, FacetStatus.UNCHECKED),
    text("location_method"),
    # when
    Column("filmed_on", "date"),
    precision("filmed_on_precision", "filmed_on"),
    choice("date_status", FacetStatus, FacetStatus.UNCHECKED),
    text("date_method"),
    # who
    text("identified"),
    choice("identity_status", FacetStatus, FacetStatus.UNCHECKED),
    text("identity_method"),
    # authenticity
    choice(
        "authenticity_category", AuthenticityCategory, AuthenticityCategory.UNASSESSED
    ),
    choice("authenticity_status", FacetStatus, FacetStatus.UNCHECKED),
    text("authenticity_method"),
    # the desk's verdict
    choice("verdict", Verdict, Verdict.PENDING),
    text("verdict_note"),
    # content warning
    choice("warning_level", WarningLevel, WarningLevel.NONE),
    Column("warning_categories", "choices", WarningCategory),
    # people and labels
    Column("credits", "credits"),
    Column("tags", "tags"),
    # beside the record
    Column("archived_copies", "copies"),
    Column("source_statuses", "statuses"),
]

SOURCES_KINDS = ("copies", "statuses")
# Columns of items, one a line: their fields by column kind (see codecs).
ITEM_FIELDS = {
    "appearances": APPEARANCE_FIELDS,
    "credits": CREDIT_FIELDS,
    "copies": COPY_FIELDS,
    "statuses": STATUS_FIELDS,
}
SOURCES_KEYS = [column.key for column in COLUMNS if column.kind in SOURCES_KINDS]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
KEYS = [column.key for column in COLUMNS]
KEY = "media_url"
# Columns that are Evidence fields of the same name.
RECORD_FIELDS = [
    column.key
    for column in COLUMNS
    if column.key not in FIRST_APPEARANCE
    and column.kind not in ("appearances", "credits", "tags", *SOURCES_KINDS)
]
APPEARANCE_COLUMNS = [*FIRST_APPEARANCE, "more_appearances"]
LIST_KINDS = ("urls", "choices", "tags")
