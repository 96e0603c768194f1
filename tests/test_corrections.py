"""Corrections readers cannot miss: after an article went live, a change the
desk publishes to the badge, the warning or a facet of evidence it cites is a
dated notice at the top of the article, a CorrectionComment in its JSON-LD and
a line in the site's corrections listing. Drafts and changes made before the
article went live leave none."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import evidence_block, make_article, make_evidence
from tests.json_ld_rules import graph
from tests.reading import read, text
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Evidence, PublicChange


pytestmark = pytest.mark.django_db


def reviewed(**fields):
    """A live record whose MediaReview the article publishes."""
    return make_evidence(
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
        **fields,
    )


def notice(client, article):
    return read(client, article).select_one("aside.evidence-corrections")


def test_a_verdict_the_desk_changes_after_publication_is_a_dated_notice(client, users):
    record = reviewed(title="Convoy in Horadiz")
    article = make_article([evidence_block(record)])
    assert notice(client, article) is None
    change_verification(record, users["verifier"], verdict="misleading")

    aside = notice(client, article)
    assert aside is not None
    [line] = aside.select("li")
    assert re.fullmatch(
        r"Updated \w+\.? \d+, \d{4}: Our desk now rates “Convoy in Horadiz” False or "
        r"misleading; it was Partially verified\. See the item",
        text(line),
    ), text(line)
    assert line.select_one("a")["href"] == f"#evidence-{record.pk}"
    assert line.select_one("time")["datetime"].startswith(
        str(PublicChange.objects.get().changed_at.date())
    )
    # Near the top: after the article's warning place, before its body.
    soup = read(client, article)
    assert soup.h1.find_next("aside", class_="evidence-corrections") is not None
    assert aside.find_next("div", class_="article__body") is not None


def test_the_json_ld_carries_the_correction_and_a_later_date_modified(client, users):
    record = reviewed(title="Convoy in Horadiz")
    article = make_article([evidence_block(record)])
    change_verification(
        record, users["verifier"], location_status="disputed", reason="A new video"
    )
    [review] = graph(client.get(article.url).content.decode(), "MediaReview")
    texts = [comment["text"] for comment in review["correction"]]
    # One publication, two changes: newest first, then as they were written.
    assert texts == [
        "Location of “Convoy in Horadiz”: now Disputed; it was Confirmed.",
        "Our desk now rates “Convoy in Horadiz” Disputed; it was Partially verified.",
    ]
    assert all(c["@type"] == "CorrectionComment" for c in review["correction"])
    assert review["dateModified"] > review["datePublished"]


def test_drafts_and_changes_before_the_article_went_live_leave_no_notice(client, users):
    record = reviewed(title="Before")
    change_verification(record, users["verifier"], verdict="misleading")
    article = make_article([evidence_block(record)])  # published after the change
    assert notice(client, article) is None
    # A draft of the live record: its row, and readers, are unchanged.
    record = Evidence.objects.get(pk=record.pk)
    record.verdict = "verified"
    record.save_revision()
    assert notice(client, article) is None
    assert "correction" not in client.get(article.url).content.decode()


def test_checking_a_facet_for_the_first_time_is_no_correction(client, users):
    record = reviewed(
        title="First check", identity_status="unchecked", identified="A unit"
    )
    article = make_article([evidence_block(record)])
    change_verification(record, users["verifier"], identity_status="confirmed")
    assert not PublicChange.objects.filter(aspect="who").exists()
    assert notice(client, article) is None


def test_the_site_lists_corrections_newest_first_with_their_articles(client, users):
    first = reviewed(title="Convoy in Horadiz")
    second = reviewed(title="Training camp", media_url="https://t.me/demo_observers/9")
    article = make_article(
        [evidence_block(first), evidence_block(second)], title="Fighters at the front"
    )
    change_verification(first, users["verifier"], warning_level="disturbing")
    change_verification(second, users["verifier"], verdict="misleading")
    later = make_article([evidence_block(second)], title="Published after")

    response = client.get("/corrections/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    lines = [text(li) for li in soup.select(".evidence-corrections-page li")]
    assert len(lines) == 2, lines
    assert "Training camp" in lines[0] and "Convoy in Horadiz" in lines[1]
    assert all("Fighters at the front" in line for line in lines)
    assert "Published after" not in response.content.decode()
    links = [a["href"] for a in soup.select(".evidence-corrections-page li a")]
    assert links == [
        f"{article.url}#evidence-{second.pk}",
        f"{article.url}#evidence-{first.pk}",
    ]
    assert later.url not in " ".join(links)


def test_a_record_withdrawn_since_leaves_the_listing(client, users):
    record = reviewed(title="Withdrawn since")
    make_article([evidence_block(record)], title="An article")
    change_verification(record, users["verifier"], verdict="misleading")
    assert "Withdrawn since" in client.get("/corrections/").content.decode()
    Evidence.objects.get(pk=record.pk).unpublish()
    page = client.get("/corrections/").content.decode()
    assert "Withdrawn since" not in page and "No corrections yet." in page


def test_a_verdict_changed_while_the_record_was_withdrawn_is_a_correction(
    client, users
):
    """Readers saw "Partially verified"; the desk withdrew the item, changed its
    verdict offline and published it again. Readers are told, as for any
    change: the comparison is with what they saw before the withdrawal."""
    from django.urls import reverse

    from tests.admin_forms import client_for, form_data

    record = reviewed(title="Convoy in Horadiz")
    article = make_article([evidence_block(record)])
    desk = client_for(users["verifier"])
    unpublish = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:unpublish", args=[record.pk]
    )
    assert desk.post(unpublish).status_code == 302
    assert not Evidence.objects.get(pk=record.pk).live
    assert notice(client, article) is None  # withdrawn: shown as such, no correction

    edit = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk])
    data = form_data(desk.get(edit))
    data.update(verdict="misleading", action_publish="action-publish")
    data["action-publish"] = "action-publish"
    response = desk.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Evidence.objects.get(pk=record.pk).live

    [change] = PublicChange.objects.filter(evidence=record)
    assert (change.aspect, change.before, change.after) == (
        "badge",
        "partially_verified",
        "false_or_misleading",
    )
    [line] = notice(client, article).select("li")
    assert (
        "Our desk now rates “Convoy in Horadiz” False or misleading; it was "
        "Partially verified." in text(line)
    )


def test_a_record_never_published_before_is_no_correction_when_it_goes_live(users):
    record = make_evidence(publish=False, title="New")
    record.verdict = "misleading"
    record.save_revision().publish()
    assert not PublicChange.objects.filter(evidence=record).exists()


@pytest.mark.scale
def test_the_listing_reads_past_changes_that_correct_no_article(
    client, users, monkeypatch
):
    """A run of changes to records no live article cites does not hide an
    older correction from the listing, however short the listing."""
    from wagtail_evidence.views.corrections import CorrectionsView

    monkeypatch.setattr(CorrectionsView, "limit", 2)
    cited = reviewed(title="Cited record")
    make_article([evidence_block(cited)], title="The article")
    change_verification(cited, users["verifier"], verdict="misleading")
    uncited = reviewed(
        title="Nobody cites it", media_url="https://t.me/demo_observers/8"
    )
    for level in ["disturbing", "graphic"] * 60:  # 120 newer changes, no article
        change_verification(uncited, users["verifier"], warning_level=level)
    assert PublicChange.objects.count() == 121

    soup = BeautifulSoup(client.get("/corrections/").content, "html.parser")
    lines = [text(li) for li in soup.select(".evidence-corrections-page li")]
    assert len(lines) == 1 and "Cited record" in lines[0], lines
