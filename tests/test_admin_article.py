"""An editor composes an article with the blocks in the page editor; a moderator
publishes it; a reader reads it."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.admin_forms import form_data, list_items, nested_form_data, rich_text, stream
from tests.factories import home_page, make_evidence
from tests.testapp.models import ArticlePage


pytestmark = pytest.mark.django_db


def test_compose_publish_and_read_an_article_with_evidence_and_a_denial(login):
    camp = make_evidence()
    bodies = make_evidence(
        title="Bodies near Marjan",
        media_url="https://x.com/someone/status/1315024660000000000",
        display="link",
        warning_level="graphic",
        warning_categories=["violence", "dead_or_injured"],
        description="A fighter walks among bodies.",
        place="Marjan",
    )
    editor = login("editor")
    add_url = reverse(
        "wagtailadmin_pages:add", args=["testapp", "articlepage", home_page().pk]
    )
    data = form_data(editor.get(add_url))
    data.update(title="Syrian fighters at the front", slug="syrian-fighters")
    data.update(
        nested_form_data(
            {
                "body": stream(
                    [
                        (
                            "paragraph",
                            rich_text(
                                "<p>Fighting resumed.</p>",
                                features=["bold", "italic", "link"],
                            ),
                        ),
                        (
                            "evidence",
                            {
                                "evidence": camp.pk,
                                "heading": "A camp in northern Aleppo",
                                "caption": "Recruits train.",
                                "display": "",
                            },
                        ),
                        (
                            "evidence",
                            {
                                "evidence": bodies.pk,
                                "heading": "",
                                "caption": "",
                                "display": "",
                            },
                        ),
                        (
                            "claim",
                            {
                                "stance": "denial",
                                "statement": "There are no Syrian fighters in Nagorno-Karabakh.",
                                "claimant": "The defence ministers of Azerbaijan and Turkey",
                                "claimant_kind": "government",
                                "claimed_on": "2020-10-01",
                                "source_url": "https://mod.example/statement",
                                "figures": list_items([]),
                                "assessment": "contradicted",
                                "assessment_note": "Geolocated videos show them.",
                                "evidence": list_items([camp.pk, bodies.pk]),
                            },
                        ),
                    ]
                )
            }
        )
    )
    response = editor.post(add_url, data)
    article = ArticlePage.objects.get(slug="syrian-fighters").specific
    assert response.status_code == 302
    assert not article.live

    moderator = login("moderator")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    # The editor builds the body's inputs in JavaScript; a browser posts them again.
    response = moderator.post(
        edit_url,
        {
            **form_data(moderator.get(edit_url)),
            **data,
            "action-publish": "action-publish",
        },
    )
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.live

    moderator.logout()
    html = moderator.get(article.url).content.decode()
    page = strip_tags(html)  # read as text: editor-written names sit in their own <bdi>
    assert "Fighting resumed." in page
    assert "A camp in northern Aleppo" in page
    assert "Recruits train." in page
    assert "geolocated by Obretix" in page
    assert "Bodies near Marjan" in page  # the record's title stands in for a heading
    assert "Warning: graphic content" in page
    assert "We link to this item rather than show it." in page
    assert "There are no Syrian fighters in Nagorno-Karabakh." in page
    assert "Contradicted by evidence" in page
    assert f'href="#evidence-{camp.pk}"' in html
    assert 'class="evidence-article-warning evidence-article-warning--graphic"' in html


def test_a_bad_claim_gets_a_form_error_in_the_page_editor_and_keeps_the_text(login):
    editor = login("editor")
    add_url = reverse(
        "wagtailadmin_pages:add", args=["testapp", "articlepage", home_page().pk]
    )
    data = form_data(editor.get(add_url))
    data.update(title="A claim", slug="a-claim")
    claim = {
        "stance": "assertion",
        "statement": "134 fighters were killed.",
        "claimant": "SOHR",
        "claimant_kind": "ngo",
        "claimed_on": "2999-10-18",
        "source_url": "javascript:alert(1)",
        "figures": list_items([]),
        "assessment": "not_verified",
        "assessment_note": "",
        "evidence": list_items([]),
    }
    data.update(nested_form_data({"body": stream([("claim", claim)])}))
    response = editor.post(add_url, {**data, "action-submit": "action-submit"})

    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="a-claim").exists()
    page = response.content.decode()
    assert "This date is in the future." in page
    assert "Only web addresses starting with http:// or https:// are accepted." in page
    assert "134 fighters were killed." in page
