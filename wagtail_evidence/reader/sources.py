"""A record's sources as readers, the API, JSON-LD and the admin read them: each
address with its status and its archived copies, captured (ArchivedCopy) and
pasted by hand (``Appearance.archive_urls``, which stays the editors' field:
both are shown together, neither replaces the other).

Reads ``source_checks`` and ``archived_copies`` through ``.all()``, so that a
prefetch (wagtail_evidence.reader.loading) serves a whole page of records in
one query per relation.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import SOURCE_GONE, SourceStatus
from wagtail_evidence.reader.loading import loaded


@dataclass
class Source:
    url: str
    label: str
    status: str = SourceStatus.UNKNOWN
    check: object = None  # the SourceCheck row, if any
    copies: list = field(default_factory=list)  # ArchivedCopy, latest first
    pasted: list = field(default_factory=list)  # addresses editors pasted

    @property
    def status_label(self):
        return SourceStatus(self.status).label

    @property
    def gone(self):
        return self.status in SOURCE_GONE

    @property
    def latest_copy(self):
        """The latest copy readers may be sent to: one whose address is not a
        safe web address is passed over for an older one that is."""
        return next((copy for copy in self.copies if copy.safe_url), None)


def checks_by_url(evidence):
    return {check.url: check for check in loaded(evidence, "source_checks")}


def copies_by_url(evidence):
    copies = {}
    for copy in sorted(
        loaded(evidence, "archived_copies"),
        key=lambda copy: (copy.captured_at, copy.pk),
        reverse=True,
    ):
        copies.setdefault(copy.captured_url, []).append(copy)
    return copies


def record_sources(evidence, version=None):
    """The media's address, then each appearance's, of ``version`` (the record
    itself by default; the admin passes the latest revision)."""
    version = version or evidence
    checks, copies = checks_by_url(evidence), copies_by_url(evidence)

    def source(url, label, pasted=()):
        check = checks.get(url)
        return Source(
            url=url,
            label=label,
            status=check.status if check else SourceStatus.UNKNOWN,
            check=check,
            copies=copies.get(url, []),
            pasted=list(pasted),
        )

    sources = []
    if version.media_url:
        pasted = [
            archive
            for appearance in version.appearances.all()
            if appearance.url == version.media_url
            for archive in appearance.archive_url_list
        ]
        sources.append(source(version.media_url, _("The media"), pasted))
    for appearance in version.appearances.all():
        if appearance.url and appearance.url != version.media_url:
            sources.append(
                source(appearance.url, str(appearance), appearance.archive_url_list)
            )
    return sources


def media_source(evidence):
    """The media's Source, or None when the record has no media address."""
    if not evidence.media_url:
        return None
    checks, copies = checks_by_url(evidence), copies_by_url(evidence)
    check = checks.get(evidence.media_url)
    pasted = [
        archive
        for appearance in loaded(evidence, "appearances")
        if appearance.url == evidence.media_url
        for archive in appearance.archive_url_list
    ]
    return Source(
        url=evidence.media_url,
        label=_("The media"),
        status=check.status if check else SourceStatus.UNKNOWN,
        check=check,
        copies=copies.get(evidence.media_url, []),
        pasted=pasted,
    )


def appearance_copies(evidence, appearance):
    """The captured copies of one appearance's address, latest first."""
    return copies_by_url(evidence).get(appearance.url, [])


# For the reader's include, the API and JSON-LD


def reader_media_source(item):
    """The media's Source for the reader's include, or None."""
    return media_source(item) if item is not None else None


def archived_at(record, url):
    """The archived copies of ``url`` the record holds, latest first: its
    captured ones (the hand-pasted ones are the appearance's own)."""
    return [
        copy.safe_url for copy in copies_by_url(record).get(url, []) if copy.safe_url
    ]


def api_sources(record):
    """The "sources" of the API's representation of a record."""
    media = media_source(record)
    return {
        "media_status": {
            "value": media.status if media else SourceStatus.UNKNOWN.value,
            "label": str(media.status_label if media else SourceStatus.UNKNOWN.label),
        },
        "media_gone": bool(media and media.gone),
        "statuses": [
            {
                "url": check.url,
                "status": {
                    "value": check.status,
                    "label": str(SourceStatus(check.status).label),
                },
            }
            for check in record.source_checks.all()
            if check.status != SourceStatus.UNKNOWN
        ],
        "archived_copies": [
            {
                "url": copy.safe_url,
                "of": copy.captured_url,
                "service": copy.service,
                "captured_at": copy.captured_at.isoformat(),
            }
            for copy in sorted(
                record.archived_copies.all(),
                key=lambda copy: (copy.captured_at, copy.pk),
                reverse=True,
            )
            if copy.safe_url
        ],
    }
