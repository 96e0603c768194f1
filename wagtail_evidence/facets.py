"""The four facets of verification of an Evidence record, as readers see them."""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from wagtail_evidence.choices import CreditRole, FacetStatus
from wagtail_evidence.dates import format_with_precision
from wagtail_evidence.geo.location import place_name, public_location
from wagtail_evidence.i18n import format_list


@dataclass
class Facet:
    key: str
    label: str
    status: FacetStatus
    summary: str
    method: str
    credits: list = field(default_factory=list)
    credit_phrase: str = ""
    location: object = None  # the "where" facet's geo.location.PublicLocation

    @property
    def is_checked(self):
        return self.status != FacetStatus.UNCHECKED

    @property
    def status_label(self):
        """The status, worded for this facet (see STATUS_LABELS)."""
        return STATUS_LABELS.get(self.key, {}).get(self.status, self.status.label)


@dataclass(frozen=True)
class FacetSpec:
    """One facet: the record's fields for it, and how readers are told of it."""

    key: str
    label: str
    status_field: str
    method_field: str
    credit_role: str  # the credits shown beside it
    credit_phrase: str  # what comes before their names
    noun: str  # what the badge's one line calls it ("place and date confirmed")


FACETS = (
    FacetSpec(
        "where",
        _("Location"),
        "location_status",
        "location_method",
        CreditRole.GEOLOCATION,
        _("geolocated by"),
        pgettext_lazy("a facet, in a badge's summary", "place"),
    ),
    FacetSpec(
        "when",
        _("Date filmed"),
        "date_status",
        "date_method",
        CreditRole.CHRONOLOCATION,
        _("dated by"),
        pgettext_lazy("a facet, in a badge's summary", "date"),
    ),
    FacetSpec(
        "who",
        _("Who appears"),
        "identity_status",
        "identity_method",
        CreditRole.IDENTIFICATION,
        _("identified by"),
        pgettext_lazy("a facet, in a badge's summary", "who appears"),
    ),
    FacetSpec(
        "authenticity",
        _("Authenticity"),
        "authenticity_status",
        "authenticity_method",
        CreditRole.VERIFICATION,
        _("verified by"),
        pgettext_lazy("a facet, in a badge's summary", "authenticity"),
    ),
)

FACET_STATUS_FIELDS = tuple(spec.status_field for spec in FACETS)
FACETS_BY_KEY = {spec.key: spec for spec in FACETS}

# A facet's status as readers read it after the facet's name ("Location:
# Confirmed"), per facet, so that translations agree with its noun (French
# "Lieu : confirmé", "Date de tournage : confirmée").
STATUS_LABELS = {
    "where": {
        FacetStatus.CONFIRMED: pgettext_lazy("status of the location", "Confirmed"),
        FacetStatus.NOT_ESTABLISHED: pgettext_lazy(
            "status of the location", "Not established"
        ),
        FacetStatus.DISPUTED: pgettext_lazy("status of the location", "Disputed"),
        FacetStatus.CONTRADICTED: pgettext_lazy(
            "status of the location", "Contradicted"
        ),
    },
    "when": {
        FacetStatus.CONFIRMED: pgettext_lazy("status of the date filmed", "Confirmed"),
        FacetStatus.NOT_ESTABLISHED: pgettext_lazy(
            "status of the date filmed", "Not established"
        ),
        FacetStatus.DISPUTED: pgettext_lazy("status of the date filmed", "Disputed"),
        FacetStatus.CONTRADICTED: pgettext_lazy(
            "status of the date filmed", "Contradicted"
        ),
    },
    "who": {
        FacetStatus.CONFIRMED: pgettext_lazy("status of who appears", "Confirmed"),
        FacetStatus.NOT_ESTABLISHED: pgettext_lazy(
            "status of who appears", "Not established"
        ),
        FacetStatus.DISPUTED: pgettext_lazy("status of who appears", "Disputed"),
        FacetStatus.CONTRADICTED: pgettext_lazy(
            "status of who appears", "Contradicted"
        ),
    },
    "authenticity": {
        FacetStatus.CONFIRMED: pgettext_lazy("status of the authenticity", "Confirmed"),
        FacetStatus.NOT_ESTABLISHED: pgettext_lazy(
            "status of the authenticity", "Not established"
        ),
        FacetStatus.DISPUTED: pgettext_lazy("status of the authenticity", "Disputed"),
        FacetStatus.CONTRADICTED: pgettext_lazy(
            "status of the authenticity", "Contradicted"
        ),
    },
}

# What a facet says when people are credited for it, as whole sentences a
# translator can reorder: (with a summary, without one). Placeholders: status,
# summary (the place, the date, who appears...) and names (the credits).
CREDITED_SENTENCES = {
    "where": (
        _("%(status)s: %(summary)s, geolocated by %(names)s"),
        _("%(status)s, geolocated by %(names)s"),
    ),
    "when": (
        _("%(status)s: %(summary)s, dated by %(names)s"),
        _("%(status)s, dated by %(names)s"),
    ),
    "who": (
        _("%(status)s: %(summary)s, identified by %(names)s"),
        _("%(status)s, identified by %(names)s"),
    ),
    "authenticity": (
        _("%(status)s: %(summary)s, verified by %(names)s"),
        _("%(status)s, verified by %(names)s"),
    ),
}
# Translators: a facet's status and what was found, e.g. "Confirmed: Horadiz, Azerbaijan".
SUMMARY_SENTENCE = _("%(status)s: %(summary)s")


def facet_sentence(facet, names=""):
    """What readers read of ``facet`` after its name, as one translated pattern.
    ``names`` is the credits, already formatted as a list (see i18n.format_list).
    Returns the pattern and its values, for the caller to fill and escape."""
    values = {"status": facet.status_label, "summary": facet.summary, "names": names}
    if names:
        with_summary, without_summary = CREDITED_SENTENCES[facet.key]
        return (with_summary if facet.summary else without_summary), values
    if facet.summary:
        return SUMMARY_SENTENCE, values
    return "%(status)s", values


# The badge's one line: each status, then the facets in it ("Confirmed: place
# and date; not established: who appears"). A status before its facets, so
# that no translation has to make an adjective agree with a list of nouns.
SUMMARY_PARTS = (
    (FacetStatus.CONFIRMED, _("confirmed: %(facets)s")),
    (FacetStatus.NOT_ESTABLISHED, _("not established: %(facets)s")),
    (FacetStatus.DISPUTED, _("disputed: %(facets)s")),
    (FacetStatus.CONTRADICTED, _("contradicted: %(facets)s")),
    (FacetStatus.UNCHECKED, _("not checked: %(facets)s")),
)


def badge_summary(facets):
    """What was confirmed and what was not, in one line, every facet named once."""
    parts = []
    for status, pattern in SUMMARY_PARTS:
        nouns = [
            FACETS_BY_KEY[facet.key].noun for facet in facets if facet.status == status
        ]
        if nouns:
            parts.append(pattern % {"facets": format_list(nouns, html=False)})
    # Translators: between the parts of a badge's summary.
    line = pgettext("between the parts of a badge's summary", "; ").join(parts)
    return capfirst(line)


def _summary(evidence, key):
    if key == "where":
        return place_name(evidence)
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
            key=spec.key,
            label=spec.label,
            status=FacetStatus(getattr(evidence, spec.status_field)),
            summary=_summary(evidence, spec.key),
            method=getattr(evidence, spec.method_field),
            credits=[credit for credit in credits if credit.role == spec.credit_role],
            credit_phrase=spec.credit_phrase,
            location=public_location(evidence) if spec.key == "where" else None,
        )
        for spec in FACETS
    ]
