"""An article's revisions compared in the admin read as the change the editor
made: a chosen record by its title and badge, choices by their labels, a
deleted record by its id, editor text escaped. Over HTTP, as an editor opens
Wagtail's "Compare" from the article's history."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin_forms import body_data, form_data
from tests.factories import claim_block, evidence_block, make_article, make_evidence
from tests.testapp.models import ArticlePage


pytestmark = pytest.mark.django_db

CAMP = "Training camp near Hawar Kilis (Partially verified)"  # the factory's record
CONVOY = "Convoy in Horadiz (Unverified)"


@pytest.fixture
def camp():
    return make_evidence()


@pytest.fixture
def convoy():
    return make_evidence(title="Convoy in Horadiz", verdict="pending")


def with_id(block, block_id):
    """A block that keeps its id from one revision to the next, as in the editor."""
    return {**block, "id": block_id}


def save_draft(client, article, body):
    """The editor saves a draft of ``article`` with ``body`` in the page editor."""
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, {**form_data(client.get(url)), **body_data(body)})
    assert response.status_code == 302
    return ArticlePage.objects.get(pk=article.pk)


def compare(client, article):
    """The body's row of the comparison between the first and the last revision."""
    url = reverse(
        "wagtailadmin_pages:revisions_compare", args=[article.pk, "earliest", "latest"]
    )
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    for row in page.select("tr"):
        title = row.select_one("td.title")
        if title is not None and text(title) == "Body:":
            return row.select_one("td.comparison")
    raise AssertionError("the comparison has no row for the body")


def text(node):
    return re.sub(r"\s+", " ", node.get_text()).strip()


def blocks_of(cell):
    """The body's blocks, not the rows of a list inside one."""
    return cell.find_all("div", class_="comparison__child-object", recursive=False)


def field(block, label):
    """The <dd> of the field labelled ``label`` in a block's comparison."""
    for term in block.select("dt"):
        if text(term) == label:
            return term.find_next_sibling("dd")
    raise AssertionError(f"no field {label!r} in {text(block)!r}")


def marked(node, kind):
    """The texts Wagtail marks as removed ("deletion") or added ("addition")."""
    return [text(span) for span in node.select(f"span.{kind}")]


def test_a_changed_record_reads_as_its_old_title_and_badge_then_the_new(
    login, camp, convoy
):
    article = make_article(
        [with_id(evidence_block(camp, heading="A camp"), "block-1")], publish=False
    )
    editor = login("editor")
    save_draft(
        editor,
        article,
        [
            with_id(
                evidence_block(convoy, heading="A convoy", display="link"), "block-1"
            )
        ],
    )

    (block,) = blocks_of(compare(editor, article))
    record = field(block, "Evidence")
    assert marked(record, "deletion") == [CAMP]
    assert marked(record, "addition") == [CONVOY]
    assert marked(field(block, "Heading"), "deletion") == ["camp"]
    assert marked(field(block, "Heading"), "addition") == ["convoy"]
    display = field(block, "Display in this article")
    assert marked(display, "deletion") == ["As the evidence record says"]
    assert marked(display, "addition") == ["Link only"]
    # No field reads as a bare id, a code or Python's "None".
    values = {text(value) for value in block.select("dd")}
    assert values.isdisjoint({str(camp.pk), str(convoy.pk), "link", "None"})


def test_a_claim_reads_with_its_labels_and_the_records_it_cites_by_title(
    login, camp, convoy
):
    before = claim_block(
        camp, stance="denial", claimant_kind="government", assessment="not_verified"
    )
    after = claim_block(
        camp,
        convoy,
        stance="assertion",
        claimant_kind="government",
        assessment="contradicted",
        claimed_on="2020-10-18",
    )
    article = make_article([with_id(before, "claim-1")], publish=False)
    editor = login("editor")
    save_draft(editor, article, [with_id(after, "claim-1")])

    (block,) = blocks_of(compare(editor, article))
    assert marked(field(block, "Stance"), "deletion") == ["Denial"]
    assert marked(field(block, "Stance"), "addition") == ["Assertion"]
    assert text(field(block, "Kind of claimant")) == "A government or ministry"
    assessment = field(block, "Our assessment")
    assert marked(assessment, "deletion") == ["Not independently verified"]
    assert marked(assessment, "addition") == ["Contradicted by evidence"]
    assert marked(field(block, "Date of the claim"), "addition") == ["Oct. 18, 2020"]
    rows = field(block, "Evidence it is set against")
    assert text(rows) == f"{CAMP}, {CONVOY}"
    assert marked(rows, "addition") == [CONVOY]
    assert marked(rows, "deletion") == []
    assert text(field(block, "What the evidence shows")) == ""  # not "None"


def test_a_deleted_record_reads_as_deleted_evidence_with_its_id(login, camp):
    gone = make_evidence(title="Bodies near Marjan")
    gone_pk = gone.pk
    article = make_article(
        [
            with_id(evidence_block(gone, caption="Seen from the road."), "block-1"),
            with_id(claim_block(camp, gone), "claim-1"),
        ],
        publish=False,
    )
    editor = login("editor")
    save_draft(
        editor,
        article,
        [
            with_id(evidence_block(gone, caption="Seen from a road."), "block-1"),
            with_id(claim_block(camp), "claim-1"),
        ],
    )
    gone.delete()

    evidence, claim = blocks_of(compare(editor, article))
    assert text(field(evidence, "Evidence")) == f"Deleted evidence #{gone_pk}"
    assert marked(field(evidence, "Caption"), "addition") == ["a road."]
    rows = field(claim, "Evidence it is set against")
    assert marked(rows, "deletion") == [f"Deleted evidence #{gone_pk}"]
    assert text(rows) == f"{CAMP}, Deleted evidence #{gone_pk}"


def test_blocks_added_and_removed_show_whole_with_their_labels(login, camp, convoy):
    article = make_article(
        [
            with_id(evidence_block(camp), "block-1"),
            with_id(claim_block(camp), "claim-1"),
        ],
        publish=False,
    )
    editor = login("editor")
    save_draft(
        editor,
        article,
        [
            with_id(evidence_block(camp), "block-1"),
            with_id(evidence_block(convoy, heading="A convoy"), "block-2"),
        ],
    )

    cell = compare(editor, article)
    (added,) = [block for block in blocks_of(cell) if "addition" in block["class"]]
    assert text(field(added, "Evidence")) == CONVOY
    assert text(field(added, "Heading")) == "A convoy"
    (removed,) = [block for block in blocks_of(cell) if "deletion" in block["class"]]
    assert text(field(removed, "Stance")) == "Denial"
    assert text(field(removed, "Evidence it is set against")) == CAMP
    unchanged = blocks_of(cell)[0]
    assert text(field(unchanged, "Evidence")) == CAMP
    assert unchanged.select("span.deletion, span.addition") == []


def test_a_title_and_the_editor_text_are_escaped_and_isolated(login, camp):
    title = '<script>alert("title")</script>'
    hostile = make_evidence(title=title, verdict="pending")
    article = make_article([with_id(evidence_block(camp), "block-1")], publish=False)
    editor = login("editor")
    heading = "<img src=x onerror=alert(1)>"
    save_draft(
        editor,
        article,
        [with_id(evidence_block(hostile, heading=heading), "block-1")],
    )

    cell = compare(editor, article)
    assert cell.select("script, img") == []
    record = field(blocks_of(cell)[0], "Evidence")
    assert [bdi.get_text() for bdi in record.select("span.addition bdi")] == [title]
    assert marked(record, "addition") == [f"{title} (Unverified)"]
    assert "&lt;script&gt;" in str(record)


def article_with_pairs(records, replacements):
    """An article with an evidence block and a claim per record, then a second
    revision citing the replacements instead."""
    first = [
        with_id(block, f"{kind}-{index}")
        for index, record in enumerate(records)
        for kind, block in (("e", evidence_block(record)), ("c", claim_block(record)))
    ]
    article = make_article(first, publish=False)
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = [
        with_id(block, f"{kind}-{index}")
        for index, record in enumerate(replacements)
        for kind, block in (("e", evidence_block(record)), ("c", claim_block(record)))
    ]
    page.save_revision()
    return article


def test_the_comparison_costs_the_same_queries_for_one_block_or_many(login):
    editor = login("editor")
    counts = {}
    for size in (1, 5):
        records = [make_evidence(title=f"Item {size}-{n}") for n in range(2 * size)]
        article = article_with_pairs(records[:size], records[size:])
        with CaptureQueriesContext(connection) as queries:
            cell = compare(editor, article)
        assert len(cell.select("span.addition")) == 2 * size  # each pair changed
        counts[size] = len(queries)
    assert counts[5] == counts[1], counts
