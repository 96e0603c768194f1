"""Rows to and from CSV and JSON.

CSV cells hold text. Lists are written so a spreadsheet shows them plainly:
archived copies one address per line (space-separated inside an appearance),
tags and warning categories separated by commas (a name with a comma in
"double quotes"), and appearances and credits one per line, their fields
separated by `` | `` (a literal ``|`` written ``\\|``, a backslash ``\\\\``, a line
break ``\\n``). A cell that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe, as spreadsheets themselves do; the import removes it.
``escape_formula`` is the one escaping of every export, the register's included.

Files are read lazily, one row at a time, so that the importer can plan them in
batches without holding them all: a file is decoded as it is read, a CSV file
line by line and a JSON file a chunk at a time, a record decoded as soon as the
chunks hold it whole, so an import holds none of the file whole.

JSON has the same keys, with real lists and objects, and coordinates as numbers.
"""

import codecs as stdlib_codecs
import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_evidence.exchange.auto_archiver import (
    ADDRESS_COLUMNS as ARCHIVER_ADDRESS_COLUMNS,
)
from wagtail_evidence.exchange.auto_archiver import HEADER_NAMES as ARCHIVER_HEADERS
from wagtail_evidence.exchange.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    ITEM_FIELDS,
    KEY,
    KEYS,
    LIST_KINDS,
    NO,
    YES,
)


FORMATS = ("csv", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
BOM = "\ufeff"
CHUNK_SIZE = 64 * 1024  # bytes (or characters) read at a time
RECORD_LIMIT = 1024 * 1024  # characters a JSON record may have
# Half of a UTF-16 pair, which JSON's \u escapes can write alone: no database
# or terminal can store or print it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class SourceRow:
    line: int
    values: dict  # column key -> value; an auto-archiver row's: header -> cell
    errors: list = field(default_factory=list)  # [(column, message)]
    auto_archiver: bool = False  # a row of Bellingcat's auto-archiver's sheet


class FileError(Exception):
    """The file cannot be read at all; ``errors`` is [(line, message)]."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def guess_format(name):
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


NOT_UTF8 = gettext_lazy(
    "The file is not UTF-8 text. Save it as “CSV UTF-8” or as UTF-8 JSON."
)


def read(content, file_format):
    """SourceRows from the file, one at a time; iterating raises FileError
    (possibly after some rows: a file is only known good once read).

    ``content`` is bytes, text, or a binary file open for reading, read from
    its start each time it is read (when it can seek); none of them is decoded
    or parsed whole."""
    if isinstance(content, (bytes, bytearray)):
        content = io.BytesIO(content)
    elif hasattr(content, "read") and content.seekable():
        content.seek(0)
    if file_format == "json":
        rows = read_json(text_chunks(content))
    elif isinstance(content, str):
        rows = read_csv(io.StringIO(content.removeprefix(BOM), newline=""))
    else:
        rows = read_csv_file(content)
    empty = True
    for row in rows:
        empty = False
        yield row
    if empty:
        raise FileError([(1, _("The file holds no records."))])


def read_csv_file(handle):
    """read_csv() over a binary file, decoded as it is read."""
    stream = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        yield from read_csv(stream)
    except UnicodeDecodeError:
        raise FileError([(undecodable_line(handle), NOT_UTF8)]) from None
    finally:
        stream.detach()  # the caller's file stays open


def undecodable_line(handle):
    """The line of a binary file's first byte that is not UTF-8."""
    handle.seek(0)
    decoder = stdlib_codecs.getincrementaldecoder("utf-8")()
    line = 1
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            return line + chunk[: max(error.start, 0)].count(b"\n")
        line += chunk.count(b"\n")
    return line


def text_chunks(content):
    """The text of ``content`` (text or a binary file), CHUNK_SIZE at a time,
    decoded as it is read; raises FileError at the first byte that is not UTF-8."""
    if isinstance(content, str):
        text = content.removeprefix(BOM)
        for start in range(0, len(text), CHUNK_SIZE):
            yield text[start : start + CHUNK_SIZE]
        return
    decoder = stdlib_codecs.getincrementaldecoder("utf-8-sig")()
    line = 1
    while True:
        chunk = content.read(CHUNK_SIZE)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            # error.object: the bytes decoded, with any left from the chunk before.
            line += error.object[: error.start].count(b"\n")
            raise FileError([(line, NOT_UTF8)]) from None
        line += chunk.count(b"\n")
        if text:
            yield text
        if not chunk:
            return


def holds_more_rows_than(content, file_format, limit):
    """Whether the file has more than ``limit`` records, reading no further than
    that; a file that cannot be read is left for the import to report."""
    try:
        return (
            next(itertools.islice(read(content, file_format), limit, None), None)
            is not None
        )
    except FileError:
        return False


def write(rows, file_format):
    return write_json(rows) if file_format == "json" else write_csv(rows)


# Formula cells


def escape_formula(cell):
    if cell.startswith((*FORMULA_STARTS, "'")) and not PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def unescape_formula(cell):
    if len(cell) > 1 and cell[0] == "'" and cell[1] in (*FORMULA_STARTS, "'"):
        return cell[1:]
    return cell


# Lists inside one cell


def join_names(names):
    def quoted(name):
        if any(mark in name for mark in ',"') or name != name.strip():
            return '"' + name.replace('"', '""') + '"'
        return name

    return ", ".join(quoted(name) for name in names)


def split_names(cell):
    cell = cell.replace("\r\n", ",").replace("\n", ",").replace("\r", ",")
    if not cell.strip():
        return []
    return [
        name.strip()
        for name in next(csv.reader([cell], skipinitialspace=True))
        if name.strip()
    ]


def escape_field(value):
    return (
        value.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )


def split_line(line):
    fields, current, characters = [], [], iter(line)
    for character in characters:
        if character == "\\":
            following = next(characters, "")
            current.append(
                {"n": "\n", "r": "\r", "|": "|", "\\": "\\"}.get(
                    following, "\\" + following
                )
            )
        elif character == "|":
            fields.append("".join(current).strip())
            current = []
        else:
            current.append(character)
    fields.append("".join(current).strip())
    return fields


def join_items(items, fields):
    lines = []
    for item in items:
        values = [
            " ".join(item[name]) if fields[name].kind == "urls" else item[name]
            for name in fields
        ]
        while values and not values[-1]:
            values.pop()
        lines.append(" | ".join(escape_field(value) for value in values))
    return "\n".join(lines)


def split_items(cell, fields, key, errors):
    items = []
    names = list(fields)
    for number, line in enumerate(
        (line for line in cell.splitlines() if line.strip()), start=1
    ):
        values = split_line(line)
        if len(values) > len(names):
            errors.append(
                (
                    f"{key}[{number}]",
                    _(
                        "%(count)s fields where at most %(limit)s are expected (%(fields)s). "
                        "Write a | that belongs to a value as \\|."
                    )
                    % {
                        "count": len(values),
                        "limit": len(names),
                        "fields": " | ".join(names),
                    },
                )
            )
            continue
        values += [""] * (len(names) - len(values))
        item = dict(zip(names, values, strict=True))
        for name in names:
            if fields[name].kind == "urls":
                item[name] = item[name].split()
        items.append(item)
    return items


# CSV


def cell_text(column, value):
    if column.kind == "urls":
        return "\n".join(value)
    if column.kind in LIST_KINDS:
        return join_names(value)
    if column.kind in ITEM_FIELDS:
        return join_items(value, ITEM_FIELDS[column.kind])
    return value


def cell_value(column, cell, errors):
    cell = unescape_formula(cell)
    if column.kind == "urls":
        return cell.split()
    if column.kind in LIST_KINDS:
        return split_names(cell)
    if column.kind in ITEM_FIELDS:
        return split_items(cell, ITEM_FIELDS[column.kind], column.key, errors)
    return cell


def write_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(KEYS)
    for row in rows:
        writer.writerow(
            [escape_formula(cell_text(column, row[column.key])) for column in COLUMNS]
        )
    return BOM + out.getvalue()  # the BOM tells spreadsheets the file is UTF-8


def read_header(cells):
    """The column keys of a header of ours; raises FileError."""
    keys = [cell.strip().lower() for cell in cells]
    errors = []
    for key in keys:
        if key and key not in COLUMNS_BY_KEY:
            errors.append(
                (
                    1,
                    _(
                        "“%(column)s” is not a column the import knows. The columns are: %(columns)s."
                    )
                    % {"column": key, "columns": ", ".join(KEYS)},
                )
            )
    for key in {key for key in keys if key and keys.count(key) > 1}:
        errors.append(
            (1, _("The column “%(column)s” appears twice.") % {"column": key})
        )
    if KEY not in keys:
        errors.append(
            (
                1,
                _("The file has no “%(column)s” column: it is how records are matched.")
                % {"column": KEY},
            )
        )
    if errors:
        raise FileError(errors)
    return keys


def is_auto_archiver_header(cells):
    """Whether a header is the auto-archiver's: it names one of its columns
    (none of them is a column of ours)."""
    return any(cell.strip().lower() in ARCHIVER_HEADERS for cell in cells)


def read_auto_archiver_header(cells):
    """The headers of an auto-archiver file, as written; raises FileError.

    Columns of ours beside the auto-archiver's are refused: a row is read as
    one kind or the other, so the other kind's columns would be dropped. A
    column of neither is refused as a column of ours is: a misspelt
    "Archive locaton" would drop the copies silently."""
    names = [cell.strip() for cell in cells]
    keys = [name.lower() for name in names]
    errors = []
    ours = [key for key in keys if key in COLUMNS_BY_KEY]
    if ours:
        errors.append(
            (
                1,
                _(
                    "This header mixes the import's own columns (%(ours)s) with the "
                    "auto-archiver's (%(theirs)s). Import each kind in a file of its own."
                )
                % {
                    "ours": ", ".join(ours),
                    "theirs": ", ".join(
                        name
                        for name, key in zip(names, keys, strict=True)
                        if key in ARCHIVER_HEADERS
                    ),
                },
            )
        )
    for name, key in zip(names, keys, strict=True):
        if key and key not in ARCHIVER_HEADERS and key not in COLUMNS_BY_KEY:
            errors.append(
                (
                    1,
                    _(
                        "“%(column)s” is not a column of the auto-archiver's. Remove "
                        "the sheet's own columns before importing it. Its columns are: "
                        "%(columns)s."
                    )
                    % {"column": name, "columns": ", ".join(ARCHIVER_HEADERS)},
                )
            )
    addresses = [key for key in keys if key in ARCHIVER_ADDRESS_COLUMNS]
    for key in {key for key in keys if key and keys.count(key) > 1}:
        errors.append(
            (1, _("The column “%(column)s” appears twice.") % {"column": key})
        )
    if not addresses:
        errors.append(
            (
                1,
                _(
                    "An auto-archiver file needs its “link” column: it is how rows "
                    "are matched to records."
                ),
            )
        )
    elif len(set(addresses)) > 1:
        errors.append(
            (1, _("Give the address archived once: in “link” or in “url”, not both."))
        )
    if errors:
        raise FileError(errors)
    return names


def read_csv(stream):
    """SourceRows from a text stream of CSV, read line by line."""
    lines = iter(stream)
    skipped = 0  # blank lines before the header, left out of the reader
    for header in lines:
        if header.strip():
            break
        skipped += 1
    else:
        header = ""
    # Spreadsheets set to French, German and other locales save CSV with semicolons.
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(itertools.chain([header], lines), delimiter=delimiter)
    keys = None
    try:
        while True:
            line = skipped + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if keys is None:
                archiver = is_auto_archiver_header(cells)
                if archiver:
                    keys = read_auto_archiver_header(cells)
                else:
                    keys = read_header(cells)
                continue
            row = SourceRow(line, {}, auto_archiver=archiver)
            if any(cell.strip() for cell in cells[len(keys) :]):
                row.errors.append(
                    ("", _("This row has more cells than the header has columns."))
                )
            for key, cell in zip(
                keys, cells + [""] * (len(keys) - len(cells)), strict=False
            ):
                if archiver:
                    row.values[key] = cell
                elif key:
                    row.values[key] = cell_value(COLUMNS_BY_KEY[key], cell, row.errors)
            yield row
    except csv.Error as error:
        raise FileError(
            [
                (
                    skipped + reader.line_num,
                    _("This is not valid CSV: %(error)s") % {"error": error},
                )
            ]
        ) from None


# JSON


def json_value(column, value):
    if column.kind == "decimal":
        return float(Decimal(value)) if value else None
    if column.kind == "yes_no":
        return value == YES
    return value


def write_json(rows):
    records = [
        {column.key: json_value(column, row[column.key]) for column in COLUMNS}
        for row in rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def from_json(column, value, errors, label):
    """A JSON value as the row holds it; appends to errors if its type is wrong."""
    kind = column.kind
    if value is None:
        value = [] if kind in (*LIST_KINDS, *ITEM_FIELDS) else ""
    if (
        kind == "decimal"
        and isinstance(value, (int, Decimal))
        and not isinstance(value, bool)
    ):
        return str(value) if isinstance(value, int) else format(value, "f")
    if kind == "yes_no" and isinstance(value, bool):
        return YES if value else NO
    if kind in LIST_KINDS:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value if texts_are_valid(value, errors, label) else None
        errors.append((label, _("Expected a list of texts.")))
        return None
    if kind in ITEM_FIELDS:
        fields = ITEM_FIELDS[kind]
        if not isinstance(value, list) or not all(
            isinstance(item, dict) for item in value
        ):
            errors.append((label, _("Expected a list of objects.")))
            return None
        items = []
        for number, item in enumerate(value, start=1):
            items.append(from_json_object(item, fields, errors, f"{label}[{number}]"))
        return items
    if isinstance(value, str):
        return value if texts_are_valid([value], errors, label) else None
    expected = {
        "decimal": _("Expected a number."),
        "yes_no": _("Expected true or false."),
    }
    errors.append((label, expected.get(kind, _("Expected a text."))))
    return None


def texts_are_valid(texts, errors, label):
    if any(LONE_SURROGATE.search(text) for text in texts):
        errors.append(
            (
                label,
                _(
                    "This text holds half of a UTF-16 pair (a \\uD800 to \\uDFFF"
                    " escape on its own), which is not a character: write the"
                    " character itself, or both halves."
                ),
            )
        )
        return False
    return True


def printable(key):
    """A key as a message can print it: each lone surrogate as its escape."""
    return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", key)


def from_json_object(obj, fields, errors, prefix=""):
    values = {}
    for key, value in obj.items():
        label = f"{prefix}.{printable(key)}" if prefix else printable(key)
        if key not in fields:
            errors.append((label, _("This key is not one the import knows.")))
            continue
        values[key] = from_json(fields[key], value, errors, label)
    if prefix:  # an appearance or a credit: what it leaves out is empty
        for key, column in fields.items():
            values.setdefault(key, [] if column.kind == "urls" else "")
    return values


class JsonWindow:
    """The part of a JSON text read and not yet decoded: chunks are added as a
    value needs them, and the part decoded is let go, so the window holds about
    one chunk and one record whatever the size of the file."""

    def __init__(self, chunks):
        self.chunks = iter(chunks)
        self.text = ""
        self.position = 0  # in text
        self.first_line = 1  # the line text starts on
        self.counted = (0, 1)  # (position, its line): lines are counted once
        self.ended = False

    def more(self):
        """Read another chunk, letting go of what was decoded; False at the end."""
        chunk = next(self.chunks, None)
        if chunk is None:
            self.ended = True
            return False
        self.first_line = self.line_at(self.position)
        self.text = self.text[self.position :] + chunk
        self.position, self.counted = 0, (0, self.first_line)
        return True

    def line_at(self, position):
        counted, line = self.counted
        if position < counted:
            return self.first_line + self.text.count("\n", 0, position)
        line += self.text.count("\n", counted, position)
        self.counted = (position, line)
        return line

    def peek(self):
        """The next character that is not white space ("" at the end), read on to it."""
        while True:
            self.position = WHITESPACE.match(self.text, self.position).end()
            if self.position < len(self.text) or not self.more():
                return self.text[self.position : self.position + 1]

    def decode(self, decoder):
        """(the next JSON value, the line it starts on); raises FileError."""
        while True:
            start = self.position
            try:
                value, end = decoder.raw_decode(self.text, start)
            except RecursionError:
                # Records are a few levels deep; thousands of nested lists are an
                # attack or a broken file, and would exhaust the parser's stack.
                raise FileError(
                    [
                        (
                            self.line_at(start),
                            _("This record is nested too deeply to be read."),
                        )
                    ]
                ) from None
            except json.JSONDecodeError as error:
                # The value may go on in the chunks not read yet.
                if len(self.text) - start <= RECORD_LIMIT and self.read_on():
                    continue
                raise FileError(
                    [(self.error_line(error), self.message(error))]
                ) from None
            # A number at the end of the text may go on in the next chunk.
            if end == len(self.text) and self.read_on():
                continue
            self.position = end
            return value, self.line_at(start)

    def read_on(self):
        """Read on until the text not yet decoded is twice as long (a value may
        be longer than a chunk, and growing by one chunk at a time would decode
        it again each time); False at the end of the file."""
        wanted = max(2 * (len(self.text) - self.position), 1)
        grew = False
        while len(self.text) - self.position < wanted and self.more():
            grew = True
        return grew

    def error_line(self, error):
        return self.first_line + error.lineno - 1

    def message(self, error):
        if not self.ended:
            return _(
                "This record is not valid JSON, or longer than %(limit)s characters: %(error)s"
            ) % {"limit": RECORD_LIMIT, "error": error.msg}
        return _("This is not valid JSON: %(error)s") % {"error": error.msg}

    def fail(self, message):
        raise FileError([(self.line_at(self.position), message)])


WHITESPACE = re.compile(r"\s*")


def read_json(chunks):
    """SourceRows from the chunks of a JSON text: a list of records, each
    decoded as soon as it is whole."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    window = JsonWindow(chunks)
    if window.peek() != "[":
        window.fail(_("A JSON import is a list of records: [{…}, {…}]."))
    window.position += 1
    if window.peek() == "]":
        window.position += 1
    else:
        while True:
            window.peek()
            record, line = window.decode(decoder)
            row = SourceRow(line, {})
            if isinstance(record, dict):
                row.values = from_json_object(record, COLUMNS_BY_KEY, row.errors)
            else:
                row.errors.append(
                    ("", _('Each record is a JSON object: {"media_url": …}.'))
                )
            yield row
            mark = window.peek()
            window.position += 1
            if mark == "]":
                break
            if mark != ",":
                window.position -= 1
                window.fail(_("Expected a comma or the closing ] of the list."))
    if window.peek():
        window.fail(_("Nothing may follow the list of records."))
