"""What only the verification desk may change is not offered to anyone else,
and says so where it stands, in the Evidence form an editor opens."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories import make_evidence
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db
WHY = "Only the verification desk can change this."


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


@pytest.fixture
def record():
    """A published record with a geolocation credit and a verification credit."""
    evidence = make_evidence()
    Credit.objects.create(
        evidence=evidence, name="Desk member", role="verification", sort_order=1
    )
    evidence.save_revision().publish()
    return Evidence.objects.get(pk=evidence.pk)


def role_selects(soup):
    """{select name: (offered values, chosen value, disabled)} for every credit
    row, the template of a new row included."""
    return {
        select["name"]: (
            [option["value"] for option in select.find_all("option")],
            next(
                (
                    o["value"]
                    for o in select.find_all("option")
                    if o.has_attr("selected")
                ),
                "",
            ),
            select.has_attr("disabled"),
        )
        for part in [soup, *row_templates(soup)]
        for select in part.select('select[name^="credits-"][name$="-role"]')
    }


def row_templates(soup):
    """The <template> of a new row, parsed on its own: selectors, as in a
    browser, do not look inside a template's content."""
    return [
        BeautifulSoup(template.decode_contents(), "html.parser")
        for template in soup.find_all("template", id=True)
        if template["id"].endswith("EMPTY_FORM_TEMPLATE")
    ]


def page(client, evidence):
    response = client.get(edit_url(evidence))
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def test_an_editor_sees_why_the_statuses_and_verdict_are_read_only(login, record):
    _response, soup = page(login("editor"), record)
    text = soup.get_text(" ", strip=True)
    # The four facet statuses and the verdict, each with the reason.
    assert text.count(WHY) >= 5
    _response, soup = page(login("verifier"), record)
    assert WHY not in soup.get_text(" ", strip=True)


def test_an_editor_is_not_offered_the_verification_role(login, record):
    _response, soup = page(login("editor"), record)
    selects = role_selects(soup)
    assert set(selects) == {
        "credits-0-role",
        "credits-1-role",
        "credits-__prefix__-role",
    }
    # The geolocation row and a new row: every role but Verification.
    for name in ("credits-0-role", "credits-__prefix__-role"):
        offered, _chosen, disabled = selects[name]
        assert "geolocation" in offered and "verification" not in offered
        assert not disabled
    # The desk's own credit: shown as it is, not editable.
    offered, chosen, disabled = selects["credits-1-role"]
    assert chosen == "verification" and disabled
    name_input = soup.select_one('input[name="credits-1-name"]')
    assert name_input["value"] == "Desk member" and name_input.has_attr("disabled")

    _response, soup = page(login("verifier"), record)
    for offered, _chosen, disabled in role_selects(soup).values():
        assert "verification" in offered and not disabled


def test_an_editor_saves_a_record_with_a_verification_credit_without_changing_it(
    login, record
):
    editor = login("editor")
    response, _soup = page(editor, record)
    data = form_data(response)
    # A browser does not send disabled fields; a forged request that does is ignored.
    data["credits-1-name"] = "Someone else"
    data["credits-0-name"] = "Obretix (renamed by the editor)"
    response = editor.post(edit_url(record), data)
    assert response.status_code == 302
    credits = {
        credit.role: credit.name
        for credit in Evidence.objects.get(pk=record.pk)
        .latest_revision.as_object()
        .credits.all()
    }
    assert credits == {
        "geolocation": "Obretix (renamed by the editor)",
        "verification": "Desk member",
    }
