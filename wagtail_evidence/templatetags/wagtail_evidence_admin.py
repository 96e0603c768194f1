"""Template tags for the package's admin templates."""

from django import template
from wagtail.models import Revision

from wagtail_evidence.editorial.evidence_check import check_object
from wagtail_evidence.i18n import isolate, isolate_within, join_labels


register = template.Library()


@register.simple_tag
def evidence_check(obj):
    """The evidence checklist of what would be published of ``obj``."""
    return check_object(obj)


@register.filter
def evidence_check_failures(checklist):
    return [item for item in checklist if not item.passed]


@register.filter
def evidence_isolate(value):
    """Editor-written text in its own ``<bdi>``, escaped (see i18n.isolate)."""
    return isolate(value)


@register.filter
def evidence_isolate_in(text, value):
    """Plain ``text`` escaped, ``value`` isolated wherever it occurs in it: for
    sentences that embed a title (see i18n.isolate_within)."""
    return isolate_within(text, value)


@register.simple_tag
def evidence_inspect_rows(view, fields):
    """Wagtail's inspect fields (``fields``, in the order of ``view.fields``),
    each with whether its value is one piece of text (isolated by its ``<dd>``).
    Tags are one value per tag, so each is isolated on its own."""
    rows = []
    for name, field in zip(view.fields, fields, strict=True):
        row = {**field, "whole": field["component"] is None}
        if name == "tags":
            tags = join_labels(isolate(tag.name) for tag in view.object.tags.all())
            row.update(value=tags or "-", whole=False)
        elif isinstance(field["value"], Revision):
            # '"<title>" at <date>': the title isolated inside Wagtail's wording.
            revision = field["value"]
            row.update(
                value=isolate_within(str(revision), revision.object_str), whole=False
            )
        rows.append(row)
    return rows
