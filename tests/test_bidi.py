"""Editor-written text cannot reorder the text around it (bidi spoofing).

A U+202E RIGHT-TO-LEFT OVERRIDE in a title, or an isolate control left open,
reorders everything after it up to the end of the paragraph: "Verified" could
read as if it belonged to another item. Every place the package prints editor
text must wrap it in its own isolate: a <bdi>, or an element with a ``dir``
attribute holding that text alone. Checked on the HTML as a browser parses it
(html5lib), on the reader page and on each admin page that prints it.
"""

import datetime
import json
import re
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup, Comment
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.factories import (
    evidence_block,
    in_order,
    make_article,
    make_article_workflow,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Appearance, Credit, Evidence


pytestmark = pytest.mark.django_db

RLO, LRI, RLI, FSI, PDI = "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"


def hostile(field):
    """A value for ``field``: an override and isolates left open, a stray PDI,
    Arabic beside Latin, and markup that must stay text. Unique per field, so
    each occurrence found is known to come from that field."""
    return f"{RLO}{field} {RLI}تم التحقق{PDI}{PDI} {LRI}Verified {FSI}<i>&amp; 12"


FIELDS = [
    "title",
    "heading",
    "caption",
    "disclosure",
    "description",
    "place",
    "region",
    "country",
    "identified",
    "location_method",
    "date_method",
    "identity_method",
    "authenticity_method",
    "verdict_note",
    "credit_name",
    "credit_organisation",
    "account",
    "appearance_note",
    "statement",
    "claimant",
    "dated_claimant",
    "figure_label",
    "assessment_note",
    "warning_text",
    "tag",
    "article_title",
]
H = {field: hostile(field) for field in FIELDS}
SKIPPED = {"script", "style", "title", "textarea"}  # data, or not laid out as text


def isolating(element):
    return element.name == "bdi" or element.has_attr("dir")


def strings(region):
    for node in region.find_all(string=True):
        if isinstance(node, Comment) or any(
            parent.name in SKIPPED for parent in node.parents
        ):
            continue
        yield node


def check_isolated(region, fields):
    """Each of ``fields``' values, wherever it is in ``region``, must be the
    whole text of its nearest isolating ancestor (not merely somewhere inside a
    dir=auto body). Returns how many occurrences were checked, per field."""
    checked, problems = {}, []
    texts = list(strings(region))
    for field in fields:
        value = H[field]
        found = 0
        for node in texts:
            if value not in node:
                continue
            found += node.count(value)
            isolate = next(
                (parent for parent in node.parents if isolating(parent)), None
            )
            if isolate is None:
                problems.append(f"{field}: not isolated, in <{node.parent.name}>")
            elif isolate.get_text().strip() != value:
                problems.append(
                    f"{field}: its isolate <{isolate.name}> holds more: {isolate.get_text().strip()[:80]!r}"
                )
        # A value split over several nodes (markup let through unescaped) is missed above.
        assert "".join(texts).count(value) == found, (
            f"{field}: printed split or altered"
        )
        checked[field] = found
    assert not problems, "\n".join(problems)
    return checked


def parse(html):
    return BeautifulSoup(html, "html5lib")


def the(soup, selector):
    found = soup.select(selector)
    assert found, f"nothing matches {selector}"
    return found


def claim(statement, claimant, claimed_on=None, figures=(), note="", evidence=()):
    return {
        "type": "claim",
        "value": {
            "stance": "denial",
            "statement": statement,
            "claimant": claimant,
            "claimant_kind": "",
            "claimed_on": claimed_on,
            "source_url": "https://example.org/statement",
            "figures": list(figures),
            "assessment": "contradicted",
            "assessment_note": note,
            "evidence": [record.pk for record in evidence],
        },
    }


def hostile_evidence(publish=True, **fields):
    values = {
        "title": H["title"],
        "media_url": "https://t.me/demo_observers/2501",
        "description": H["description"],
        "place": H["place"],
        "region": H["region"],
        "country": H["country"],
        "location_status": "confirmed",
        "location_method": H["location_method"],
        "date_status": "not_established",
        "date_method": H["date_method"],
        "identified": H["identified"],
        "identity_status": "confirmed",
        "identity_method": H["identity_method"],
        "authenticity_status": "disputed",
        "authenticity_method": H["authenticity_method"],
        "verdict": "verified",
        "verdict_note": H["verdict_note"],
        "warning_level": "graphic",
        "warning_categories": ["violence"],
        **fields,
    }
    evidence = Evidence(live=publish, **values)
    evidence.credits = in_order(
        [
            Credit(
                name=H["credit_name"],
                organisation=H["credit_organisation"],
                role="geolocation",
                url="https://example.org/work",
            ),
            Credit(
                name=H["credit_name"],
                organisation=H["credit_organisation"],
                role="identification",
            ),
            Credit(
                name="Afrin Post", role="identification"
            ),  # a neighbour in the list of names
        ]
    )
    evidence.appearances = in_order(
        [
            Appearance(
                platform="telegram",
                account=H["account"],
                url="https://t.me/demo_observers/2501",
                note=H["appearance_note"],
            ),
        ]
    )
    evidence.tags.set([H["tag"], "Azerbaijan"])
    evidence.full_clean()
    evidence.save()
    if publish:
        evidence.save_revision().publish()
    return evidence


@pytest.fixture
def record():
    return hostile_evidence()


@pytest.fixture
def article(record):
    body = [
        evidence_block(
            record,
            heading=H["heading"],
            caption=H["caption"],
            disclosure=H["disclosure"],
        ),
        evidence_block(record),  # no heading of its own: the title is the heading
        claim(
            H["statement"],
            H["claimant"],
            figures=[{"figure": "134", "label": H["figure_label"]}],
            note=H["assessment_note"],
            evidence=[record],
        ),
        claim(
            H["statement"], H["dated_claimant"], claimed_on=datetime.date(2020, 10, 3)
        ),
    ]
    return make_article(
        body,
        title=H["article_title"],
        slug="hostile",
        content_warning_text=H["warning_text"],
    )


# What the package's reader regions show: not the desk's verdict note or the
# tags, nor the article's title, which the project's own page template shows.
NOT_SHOWN_TO_READERS = {"verdict_note", "tag", "article_title"}
READER_FIELDS = [field for field in FIELDS if field not in NOT_SHOWN_TO_READERS]


def test_the_reader_page_isolates_every_editor_string(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    soup = parse(response.content)
    regions = the(
        soup, "section.evidence, section.claim, aside.evidence-article-warning"
    )
    checked = dict.fromkeys(READER_FIELDS, 0)
    for region in regions:
        for field, count in check_isolated(region, READER_FIELDS).items():
            checked[field] += count
    assert all(checked.values()), {
        field: count for field, count in checked.items() if not count
    }
    # The override never reaches past its isolate: not the badge, not the facet's status.
    assert checked["title"] >= 2 and checked["credit_name"] >= 4


def test_the_facet_sentence_keeps_each_part_of_the_place_apart(client, article):
    # "Confirmed: place, region, country, geolocated by names": each part its own
    # isolate, so an override in the place cannot carry the region or the credits.
    soup = parse(client.get(article.url).content)
    where = the(soup, ".evidence-facet--confirmed .evidence-facet__value")[0]
    counts = check_isolated(
        where, ["place", "region", "country", "credit_name", "credit_organisation"]
    )
    assert all(counts.values()), counts


def test_the_snippet_listing_isolates_the_title(login, record):
    response = login("verifier").get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:list")
    )
    assert response.status_code == 200
    soup = parse(response.content)
    title_cells = the(soup, "table.listing tbody td.title")
    assert sum(check_isolated(cell, ["title"])["title"] for cell in title_cells) == 1
    # Still Wagtail's cell: the link to edit and the id the bulk checkbox names.
    link = title_cells[0].select_one("a")
    assert link["href"] == reverse(
        "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk]
    )
    assert soup.select_one(f"#snippet_{record.pk}_title") is not None
    assert title_cells[0].select(".actions")


def test_the_inspect_view_isolates_every_field(login, record):
    response = login("verifier").get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:inspect", args=[record.pk])
    )
    assert response.status_code == 200
    fields = the(parse(response.content), "main dl")[0]
    inspected = [
        "title",
        "description",
        "place",
        "region",
        "country",
        "identified",
        "location_method",
        "date_method",
        "identity_method",
        "authenticity_method",
        "verdict_note",
        "tag",
    ]
    counts = check_isolated(fields, inspected)
    assert all(counts.values()), counts


def test_the_delete_confirmations_isolate_titles(login, record, article):
    desk = login("verifier")
    response = desk.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:delete", args=[record.pk])
    )
    assert response.status_code == 200
    citing = the(parse(response.content), ".evidence-citing")[0]
    counts = check_isolated(citing, ["title", "article_title"])
    assert counts["title"] == 1 and counts["article_title"] >= 1

    query = urlencode([("id", record.pk)])
    response = desk.get(
        reverse("wagtail_bulk_action", args=["wagtail_evidence", "evidence", "delete"])
        + "?"
        + query
    )
    assert response.status_code == 200
    records = the(parse(response.content), ".evidence-delete__records")[0]
    counts = check_isolated(records, ["title", "article_title"])
    assert (
        counts["title"] == 2 and counts["article_title"] >= 1
    )  # the record, then its citing list


@pytest.fixture
def submitted(login, users):
    """An article citing the hostile record, without the disclosure its badge
    needs, submitted to the evidence check; and a record awaiting the desk."""
    make_article_workflow()
    evidence = hostile_evidence()
    change_verification(evidence, users["verifier"], authenticity_status="disputed")
    hostile_evidence(
        publish=False, verdict="pending", media_url="https://t.me/demo_observers/2502"
    )
    body = [evidence_block(evidence)]
    article = make_article(
        body, publish=False, title=H["article_title"], slug="checked"
    )
    editor = login("editor")
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = editor.post(
        url,
        {
            **form_data(editor.get(url)),
            **body_data(body),
            "action-submit": "action-submit",
        },
    )
    assert response.status_code == 302
    return ArticlePage.objects.get(pk=article.pk)


def test_the_evidence_check_isolates_titles_even_inside_its_sentences(login, submitted):
    state = submitted.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", state.pk]
    )
    response = login("verifier").get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    modal = parse(json.loads(response.content)["html"])
    checklist = the(modal, "table.evidence-checklist")[0]
    # In its row, and in the problem "It cites “title”, whose badge is …".
    assert check_isolated(checklist, ["title"])["title"] == 2
    problems = [re.sub(r"\s+", " ", li.get_text()) for li in checklist.select("td li")]
    assert any("whose badge is" in problem for problem in problems)


def test_the_dashboard_panels_isolate_titles(login, submitted):
    soup = parse(login("verifier").get(reverse("wagtailadmin_home")).content)
    awaiting = the(soup, "section[aria-labelledby=evidence-awaiting-heading]")[0]
    assert check_isolated(awaiting, ["title"])["title"] == 1
    checks = the(soup, "section[aria-labelledby=evidence-check-awaiting-heading]")[0]
    assert check_isolated(checks, ["article_title"])["article_title"] == 1


def test_the_import_report_isolates_titles_and_the_file_name(login):
    content = f'media_url,title\nhttps://youtu.be/Zx8cV2bN4mQ,"{H["title"]}"\n'
    upload = SimpleUploadedFile("evidence.csv", content.encode("utf-8"))
    response = login("editor").post(
        reverse("wagtail_evidence:import"),
        {"file": upload, "format": "", "dry_run": "on"},
    )
    assert response.status_code == 200
    report = the(
        parse(response.content),
        "section[aria-labelledby=evidence-import-report-heading]",
    )[0]
    assert check_isolated(report, ["title"])["title"] == 1


def test_the_register_isolates_title_and_place(login, record):
    soup = parse(login("verifier").get(reverse("wagtail_evidence:register")).content)
    rows = the(soup, "table.listing tbody")[0]
    counts = check_isolated(rows, ["title", "place"])
    assert counts == {"title": 1, "place": 1}


def test_the_history_isolates_the_reason_given_for_a_change(login, users):
    H["reason"] = hostile("reason")
    record = Evidence.objects.create(
        title="A record", media_url="https://t.me/demo_observers/7"
    )
    record.save_revision().publish()
    change_verification(
        record, users["verifier"], reason=H["reason"], verdict="verified"
    )
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[record.pk])

    soup = parse(login("verifier").get(url).content)

    assert check_isolated(soup, ["reason"])["reason"] == 1
