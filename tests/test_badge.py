import pytest
from hypothesis import given
from hypothesis import strategies as st

from wagtail_evidence.badge import derive_badge
from wagtail_evidence.choices import Badge, FacetStatus, Verdict


C, N, D, X, U = (
    FacetStatus.CONFIRMED,
    FacetStatus.NOT_ESTABLISHED,
    FacetStatus.DISPUTED,
    FacetStatus.CONTRADICTED,
    FacetStatus.UNCHECKED,
)


@pytest.mark.parametrize(
    ("statuses", "verdict", "badge"),
    [
        ([C, C, C, C], Verdict.VERIFIED, Badge.VERIFIED),
        ([C, U, U, U], Verdict.VERIFIED, Badge.VERIFIED),
        ([C, N, C, U], Verdict.VERIFIED, Badge.PARTIALLY_VERIFIED),
        ([N, N, U, U], Verdict.VERIFIED, Badge.UNVERIFIED),
        ([U, U, U, U], Verdict.VERIFIED, Badge.UNVERIFIED),
        ([C, C, C, C], Verdict.PENDING, Badge.UNVERIFIED),
        ([C, D, C, C], Verdict.VERIFIED, Badge.DISPUTED),
        ([C, D, C, C], Verdict.PENDING, Badge.DISPUTED),
        ([C, X, D, C], Verdict.VERIFIED, Badge.FALSE_OR_MISLEADING),
        ([C, C, C, C], Verdict.MISLEADING, Badge.FALSE_OR_MISLEADING),
        (["confirmed", "not_established"], "verified", Badge.PARTIALLY_VERIFIED),
    ],
)
def test_badge_table(statuses, verdict, badge):
    assert derive_badge(statuses, verdict) == badge


statuses = st.lists(st.sampled_from(list(FacetStatus)), min_size=4, max_size=4)
verdicts = st.sampled_from(list(Verdict))


@given(statuses, verdicts)
def test_only_the_desks_sign_off_makes_anything_verified(facets, verdict):
    if verdict != Verdict.VERIFIED:
        assert derive_badge(facets, verdict) not in (
            Badge.VERIFIED,
            Badge.PARTIALLY_VERIFIED,
        )


@given(statuses, verdicts)
def test_a_contradicted_facet_always_reads_false_or_misleading(facets, verdict):
    if FacetStatus.CONTRADICTED in facets:
        assert derive_badge(facets, verdict) == Badge.FALSE_OR_MISLEADING


@given(statuses)
def test_verified_means_every_checked_facet_confirmed(facets):
    if derive_badge(facets, Verdict.VERIFIED) == Badge.VERIFIED:
        checked = [f for f in facets if f != FacetStatus.UNCHECKED]
        assert checked and all(f == FacetStatus.CONFIRMED for f in checked)


def test_an_unknown_stored_display_counts_as_link_only():
    from wagtail_evidence.choices import strictest_display

    assert strictest_display("embed", "embedx") == "link"
    assert strictest_display("embed", "") == "embed"
