"""{% evidence_media_source item as source %}: what the reader's
includes/media_or_archive.html shows when the media's source is gone."""

from django import template

from wagtail_evidence.reader.sources import reader_media_source


register = template.Library()


@register.simple_tag
def evidence_media_source(item):
    return reader_media_source(item)
