"""Recycled footage in the admin: the record's near-duplicates on its form, a
warning after the save that attached such media, and what the admin says when
the checks are off or cannot see into videos.

A warning, never a refusal: old footage shared again is itself news, and the
desk decides what the record says about it (its verdict, its authenticity).
A copy of a record (admin/views/copy.py) keeps the original's poster, so it is
flagged as a near-duplicate of its source until it gets media of its own: that
is the point of the flag, as a copy exists to describe other media.
"""

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from wagtail_evidence.dates import format_with_precision
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.i18n import format_pattern, isolate
from wagtail_evidence.media import perceptual
from wagtail_evidence.models import Appearance, NearDuplicate
from wagtail_evidence.models.near_duplicates import media_sources


def near_duplicates_of(evidence):
    """The records that ``evidence`` looks like, nearest first, each with the
    date its earliest appearance was online since. One query."""
    if evidence.pk is None:
        return []
    earliest = Appearance.objects.filter(
        evidence=OuterRef("other_id"), first_seen__isnull=False
    ).order_by("first_seen", "pk")
    return list(
        NearDuplicate.objects.filter(evidence_id=evidence.pk)
        .select_related("other")
        .annotate(
            first_seen=Subquery(earliest.values("first_seen")[:1]),
            first_seen_precision=Subquery(earliest.values("first_seen_precision")[:1]),
        )
        .order_by("distance", "other__title", "other_id")
    )


def describe(match, user):
    """'Looks like “Convoy in Horadiz” (Verified), first seen 27 Sep 2020', as
    HTML: the title escaped, isolated, and a link to the record only for a
    user who may edit it."""
    other = match.other
    title = isolate(other.title)
    if evidence_permission_policy.user_has_permission_for_instance(
        user, "change", other
    ):
        url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[other.pk])
        title = format_html('<a href="{}">{}</a>', url, title)
    values = {"title": title, "badge": other.badge.label}
    if match.first_seen:
        values["date"] = format_with_precision(
            match.first_seen, match.first_seen_precision
        )
        # Translators: an alert on an evidence record; the title of another record, its badge, and the date it was first online.
        pattern = _("Looks like “%(title)s” (%(badge)s), first seen %(date)s.")
    else:
        # Translators: an alert on an evidence record; the title of another record and its badge.
        pattern = _("Looks like “%(title)s” (%(badge)s).")
    return format_pattern(pattern, values)


def limits_of_the_check(evidence):
    """What the check cannot see, said where the editor looks."""
    if not perceptual.hashing_available():
        return [
            _(
                "Near-duplicate checks are off: the server does not have the "
                "fingerprints extra (pip install “wagtail-evidence[fingerprints]”)."
            )
        ]
    if perceptual.ffmpeg_path() is None and any(
        is_video for *_, is_video in media_sources(evidence)
    ):
        return [
            _(
                "The video's key frames are not compared with other records: "
                "ffmpeg is not installed on the server. The poster and images are."
            )
        ]
    return []


class NearDuplicatesPanel(Panel):
    """On the record's form: the records its media looks like."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Recycled footage"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_evidence/admin/near_duplicates_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            user = self.request.user
            context["near_duplicates"] = [
                describe(match, user) for match in near_duplicates_of(self.instance)
            ]
            context["limits"] = limits_of_the_check(self.instance)
            context["checks_on"] = perceptual.hashing_available()
            context["has_media"] = bool(
                self.instance.poster_id
                or self.instance.original_file_id
                or self.instance.video_file_id
            )
            return context


def warn_of_near_duplicates(request, evidence):
    """after_create_snippet and after_edit_snippet: the media this save
    attached looks like another record's. Shown on the page the save leads
    to; an autosave, or a save that attached nothing new, leaves it to the
    form's panel."""
    if not request.accepts("text/html"):
        return  # an autosave: its answer is JSON, and messages would pile up
    if not evidence.__dict__.get("_near_duplicates_refreshed"):
        return  # another snippet, or the same media as before
    for match in near_duplicates_of(evidence):
        messages.warning(request, describe(match, request.user))
