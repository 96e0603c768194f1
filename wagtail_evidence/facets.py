"""The four facets of verification of an Evidence record, as readers see them."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import CreditRole, FacetStatus
from wagtail_evidence.dates import format_with_precision


@dataclass
class Facet:
    key: str
    label: str
    status: FacetStatus
    summary: str
    method: str
    credits: list = field(default_factory=list)
    credit_phrase: str = ""

    @property
    def is_checked(self):
        return self.status != FacetStatus.UNCHECKED


# facet key: (label, status field, method field, credit role, phrase before names)
FACETS = {
    "where": (
        _("Location"),
        "location_status",
        "location_method",
        CreditRole.GEOLOCATION,
        _("geolocated by"),
    ),
    "when": (
        _("Date filmed"),
        "date_status",
        "date_method",
        CreditRole.CHRONOLOCATION,
        _("dated by"),
    ),
    "who": (
        _("Who appears"),
        "identity_status",
        "identity_method",
        CreditRole.IDENTIFICATION,
        _("identified by"),
    ),
    "authenticity": (
        _("Authenticity"),
        "authenticity_status",
        "authenticity_method",
        CreditRole.VERIFICATION,
        _("verified by"),
    ),
}

FACET_STATUS_FIELDS = tuple(spec[1] for spec in FACETS.values())


def _summary(evidence, key):
    if key == "where":
        return ", ".join(
            part for part in (evidence.place, evidence.region, evidence.country) if part
        )
    if key == "when":
        return format_with_precision(evidence.filmed_on, evidence.filmed_on_precision)
    if key == "who":
        return evidence.identified
    if evidence.authenticity_category:
        return evidence.get_authenticity_category_display()
    return ""


def facets_of(evidence):
    """The facets of ``evidence`` in reading order. Uses its prefetched credits."""
    credits = list(evidence.credits.all())
    return [
        Facet(
            key=key,
            label=label,
            status=FacetStatus(getattr(evidence, status_field)),
            summary=_summary(evidence, key),
            method=getattr(evidence, method_field),
            credits=[credit for credit in credits if credit.role == role],
            credit_phrase=phrase,
        )
        for key, (label, status_field, method_field, role, phrase) in FACETS.items()
    ]
