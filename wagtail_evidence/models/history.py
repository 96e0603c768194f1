"""What readers are told changed about a published item: its badge, its
warning, or the status of one of its facets.

An entry is written when a new version of a record is published and the
badge, the content warning or a facet's status differs from what readers saw
before: the live version, or, for a record withdrawn and published again, the
version they saw before the withdrawal. Drafts never leave a public trace; the
full trail, with who and why, is in the audit log.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.badge import derive_badge
from wagtail_evidence.choices import Badge, FacetStatus, WarningLevel
from wagtail_evidence.facets import (
    FACET_STATUS_FIELDS,
    FACETS,
    FACETS_BY_KEY,
    STATUS_LABELS,
)


class PublicChange(models.Model):
    class Aspect(models.TextChoices):
        BADGE = "badge", _("badge")
        WARNING = "warning", _("content warning")
        # A facet's status, keyed as facets.FACETS are.
        WHERE = "where", _("location status")
        WHEN = "when", _("date status")
        WHO = "who", _("identification status")
        AUTHENTICITY = "authenticity", _("authenticity status")

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="public_changes",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    aspect = models.CharField(_("what changed"), max_length=16, choices=Aspect.choices)
    before = models.CharField(_("before"), max_length=32)
    after = models.CharField(_("after"), max_length=32)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("public change")
        verbose_name_plural = _("public changes")

    def __str__(self):
        return f"{self.get_aspect_display()}: {self.before_label} → {self.after_label}"

    @property
    def is_facet(self):
        return self.aspect in FACET_ASPECTS

    def label(self, value):
        if self.aspect == self.Aspect.BADGE:
            return Badge(value).label
        if self.aspect == self.Aspect.WARNING:
            return WarningLevel(value).label
        return STATUS_LABELS[self.aspect].get(value, FacetStatus(value).label)

    @property
    def facet_label(self):
        return FACETS_BY_KEY[self.aspect].label if self.is_facet else ""

    @property
    def before_label(self):
        return self.label(self.before)

    @property
    def after_label(self):
        return self.label(self.after)


PUBLIC_FIELDS = (*FACET_STATUS_FIELDS, "verdict", "warning_level")


def public_state(values):
    """{aspect: value} of what readers see, from a record's public fields."""
    badge = derive_badge(
        [values[name] for name in FACET_STATUS_FIELDS], values["verdict"]
    )
    return {
        PublicChange.Aspect.BADGE: str(badge),
        PublicChange.Aspect.WARNING: values["warning_level"],
        **{spec.key: values[spec.status_field] for spec in FACETS},
    }


def live_public_state(record):
    """What readers see of ``record`` now, as the database holds it, {aspect:
    value}, or None when it is not live."""
    values = (
        type(record)
        .objects.filter(pk=record.pk, live=True)
        .values(*PUBLIC_FIELDS)
        .first()
    )
    return public_state(values) if values is not None else None


def last_public_state(record):
    """What readers last saw of a record that is not live now (withdrawn since
    it was published): the public state of the revision it last went live
    with; None for a record that never did."""
    from wagtail.log_actions import registry

    entry = (
        registry.get_logs_for_instance(record)
        .filter(action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return None
    published = entry.revision.as_object()
    return public_state({name: getattr(published, name) for name in PUBLIC_FIELDS})


def public_state_before_publishing(record):
    """What readers saw before this publication: the live version's state, or,
    for a record withdrawn and now published again, what they saw before the
    withdrawal, so that a verdict changed while it was offline is a
    correction too."""
    return live_public_state(record) or last_public_state(record)


def record_public_changes(record, before):
    """Write an entry for each aspect that differs from ``before``, now published;
    return the entries written."""
    after = live_public_state(record)
    if before is None or after is None:
        return []
    # A facet nobody had checked, now checked, is news to no one: readers never
    # saw it. Only a status readers saw, changed, is a correction.
    return PublicChange.objects.bulk_create(
        PublicChange(
            evidence_id=record.pk,
            aspect=aspect,
            before=before[aspect],
            after=after[aspect],
        )
        for aspect in PublicChange.Aspect
        if before[aspect] != after[aspect]
        and not (aspect in FACET_ASPECTS and before[aspect] == FacetStatus.UNCHECKED)
    )


FACET_ASPECTS = {spec.key for spec in FACETS}
