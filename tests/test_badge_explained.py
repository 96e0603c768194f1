"""A badge that explains itself: the line under it names what was confirmed and
what was not, for every combination of statuses the facets allow, and links to
a legend whose words hold for each of those combinations."""

import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from tests.factories import evidence_block, make_article, make_evidence
from tests.reading import item, read, read_api, shown, text
from wagtail_evidence.badge import BADGE_MEANINGS, derive_badge
from wagtail_evidence.choices import Badge, FacetStatus, Verdict
from wagtail_evidence.facets import FACETS, Facet, badge_summary


STATUSES = list(FacetStatus)
NOUNS = {
    "where": "place",
    "when": "date",
    "who": "who appears",
    "authenticity": "authenticity",
}
WORDS = {
    "confirmed": FacetStatus.CONFIRMED,
    "not established": FacetStatus.NOT_ESTABLISHED,
    "disputed": FacetStatus.DISPUTED,
    "contradicted": FacetStatus.CONTRADICTED,
    "not checked": FacetStatus.UNCHECKED,
}


def facets(statuses):
    return [
        Facet(key=spec.key, label=spec.label, status=status, summary="", method="")
        for spec, status in zip(FACETS, statuses, strict=True)
    ]


def read_summary(line):
    """{facet noun: status} from an English summary line, refusing any noun
    named twice or a part it cannot read."""
    found = {}
    for part in line.split("; "):
        words, _colon, nouns = part.partition(": ")
        status = WORDS[words.lower()]
        names = nouns.replace(" and ", ", ").split(", ")
        for name in names:
            assert name not in found, f"{name} named twice in {line!r}"
            found[name] = status
    return found


ALL_CASES = list(itertools.product(STATUSES, repeat=len(FACETS)))


def test_every_combination_is_summed_up_each_facet_once_under_its_status():
    assert len(ALL_CASES) == 5**4
    with translation.override("en"):
        for statuses in ALL_CASES:
            line = badge_summary(facets(statuses))
            assert line[0].isupper(), line
            expected = {
                NOUNS[spec.key]: status
                for spec, status in zip(FACETS, statuses, strict=True)
            }
            assert read_summary(line) == expected, line


def test_the_line_reads_as_a_reader_would_read_it():
    statuses = [
        FacetStatus.CONFIRMED,
        FacetStatus.NOT_ESTABLISHED,
        FacetStatus.CONFIRMED,
        FacetStatus.UNCHECKED,
    ]
    with translation.override("en"):
        assert badge_summary(facets(statuses)) == (
            "Confirmed: place and who appears; not established: date; "
            "not checked: authenticity"
        )
    # A status before its facets: no adjective has to agree with a list.
    with translation.override("fr"):
        assert badge_summary(facets(statuses)) == (
            "Confirmé\u00a0: lieu et qui apparaît\u00a0; non établi\u00a0: date\u00a0; "
            "non vérifié\u00a0: authenticité"
        )


@pytest.mark.parametrize("verdict", list(Verdict))
def test_the_legend_holds_for_every_case_the_facets_allow(verdict):
    """Each badge's meaning in the legend, held against the line under it."""
    seen = set()
    with translation.override("en"):
        for statuses in ALL_CASES:
            badge = derive_badge(statuses, verdict)
            seen.add(badge)
            parts = {
                WORDS[part.split(": ")[0].lower()]
                for part in badge_summary(facets(statuses)).split("; ")
            }
            checked = parts - {FacetStatus.UNCHECKED}
            if badge == Badge.VERIFIED:
                # "everything it checked was confirmed"
                assert verdict == Verdict.VERIFIED and checked == {
                    FacetStatus.CONFIRMED
                }
            elif badge == Badge.PARTIALLY_VERIFIED:
                # "some confirmed, some could not be established; the line says which"
                assert verdict == Verdict.VERIFIED
                assert checked == {FacetStatus.CONFIRMED, FacetStatus.NOT_ESTABLISHED}
            elif badge == Badge.DISPUTED:
                assert FacetStatus.DISPUTED in checked
                assert FacetStatus.CONTRADICTED not in checked
            elif badge == Badge.FALSE_OR_MISLEADING:
                assert (
                    verdict == Verdict.MISLEADING or FacetStatus.CONTRADICTED in checked
                )
            else:
                # "not signed off, or could confirm none of it"
                assert badge == Badge.UNVERIFIED
                assert (
                    verdict != Verdict.VERIFIED or FacetStatus.CONFIRMED not in checked
                )
    expected = {
        Verdict.PENDING: {Badge.UNVERIFIED, Badge.DISPUTED, Badge.FALSE_OR_MISLEADING},
        Verdict.VERIFIED: set(Badge),
        Verdict.MISLEADING: {Badge.FALSE_OR_MISLEADING},
    }[verdict]
    assert seen == expected
    assert set(BADGE_MEANINGS) == set(Badge)


# On the reader page


def article_with(evidence):
    return make_article([evidence_block(evidence)])


@pytest.mark.django_db
def test_the_line_under_the_badge_links_to_the_legend_at_the_foot(client):
    evidence = make_evidence(identity_status="confirmed", identified="A unit")
    soup = read(client, article_with(evidence))
    section = item(soup, evidence.title)
    summary = section.select_one(".evidence-badge__summary")
    assert text(summary) == (
        "Confirmed: place and who appears; not established: date; "
        "not checked: authenticity What the badges mean"
    )
    link = summary.select_one("a")
    assert link["href"] == "#evidence-legend"
    legend = soup.find(id="evidence-legend")
    assert legend is not None and legend.find_parent("article") is not None
    assert [text(dt) for dt in legend.select("dt")] == [badge.label for badge in Badge]
    assert [text(dd) for dd in legend.select("dd")] == [
        str(BADGE_MEANINGS[badge]) for badge in Badge
    ]
    assert legend.select_one(".evidence-legend__method") is None  # no page named


@pytest.mark.django_db
def test_an_article_citing_no_evidence_has_no_legend(client):
    soup = read(client, make_article([]))
    assert soup.find(id="evidence-legend") is None


@pytest.mark.django_db
def test_the_legend_links_to_the_newsrooms_method_page_in_the_readers_language(
    client, settings
):
    settings.WAGTAIL_EVIDENCE = {
        "METHOD_PAGE": {"en": "/how-we-verify/", "fr": "/fr/notre-methode/"}
    }
    article = article_with(make_evidence())
    legend = read(client, article).find(id="evidence-legend")
    link = legend.select_one(".evidence-legend__method a")
    assert (text(link), link["href"]) == ("How we verify", "/how-we-verify/")
    settings.WAGTAIL_EVIDENCE = {"METHOD_PAGE": "https://newsroom.example/method"}
    legend = read(client, article_with(make_evidence(title="B"))).find(
        id="evidence-legend"
    )
    assert legend.select_one(".evidence-legend__method a")["href"] == (
        "https://newsroom.example/method"
    )


@pytest.mark.django_db
def test_the_legend_link_can_point_elsewhere_or_nowhere(client, settings):
    settings.WAGTAIL_EVIDENCE = {"BADGE_LEGEND_URL": "/badges/"}
    evidence = make_evidence()
    section = item(read(client, article_with(evidence)), evidence.title)
    assert section.select_one(".evidence-badge__legend-link")["href"] == "/badges/"
    settings.WAGTAIL_EVIDENCE = {"BADGE_LEGEND_URL": None}
    evidence = make_evidence(title="Another")
    section = item(read(client, article_with(evidence)), evidence.title)
    assert section.select_one(".evidence-badge__legend-link") is None
    assert section.select_one(".evidence-badge__summary") is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("BADGE_LEGEND_URL", "javascript:alert(1)"),
        ("METHOD_PAGE", "//evil.example/"),
        ("METHOD_PAGE", {"en": "http://127.0.0.1/admin/"}),
    ],
)
def test_a_setting_that_is_no_safe_address_is_said_to_be_wrong(
    client, settings, key, value
):
    settings.WAGTAIL_EVIDENCE = {key: value}
    with pytest.raises(ImproperlyConfigured, match=key):
        client.get(article_with(make_evidence()).url)


@pytest.mark.django_db
def test_the_api_gives_the_line(client):
    evidence = make_evidence()
    data = read_api(client, article_with(evidence), fields="body")
    assert shown(data, evidence.title)["evidence"]["badge"]["summary"] == (
        "Confirmed: place; not established: date; not checked: who appears and "
        "authenticity"
    )
