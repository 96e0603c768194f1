"""Corrections readers cannot miss: what the desk changed, after an article
went live, in the evidence it cites (a badge, a content warning, a facet's
status), as dated sentences for the notice at the top of the article, its
JSON-LD and the site's corrections listing.

The changes are the records' public history (models.history.PublicChange):
written only when a live record's new version is published, so nothing a
draft went through is ever shown.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from wagtail_evidence.i18n import format_pattern, isolate


@dataclass(frozen=True)
class Correction:
    change: object  # a PublicChange, its evidence loaded
    page: object = None  # the article it corrects, in the site-wide listing

    @property
    def changed_at(self):
        return self.change.changed_at

    @property
    def anchor(self):
        return f"evidence-{self.change.evidence_id}"

    def sentence(self, html=True):
        change, title = self.change, self.change.evidence.title
        if change.aspect == change.Aspect.BADGE:
            pattern = _("Our desk now rates “%(item)s” %(after)s; it was %(before)s.")
        elif change.aspect == change.Aspect.WARNING:
            pattern = _(
                "The content warning of “%(item)s” is now %(after)s; it was %(before)s."
            )
        else:
            pattern = _("%(facet)s of “%(item)s”: now %(after)s; it was %(before)s.")
        values = {
            "item": isolate(title) if html else title,
            "facet": change.facet_label,
            "before": change.before_label,
            "after": change.after_label,
        }
        return format_pattern(pattern, values, html)

    @property
    def html(self):
        return self.sentence(html=True)

    @property
    def text(self):
        return self.sentence(html=False)


def citation_starts(page_ids, evidence_ids):
    """{(page id, evidence id): since} as models.citation noted them, in one query."""
    citation = apps.get_model("wagtail_evidence", "Citation")
    return {
        (page_id, evidence_id): since
        for page_id, evidence_id, since in citation.objects.filter(
            page_id__in=page_ids, evidence_id__in=evidence_ids
        ).values_list("page_id", "evidence_id", "since")
    }


def cited_since(page):
    """{evidence id: since when ``page`` has shown it} for the records it shows:
    when it first went live with the record in it (models.citation), or, for a
    record it cites with no such note, its own first publication. One query,
    once per page object: the notice and the JSON-LD share it."""
    known = getattr(page, "_evidence_cited_since", None)
    if known is None:
        records = [record.pk for record in page.cited_evidence()]
        noted = citation_starts([page.pk], records)
        known = {
            pk: noted.get((page.pk, pk), page.first_published_at) for pk in records
        }
        page._evidence_cited_since = known
        page._evidence_citations_noted = len(noted) == len(records)
    return known


def citations_noted(page):
    """Whether what was read of ``page`` holds since when it shows each record
    for every one (models.citation): not for a reader who came between the
    save of a publication and the noting (Wagtail sends page_published after
    the row is saved, in no transaction of its own). True when nothing asked."""
    return getattr(page, "_evidence_citations_noted", True)


def item_corrections(item, since):
    """The corrections of one record made after ``since`` (when the article
    began to show it), from the history the batch loader prefetched, newest
    first."""
    if since is None:
        return []
    corrections = []
    for change in item.public_changes.all():
        if change.changed_at > since:
            change.evidence = item
            corrections.append(Correction(change))
    return sorted(corrections, key=lambda c: (c.changed_at, c.change.pk), reverse=True)


def article_corrections(page):
    """The corrections of ``page``: changes to each record it shows made since
    it began to show it. Two queries: when it began, and the histories."""
    if page.first_published_at is None:
        return []
    public_change = apps.get_model("wagtail_evidence", "PublicChange")
    records = {record.pk: record for record in page.cited_evidence()}
    if not records:
        return []
    since = cited_since(page)
    changes = public_change.objects.filter(
        evidence_id__in=records, changed_at__gt=min(since.values())
    ).order_by("-changed_at", "-pk")
    corrections = []
    for change in changes:
        if change.changed_at > since[change.evidence_id]:
            change.evidence = records[change.evidence_id]
            corrections.append(Correction(change))
    return corrections


def recent_corrections(limit=50):
    """The site's latest corrections: each change of published evidence, once
    for every live article that cited it before the change, newest first.

    Changes are read newest first, a batch at a time, until ``limit``
    corrections are found or none are left: a change may correct no article
    (nothing live cites it any more) or several. Four queries a batch; one
    batch is the rule."""
    public_change = apps.get_model("wagtail_evidence", "PublicChange")
    changes = (
        # A record withdrawn since is shown as withdrawn: nothing of it here.
        public_change.objects.filter(evidence__live=True)
        .select_related("evidence")
        .order_by("-changed_at", "-pk")
    )
    corrections, size, start = [], max(limit, 100), 0
    while len(corrections) < limit:
        batch = list(changes[start : start + size])
        corrections += corrections_of(batch)
        if len(batch) < size:
            break
        start += size
    return corrections[:limit]


def corrections_of(changes):
    """A correction for each change and each live article that showed its
    record before it."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    evidence = apps.get_model("wagtail_evidence", "Evidence")
    citing = {}
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(evidence),
        to_object_id__in={str(change.evidence_id) for change in changes},
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", "object_id")
    for evidence_id, page_id in references:
        citing.setdefault(int(evidence_id), set()).add(int(page_id))
    pages = (
        Page.objects.live()
        .public()
        .in_bulk({page_id for ids in citing.values() for page_id in ids})
    )
    since = citation_starts(pages, {change.evidence_id for change in changes})
    corrections = []
    for change in changes:
        for page_id in sorted(citing.get(change.evidence_id, ())):
            page = pages.get(page_id)
            if page is None or page.first_published_at is None:
                continue
            began = since.get((page_id, change.evidence_id), page.first_published_at)
            if began < change.changed_at:
                corrections.append(Correction(change, page))
    return corrections
