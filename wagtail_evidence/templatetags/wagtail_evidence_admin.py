"""Template tags for the package's admin templates."""

from django import template


register = template.Library()


@register.simple_tag
def evidence_check(obj):
    """The evidence checklist of what would be published of ``obj``."""
    from wagtail_evidence.evidence_check import check_object

    return check_object(obj)


@register.filter
def evidence_check_failures(checklist):
    return [item for item in checklist if not item.passed]
