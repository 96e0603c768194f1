"""``{% evidence_content_credentials item as lines %}``: the reader's lines of an
item's Content Credentials (reader/content_credentials.py)."""

from django import template

from wagtail_evidence.reader.content_credentials import reader_credentials


register = template.Library()


@register.simple_tag
def evidence_content_credentials(item):
    return reader_credentials(item)
