"""Which records an address belongs to: their media's or one of their appearances'.

An auto-archiver row names the address it archived, as the sheet holds it, not
as the record was typed: ``HTTPS://T.me/x/1`` and ``https://t.me/x/1#top`` are the
same post. Addresses are compared by ``address_key``: the host as the package's
own parser normalises it (IDNA, lower case), the path and the query; the scheme
(http or https), a default port and the fragment do not tell posts apart.

The index is read once per import, as the records are edited (the latest
revision of a record with unpublished changes), without loading the records:
an address and a record id per media address and per appearance.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError

from wagtail_evidence.media.weburls import parse_web_url
from wagtail_evidence.models import Appearance, Evidence


def address_key(url):
    """What two addresses of the same post have in common; "" if ``url`` is invalid."""
    try:
        parsed = parse_web_url(url)
    except ValidationError:
        return ""
    query = f"?{parsed.query}" if parsed.query else ""
    return f"{parsed.host}{parsed.path or '/'}{query}"


def media_and_appearance_keys(evidence):
    """(the media's key, {each appearance's key}) of a record as loaded."""
    return (
        address_key(evidence.media_url),
        {address_key(item.url) for item in evidence.appearances.all() if item.url},
    )


class AddressIndex:
    """{address key: {record id}} over every record's media and appearances,
    as saved and as drafted: a superset, which the caller narrows with the
    records as edited (media_and_appearance_keys)."""

    def __init__(self):
        self.records = defaultdict(set)
        self.add(Evidence.objects.values_list("pk", "media_url").iterator())
        self.add(
            Appearance.objects.exclude(url="")
            .values_list("evidence_id", "url")
            .iterator()
        )
        drafts = Evidence.objects.filter(
            has_unpublished_changes=True, latest_revision__isnull=False
        ).values_list(
            "pk",
            "latest_revision__content__media_url",
            "latest_revision__content__appearances",
        )
        for pk, media_url, appearances in drafts.iterator():
            self.add([(pk, media_url)])
            for item in appearances if isinstance(appearances, list) else ():
                if isinstance(item, dict):
                    self.add([(pk, item.get("url"))])

    def add(self, pairs):
        for pk, url in pairs:
            if isinstance(url, str) and url:
                key = address_key(url)
                if key:
                    self.records[key].add(pk)

    def candidates(self, key):
        return self.records.get(key, set())
