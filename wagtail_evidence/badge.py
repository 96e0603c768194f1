"""The reader-facing badge, derived from the facets and the verdict, never typed.

A pure function over plain values so that it is tested on its own
(tests/test_badge.py) and explained in one place (docs/explanation/verification-model.md):

1. The desk's verdict "false or misleading", or any facet contradicted by what
   was found, gives **False or misleading**.
2. Otherwise any disputed facet gives **Disputed**.
3. Otherwise, until the verification desk signs the record off, **Unverified**,
   whatever the facets say: only the desk marks evidence verified.
4. Signed off: every checked facet confirmed gives **Verified**; some confirmed
   and some not established gives **Partially verified**; none confirmed gives
   **Unverified**. Facets nobody checked do not count either way.
"""

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.choices import Badge, FacetStatus, Verdict
from wagtail_evidence.facets import FACET_STATUS_FIELDS


# The rules below, as the legend tells readers (includes/badge_legend.html).
BADGE_MEANINGS = {
    Badge.VERIFIED: _(
        "Our verification desk signed it off, and everything it checked was confirmed."
    ),
    Badge.PARTIALLY_VERIFIED: _(
        "Our verification desk signed it off: some of what it checked was "
        "confirmed, some could not be established. The line under the badge says which."
    ),
    Badge.UNVERIFIED: _(
        "Our verification desk has not signed it off, or could confirm none of it."
    ),
    Badge.DISPUTED: _(
        "Credible evidence disputes where, when, who or whether it is authentic, "
        "and nothing contradicts it outright."
    ),
    Badge.FALSE_OR_MISLEADING: _(
        "Our verification desk found it false or misleading, or what we found "
        "contradicts what it is said to show."
    ),
}


def derive_badge(facet_statuses, verdict):
    statuses = [FacetStatus(status) for status in facet_statuses]
    if verdict == Verdict.MISLEADING or FacetStatus.CONTRADICTED in statuses:
        return Badge.FALSE_OR_MISLEADING
    if FacetStatus.DISPUTED in statuses:
        return Badge.DISPUTED
    if verdict != Verdict.VERIFIED:
        return Badge.UNVERIFIED
    checked = [status for status in statuses if status != FacetStatus.UNCHECKED]
    confirmed = checked.count(FacetStatus.CONFIRMED)
    if confirmed and confirmed == len(checked):
        return Badge.VERIFIED
    if confirmed:
        return Badge.PARTIALLY_VERIFIED
    return Badge.UNVERIFIED


def badge_q(badge):
    """The same rules as derive_badge, as a database filter, for the register."""
    any_facet = status_q
    false = Q(verdict=Verdict.MISLEADING) | any_facet(FacetStatus.CONTRADICTED)
    settled = ~false & ~any_facet(FacetStatus.DISPUTED)
    signed_off = Q(verdict=Verdict.VERIFIED) & any_facet(FacetStatus.CONFIRMED)
    unsure = any_facet(FacetStatus.NOT_ESTABLISHED)
    return {
        Badge.FALSE_OR_MISLEADING: false,
        Badge.DISPUTED: ~false & any_facet(FacetStatus.DISPUTED),
        Badge.VERIFIED: settled & signed_off & ~unsure,
        Badge.PARTIALLY_VERIFIED: settled & signed_off & unsure,
        Badge.UNVERIFIED: settled & ~signed_off,
    }[Badge(badge)]


def badge_expression():
    """The same rules again, as one SQL expression whose value is the badge.

    The register filters on it, and the database indexes it (migration 0011):
    an index over an expression is recomputed by the database on every write
    of the row, so it cannot fall out of step with the facets and the verdict
    the way a stored badge column could."""
    any_facet = status_q
    signed_off = Q(verdict=Verdict.VERIFIED) & any_facet(FacetStatus.CONFIRMED)
    rules = [  # in derive_badge's order: the first that holds gives the badge
        (
            Q(verdict=Verdict.MISLEADING) | any_facet(FacetStatus.CONTRADICTED),
            Badge.FALSE_OR_MISLEADING,
        ),
        (any_facet(FacetStatus.DISPUTED), Badge.DISPUTED),
        (signed_off & ~any_facet(FacetStatus.NOT_ESTABLISHED), Badge.VERIFIED),
        (signed_off, Badge.PARTIALLY_VERIFIED),
    ]
    return Case(
        *(When(rule, then=Value(badge.value)) for rule, badge in rules),
        default=Value(Badge.UNVERIFIED.value),
        output_field=CharField(max_length=32),
    )


def status_q(status):
    """Records with any facet in ``status``."""
    query = Q()
    for field in FACET_STATUS_FIELDS:
        query |= Q(**{field: status})
    return query
