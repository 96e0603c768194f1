"""Which records an address belongs to: their media's or one of their appearances'.

An auto-archiver row names the address it archived, as the sheet holds it, not
as the record was typed: ``HTTPS://T.me/x/1`` and ``https://t.me/x/1#top`` are the
same post. Addresses are compared by ``address_key``: the host as the package's
own parser normalises it (IDNA, lower case), the path and the query; the scheme
(http or https), a default port and the fragment do not tell posts apart.

A file's archived copies and source statuses are about one of the record's
own addresses (``source_addresses``), as the Sources page allows, and are
stored under the address as the record has it: the reader, the API and the
Sources page look them up by it exactly.

The index is read once per import, as the records are edited (the latest
revision of a record with unpublished changes), without loading the records:
an address and a record id per media address and per appearance.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail_evidence.media.weburls import parse_web_url, safe_web_url
from wagtail_evidence.models import Appearance, Evidence
from wagtail_evidence.models.archives import URL_LENGTH


def address_key(url):
    """What two addresses of the same post have in common; "" if ``url`` is invalid."""
    try:
        parsed = parse_web_url(url)
    except ValidationError:
        return ""
    query = f"?{parsed.query}" if parsed.query else ""
    return f"{parsed.host}{parsed.path or '/'}{query}"


def stored_web_url(address):
    """``address`` checked as a web address, and short enough for the column
    that will hold it (SQLite would keep a longer one, PostgreSQL fail the
    whole import); raises ValidationError."""
    url = parse_web_url(address).url
    if len(url) > URL_LENGTH:
        raise ValidationError(
            _(
                "An address is stored in %(limit)s characters at most; "
                "this one has %(length)s."
            )
            % {"limit": URL_LENGTH, "length": len(url)}
        )
    return url


def stored_addresses(evidence):
    """The media's address and each appearance's, as the record has them (in
    memory), the media's first: what its archived copies and source statuses
    are found by, on the Sources page, for readers and in the export."""
    return [evidence.media_url, *(item.url for item in evidence.appearances.all())]


def source_addresses(evidence):
    """{address key: the address as the record has it} for the record's media
    and appearances (as planned, in memory), the media's first: the sources
    the Sources page lists (archives.tasks.source_urls)."""
    addresses = {}
    for url in stored_addresses(evidence):
        key = address_key(url) if safe_web_url(url) else ""
        if key:
            addresses.setdefault(key, url)
    return addresses


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
