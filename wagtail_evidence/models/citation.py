"""Since when an article has shown an Evidence record.

A change the desk publishes is a correction for an article only if readers of
that article could have seen the record before it: the article must have been
live with the record in it. The article's first publication is not enough (an
item added to a live article a month later would bring a month of "updates"
with it), so each publication of an article notes the records its evidence
blocks name that it did not name before, and forgets those it no longer names.

Which live pages cite a record now is read from Wagtail's reference index
(``live_pages_citing``), which every page model's stream fields feed.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, ReferenceIndex

from wagtail_evidence.models.evidence import Evidence


class Citation(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="citations",
        verbose_name=_("evidence"),
    )
    since = models.DateTimeField(_("cited since"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "evidence"], name="wagtail_evidence_one_citation"
            )
        ]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return (
            f"{self.page_id} cites {self.evidence_id} since {self.since:%Y-%m-%d %H:%M}"
        )


def record_citations(page, cited_ids):
    """After ``page`` goes live citing ``cited_ids``: those new to it are cited
    from now on; those it no longer cites are forgotten, so that citing one
    again starts afresh. Two or three queries."""
    known = set(
        Citation.objects.filter(page=page).values_list("evidence_id", flat=True)
    )
    dropped = known - cited_ids
    if dropped:
        Citation.objects.filter(page=page, evidence_id__in=dropped).delete()
    now = timezone.now()
    Citation.objects.bulk_create(
        [
            Citation(page_id=page.pk, evidence_id=evidence_id, since=now)
            for evidence_id in sorted(cited_ids - known)
        ],
        ignore_conflicts=True,  # two publications at once: the first one stands
    )


def note_citations(sender, instance, **kwargs):
    """page_published: every path an article goes live by (the publish button,
    a workflow's approval, a schedule, ``revision.publish()``) sends it."""
    from wagtail_evidence.models.article import EvidenceArticleMixin

    if isinstance(instance, EvidenceArticleMixin):
        record_citations(instance, instance.evidence_citations().block_evidence_ids)


def live_pages_citing(evidence_ids):
    """The ids of the live pages whose reference index rows point at any of
    these records, in order: two queries."""
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Evidence),
        to_object_id__in=[str(pk) for pk in evidence_ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    page_ids = {
        int(object_id) for object_id in references.values_list("object_id", flat=True)
    }
    if not page_ids:
        return []
    return list(
        Page.objects.live()
        .filter(pk__in=page_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
