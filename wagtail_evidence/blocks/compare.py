"""How the admin's revision comparison shows the package's blocks.

Wagtail asks a block for ``get_comparison_class()`` (``wagtail.admin.compare``,
the same API in Wagtail 7.4 and 8.0, so no version check) and otherwise compares
the text a block renders: a chosen record by its bare title (no badge, nothing
once deleted, and a title that looks like markup stripped), a choice by its
code, an empty field as "None". Here a record reads as its title and badge, a
deleted one by its id, a choice by its label and an empty field as nothing, so
the diff reads as the change the editor made.

Every value is escaped here, editor-written text in its own ``<bdi>``
(``i18n.isolate``), so a right-to-left title cannot reorder its badge.
"""

import difflib

from django.utils.choices import flatten_choices
from django.utils.formats import localize
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.admin.compare import (
    BlockComparison,
    StructBlockComparison,
    diff_text,
    get_comparison_class_for_block,
)

from wagtail_evidence.i18n import format_pattern, isolate, join_labels


# Set on a struct value by its block's bulk_to_python: the value as stored. A
# deleted record converts to None, and only the stored form still has its id.
STORED_ATTRIBUTE = "_wagtail_evidence_stored"


def remember_stored_values(raw_values, values):
    """Keep each converted struct value's stored form beside it; returns ``values``."""
    for raw, value in zip(raw_values, values, strict=True):
        setattr(value, STORED_ATTRIBUTE, raw)
    return values


def stored_value(value):
    stored = getattr(value, STORED_ATTRIBUTE, None)
    return stored if isinstance(stored, dict) else {}


def record_label(record, stored_id=None):
    """A chosen record as editors know it: its title and badge, or its id once deleted."""
    if record is not None:
        return format_pattern(
            # Translators: a chosen evidence record in a revision comparison, e.g.
            # "Convoy in Horadiz (Verified)".
            _("%(title)s (%(badge)s)"),
            {"title": isolate(record.title), "badge": record.badge.label},
        )
    if stored_id not in (None, ""):
        return format_pattern(_("Deleted evidence #%(id)s"), {"id": stored_id})
    return ""


def replaced(html_a, html_b):
    """Wagtail's deletion and addition marks around two whole values."""
    return format_html_join(
        " ",
        '<span class="{}">{}</span>',
        [
            (kind, html)
            for kind, html in (("deletion", html_a), ("addition", html_b))
            if html
        ],
    )


def plain(value):
    """A value comparable with ``==``: Wagtail's ListValue compares by identity."""
    if isinstance(value, blocks.list_block.ListValue):
        return [plain(item) for item in value]
    if isinstance(value, blocks.StructValue):
        return {name: plain(item) for name, item in value.items()}
    return value


class TextComparison(BlockComparison):
    """A field's text diffed word by word; nothing for an empty value."""

    def as_text(self, value):
        return "" if value is None else str(value)

    def htmlvalue(self, val):
        return escape(self.as_text(val))

    def htmldiff(self):
        return diff_text(self.as_text(self.val_a), self.as_text(self.val_b)).to_html()


class DateComparison(TextComparison):
    """A date as the admin's language writes it, not in ISO form."""

    def as_text(self, value):
        return "" if value is None else localize(value)


class ChoiceComparison(BlockComparison):
    """A choice by its label, never its code."""

    def label(self, value):
        # The block's declared choices, not its form field's: the field adds a
        # "no choice" entry, worded differently by each Wagtail and Django.
        choices = self.block.deconstruct()[2]["choices"]
        choices = choices() if callable(choices) else choices
        value = "" if value is None else value
        for key, label in flatten_choices(choices):
            if str(key) == str(value):
                return label
        return value

    def htmlvalue(self, val):
        return escape(self.label(val))

    def htmldiff(self):
        if not self.has_changed():
            return self.htmlvalue(self.val_a)
        return replaced(self.htmlvalue(self.val_a), self.htmlvalue(self.val_b))


class ChosenEvidenceComparison(BlockComparison):
    """Chosen Evidence, with ``stored_a`` and ``stored_b``, the values as stored:
    they still name a record that has since been deleted (converted to None)."""

    def __init__(
        self, block, exists_a, exists_b, val_a, val_b, stored_a=None, stored_b=None
    ):
        super().__init__(block, exists_a, exists_b, val_a, val_b)
        self.stored_a, self.stored_b = stored_a, stored_b

    def stored_for_htmlvalue(self):
        # Wagtail shows the old value of a block the old revision has (deleted
        # or unchanged), and the new one of a block that is new.
        return self.stored_a if self.exists_a else self.stored_b


class EvidenceChoiceComparison(ChosenEvidenceComparison):
    """A chosen Evidence record by its title and badge, never its id."""

    def key(self, record, stored_id):
        return record.pk if record is not None else stored_id

    def has_changed(self):
        return self.key(self.val_a, self.stored_a) != self.key(
            self.val_b, self.stored_b
        )

    def htmlvalue(self, val):
        return record_label(val, self.stored_for_htmlvalue())

    def htmldiff(self):
        label_a = record_label(self.val_a, self.stored_a)
        if not self.has_changed():
            return label_a
        return replaced(label_a, record_label(self.val_b, self.stored_b))


class EvidenceListComparison(ChosenEvidenceComparison):
    """A list of chosen records, by title and badge, with the ones removed and
    added marked: "A, B, C" rather than a box per record."""

    def items(self, value, stored):
        """(key, label) of each record: its id, or its stored id once deleted."""
        records = list(value) if value is not None else []
        # A list item is stored as {"type": "item", "value": id, "id": uuid},
        # or, written before Wagtail 2.16 or by code, as the id alone.
        stored_ids = [
            item["value"] if isinstance(item, dict) and "value" in item else item
            for item in (stored if isinstance(stored, list) else [])
        ]
        if len(stored_ids) != len(records):
            stored_ids = [None] * len(records)
        return [
            (
                record.pk if record is not None else stored_id,
                record_label(record, stored_id),
            )
            for record, stored_id in zip(records, stored_ids, strict=True)
        ]

    def has_changed(self):
        keys_a = [key for key, _label in self.items(self.val_a, self.stored_a)]
        keys_b = [key for key, _label in self.items(self.val_b, self.stored_b)]
        return keys_a != keys_b

    def htmlvalue(self, val):
        items = self.items(val, self.stored_for_htmlvalue())
        return join_labels(label for _key, label in items)

    def htmldiff(self):
        items_a = self.items(self.val_a, self.stored_a)
        items_b = self.items(self.val_b, self.stored_b)
        matcher = difflib.SequenceMatcher(
            None, [key for key, _label in items_a], [key for key, _label in items_b]
        )
        marked = []
        for operation, a_from, a_to, b_from, b_to in matcher.get_opcodes():
            if operation == "equal":
                marked += [label for _key, label in items_a[a_from:a_to]]
                continue
            marked += [
                format_html('<span class="deletion">{}</span>', label)
                for _key, label in items_a[a_from:a_to]
            ]
            marked += [
                format_html('<span class="addition">{}</span>', label)
                for _key, label in items_b[b_from:b_to]
            ]
        return join_labels(marked)


def child_comparison_class(block):
    """The comparison for a child of the package's struct blocks: labels for
    choices and records, text for the rest, Wagtail's own for anything else."""
    if hasattr(block, "get_comparison_class"):
        return block.get_comparison_class()
    if isinstance(block, blocks.ChoiceBlock):
        return ChoiceComparison
    if isinstance(block, (blocks.DateBlock, blocks.DateTimeBlock, blocks.TimeBlock)):
        return DateComparison
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return TextComparison
    if isinstance(block, blocks.ListBlock) and issubclass(
        child_comparison_class(block.child_block), EvidenceChoiceComparison
    ):
        return EvidenceListComparison
    return get_comparison_class_for_block(block)


class LabelledStructComparison(StructBlockComparison):
    """Wagtail's layout for a struct block (each child's label and value), with
    each child read as the editor chose it (see child_comparison_class)."""

    def child_comparisons(self, exists_a, exists_b, val_a, val_b):
        stored_a, stored_b = stored_value(val_a), stored_value(val_b)
        for name, block in self.block.child_blocks.items():
            comparison_class = child_comparison_class(block)
            args = [block, exists_a, exists_b, child(val_a, name), child(val_b, name)]
            if issubclass(comparison_class, ChosenEvidenceComparison):
                args += [stored_a.get(name), stored_b.get(name)]
            yield block.label, comparison_class(*args)

    def has_changed(self):
        return any(
            changed(comparison)
            for _label, comparison in self.child_comparisons(
                True, True, self.val_a, self.val_b
            )
        )

    def htmlvalue(self, val):
        return definition_list(
            (label, comparison.htmlvalue(comparison.val_a))
            for label, comparison in self.child_comparisons(True, True, val, val)
        )

    def htmldiff(self):
        return definition_list(
            (label, comparison.htmldiff())
            for label, comparison in self.child_comparisons(
                self.exists_a, self.exists_b, self.val_a, self.val_b
            )
        )


def child(value, name):
    return value.get(name) if value is not None else None


def changed(comparison):
    """Whether a child changed. Wagtail's base test (``val_a != val_b``) finds
    every list changed, as a ListValue compares by identity: compare the items."""
    if type(comparison).has_changed is BlockComparison.has_changed:
        return plain(comparison.val_a) != plain(comparison.val_b)
    return comparison.has_changed()


def definition_list(rows):
    """Wagtail's markup for a struct block in a comparison."""
    return format_html(
        "<dl>\n{}\n</dl>",
        format_html_join("\n", "    <dt>{}</dt>\n    <dd>{}</dd>", rows),
    )
