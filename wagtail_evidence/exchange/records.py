"""Between an Evidence record and one row of the file.

``serialize()`` gives the row a record exports as; ``apply_row()`` writes a row
onto a record in memory (nothing is saved) and validates it as the admin does:
each value through the admin form's field (see validation), then the model.
Rows are dicts of column key to text, a list of texts, or a list of dicts (the
appearances and credits); the codecs turn them into CSV cells or JSON.
"""

import datetime
import functools
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from wagtail_evidence.exchange.columns import (
    APPEARANCE_COLUMNS,
    APPEARANCE_FIELDS,
    COLUMNS_BY_KEY,
    CREDIT_FIELDS,
    FIRST_APPEARANCE,
    NO,
    RECORD_FIELDS,
    SOURCES_KEYS,
    YES,
)
from wagtail_evidence.exchange.validation import (
    admin_form_fields,
    clean_as_admin,
    quoted_tags,
)
from wagtail_evidence.models import Appearance, Credit, Evidence


TAG_MAX_LENGTH = 100  # taggit's Tag.name


# Record -> row


def decimal_text(value):
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def value_text(column, value, row):
    """The text a column holds for ``value``, a field's Python value."""
    if column.kind in ("urls",):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    if column.kind == "choices":
        order = choice_order(column.choices)
        return sorted(
            dict.fromkeys(value or []),
            key=lambda item: (order.get(item, len(order)), item),
        )
    if column.kind == "date":
        return value.isoformat() if value else ""
    if column.kind == "decimal":
        return decimal_text(value)
    if column.kind == "yes_no":
        return YES if value else NO
    text = "" if value is None else str(value)
    if column.date and not row.get(column.date) and text == column.default:
        return ""  # a precision without its date says nothing
    return text


def serialize_child(obj, fields):
    row = {}
    for name, column in fields.items():
        row[name] = value_text(column, getattr(obj, name), row)
    return row


def serialize(evidence, tags):
    """The row for ``evidence`` (its children as loaded on it) and its tag names."""
    row = {}
    for key in RECORD_FIELDS:
        row[key] = value_text(COLUMNS_BY_KEY[key], getattr(evidence, key), row)
    appearances = [
        serialize_child(item, APPEARANCE_FIELDS) for item in evidence.appearances.all()
    ]
    first = appearances[0] if appearances else blank_appearance()
    for key, name in FIRST_APPEARANCE.items():
        row[key] = first[name]
    row["more_appearances"] = appearances[1:]
    row["credits"] = [
        serialize_child(item, CREDIT_FIELDS) for item in evidence.credits.all()
    ]
    row["tags"] = sort_tags(tags)
    # What is beside the record is read in bulk by those who need it (sources_columns).
    row.update((key, []) for key in SOURCES_KEYS)
    return {key: row[key] for key in COLUMNS_BY_KEY}


def blank_appearance():
    return {
        name: [] if column.kind == "urls" else ""
        for name, column in APPEARANCE_FIELDS.items()
    }


def sort_tags(names):
    return sorted(dict.fromkeys(names), key=lambda name: (name.casefold(), name))


# Row -> record


def coerce(column, value):
    """The field value for a cell's ``value``; raises ValidationError."""
    kind = column.kind
    if kind == "urls":
        return "\n".join(item.strip() for item in value if item.strip())
    if kind == "choices":
        return [
            match_choice(column, item)
            for item in dict.fromkeys(i.strip() for i in value)
            if item
        ]
    value = value.strip()
    if kind == "choice":
        return match_choice(column, value) if value else column.default
    if kind == "date":
        return parse_date(value) if value else None
    if kind == "decimal":
        return parse_decimal(value) if value else None
    if kind == "yes_no":
        return parse_yes_no(value)
    return value


@functools.cache
def choice_order(choices):
    return {choice: index for index, choice in enumerate(choices.values)}


@functools.cache
def choices_by_casefold(choices):
    by_casefold = {}
    for choice in choices.values:
        by_casefold.setdefault(choice.casefold(), choice)
    return by_casefold


def match_choice(column, value):
    choice = choices_by_casefold(column.choices).get(value.casefold())
    if choice is not None:
        return choice
    allowed = ", ".join(choice for choice in column.choices.values if choice)
    raise ValidationError(
        _("“%(value)s” is not one of: %(allowed)s.")
        % {"value": value, "allowed": allowed}
    )


def parse_date(value):
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError(_("Enter the date as YYYY-MM-DD, for example 2020-09-25."))


def parse_yes_no(value):
    """A yes/no cell. Empty is refused, not read as no: the one yes/no column
    withholds coordinates, and a blank cell must not release them."""
    answer = value.casefold()
    if answer in (NO, "false", "0"):
        return False
    if answer in (YES, "true", "1"):
        return True
    raise ValidationError(_("Enter yes or no."))


def parse_decimal(value):
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            _("Enter a number in decimal degrees, for example 36.545.")
        )
    return number


def coerce_tags(values, errors):
    names = []
    for name in dict.fromkeys(value.strip() for value in values):
        if len(name) > TAG_MAX_LENGTH:
            errors.append(
                (
                    "tags",
                    _("“%(tag)s…” is longer than %(limit)s characters.")
                    % {"tag": name[:20], "limit": TAG_MAX_LENGTH},
                )
            )
        elif name:
            names.append(name)
    if names and not errors:
        try:
            clean_as_admin(Evidence, "tags", quoted_tags(names))
        except ValidationError as error:
            errors.extend(("tags", message) for message in error.messages)
    return names


def messages_of(error):
    """{field name or "": [messages]} for any ValidationError."""
    if hasattr(error, "error_dict"):
        return {
            ("" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in error.message_dict.items()
        }
    return {"": error.messages}


def build_child(model, fields, values, index, label, errors):
    """A child object from one appearance or credit; None if a value is bad."""
    obj = model(sort_order=index)
    ok = True
    for name, column in fields.items():
        try:
            value = coerce(
                column, values.get(name, [] if column.kind == "urls" else "")
            )
            setattr(obj, name, clean_as_admin(model, name, value))
        except ValidationError as error:
            errors.extend((label(name), message) for message in error.messages)
            ok = False
    if ok:
        try:
            obj.full_clean(exclude=unvalidated_fields(model))
        except ValidationError as error:
            for name, messages in messages_of(error).items():
                errors.extend((label(name), message) for message in messages)
            ok = False
    return obj if ok else None


def wanted_appearances(row, current):
    """[(values, label)] for the appearances a row asks for, merged with the current ones."""
    first = dict(current[0]) if current else blank_appearance()
    flat = {name: key for key, name in FIRST_APPEARANCE.items()}
    present = False
    for key, name in FIRST_APPEARANCE.items():
        if key in row:
            first[name] = row[key]
            present = True
    wanted = []
    # A first appearance given entirely empty means none; one the file leaves out is kept.
    if any(first.values()) if present else current:
        wanted.append((first, lambda name: flat[name]))
    more = row["more_appearances"] if "more_appearances" in row else current[1:]
    for number, values in enumerate(more, start=1):
        wanted.append((values, lambda name, n=number: f"more_appearances[{n}].{name}"))
    return wanted


def apply_children(evidence, row, errors):
    if any(key in row for key in APPEARANCE_COLUMNS):
        current = [
            serialize_child(item, APPEARANCE_FIELDS)
            for item in evidence.appearances.all()
        ]
        built = [
            build_child(Appearance, APPEARANCE_FIELDS, values, index, label, errors)
            for index, (values, label) in enumerate(wanted_appearances(row, current))
        ]
        if (
            None not in built
            and [serialize_child(o, APPEARANCE_FIELDS) for o in built] != current
        ):
            evidence.appearances = built
    if "credits" in row:
        current = [
            serialize_child(item, CREDIT_FIELDS) for item in evidence.credits.all()
        ]
        built = [
            build_child(
                Credit,
                CREDIT_FIELDS,
                values,
                index,
                lambda name, n=index + 1: f"credits[{n}].{name}",
                errors,
            )
            for index, values in enumerate(row["credits"])
        ]
        if (
            None not in built
            and [serialize_child(o, CREDIT_FIELDS) for o in built] != current
        ):
            evidence.credits = built


def apply_row(evidence, row, tags):
    """Write ``row`` onto ``evidence`` in memory, each value cleaned as the
    admin form's field cleans it (the record itself is checked by
    validate_record, once it is known to change).

    Returns (errors, tags): errors as [(column, message)], and the tag names
    the record would have. Columns absent from ``row`` are left as they are.
    """
    errors = []
    for key in RECORD_FIELDS:
        if key in row:
            try:
                setattr(
                    evidence,
                    key,
                    clean_as_admin(
                        Evidence, key, coerce(COLUMNS_BY_KEY[key], row[key])
                    ),
                )
            except ValidationError as error:
                errors.extend((key, message) for message in error.messages)
    apply_children(evidence, row, errors)
    if "tags" in row:
        tags = coerce_tags(row["tags"], errors)
    return errors, sort_tags(tags)


def validate_record(evidence):
    """[(column, message)]: the model's checks, as the admin form runs them
    after its fields (Django's ModelForm validates the fields it edits)."""
    try:
        evidence.full_clean(exclude=unvalidated_fields(Evidence))
    except ValidationError as error:
        return [
            (name, message)
            for name, messages in messages_of(error).items()
            for message in messages
        ]
    return []


@functools.cache
def unvalidated_fields(model):
    """Fields the admin's form does not validate, as ModelForm leaves out what
    it does not edit: what is derived on save, Wagtail's own fields, links to
    the parent record. Links (poster, files) are not in the file either;
    checking that each still exists would cost a query a row."""
    edited = set(admin_form_fields(model)) | set(
        RECORD_FIELDS if model is Evidence else ()
    )
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation or field.name not in edited
    ]
