"""Export Evidence records in the shape the import reads, with what is kept
beside each (its archived copies, the desk's source statuses: exchange.sources_columns)."""

from dataclasses import dataclass, field

from wagtail_evidence.exchange import codecs
from wagtail_evidence.exchange.addresses import stored_addresses
from wagtail_evidence.exchange.current import current_records
from wagtail_evidence.exchange.records import serialize
from wagtail_evidence.exchange.sources_columns import sources_columns


@dataclass
class Export:
    content: str
    count: int
    # Records with no media address (a self-hosted video file only): the file
    # has no key to match them on, so they are left out, by title.
    left_out: list = field(default_factory=list)


def export_evidence(file_format):
    """Every record, as the admin would edit it (its latest revision), ordered by
    title then address, so that the same records always give the same file."""
    rows, left_out, addresses = [], [], {}
    for evidence, tags in current_records():
        if evidence.media_url:
            rows.append(serialize(evidence, tags))
            # As the Sources page and readers find them: by the address as stored.
            addresses[evidence.pk] = set(stored_addresses(evidence))
        else:
            left_out.append(evidence.title)
    # Archived copies and the desk's source statuses, of the addresses the row has.
    sources = sources_columns(addresses)
    for row, pk in zip(rows, addresses, strict=True):
        row.update(sources[pk])
    rows.sort(key=lambda row: (row["title"].casefold(), row["title"], row["media_url"]))
    return Export(codecs.write(rows, file_format), len(rows), sorted(left_out))
