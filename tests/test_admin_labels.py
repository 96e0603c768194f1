"""Each field of the Evidence form says what it is: no label repeats its panel's
heading, each chooser names what it chooses, a date's precision is never preset
without its date, and a claim's evidence rows carry a label."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.admin_forms import form_data, inline_rows
from tests.factories import make_article, make_evidence
from wagtail_evidence.choices import DatePrecision
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db
ADD = reverse("wagtailsnippets_wagtail_evidence_evidence:add")
NO_DATE = "No date given"
SAY_PRECISION = "Say how precise the date is: a day, around a day or a month."


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel_texts(soup):
    """{panel heading: [the labels of the fields inside it]} for every
    multi-field panel of the form."""
    return {
        " ".join(
            section.find(class_="w-panel__heading").get_text(" ", strip=True).split()
        ): [
            label.get_text(" ", strip=True).rstrip("*").strip()
            for label in section.select("label.w-field__label")
        ]
        for section in soup.select("section.w-panel")
        if section.find(class_="w-panel__heading")
    }


def chosen(select):
    """The option a <select> submits as rendered."""
    option = select.find("option", selected=True) or select.find("option")
    return option["value"], option.get_text(strip=True)


def test_no_field_repeats_the_heading_of_its_panel(login):
    soup = soup_of(login("verifier").get(ADD))
    panels = panel_texts(soup)
    who = next(
        labels
        for heading, labels in panels.items()
        if heading.startswith("Who appears")
    )
    assert "Person, unit or group" in who
    authenticity = next(
        labels for heading, labels in panels.items() if heading == "Authenticity"
    )
    assert authenticity[:2] == ["Original or altered", "Authenticity status"]
    for heading, labels in panels.items():
        assert heading.casefold() not in {label.casefold() for label in labels}, heading


def test_each_chooser_names_what_it_chooses(login):
    text = soup_of(login("editor").get(ADD)).get_text(" ", strip=True)
    for button in (
        "Choose a video file",
        "Choose the original file",
        "Choose a poster image",
    ):
        assert button in text
    assert "Choose a document" not in text


def test_a_new_record_has_no_date_and_no_preset_precision(login):
    soup = soup_of(login("editor").get(ADD))
    select = soup.find("select", attrs={"name": "filmed_on_precision"})
    assert chosen(select) == ("", NO_DATE)
    assert [option["value"] for option in select.find_all("option")] == [
        "",
        *DatePrecision.values,
    ]
    # The row template of a new appearance, too.
    template = next(
        t
        for t in soup.find_all("template")
        if t.get("id", "").startswith("id_appearances")
    )
    row = BeautifulSoup(template.decode_contents(), "html.parser")
    assert chosen(
        row.find(
            "select", attrs={"name": "appearances-__prefix__-first_seen_precision"}
        )
    ) == ("", NO_DATE)


def test_a_dated_record_shows_its_precision(login):
    evidence = make_evidence(
        filmed_on=datetime.date(2020, 10, 1), filmed_on_precision=DatePrecision.MONTH
    )
    soup = soup_of(login("editor").get(edit_url(evidence)))
    select = soup.find("select", attrs={"name": "filmed_on_precision"})
    assert chosen(select)[0] == DatePrecision.MONTH


def new_record(client, **fields):
    data = form_data(client.get(ADD))
    data.update(
        {
            "title": "Convoy in Horadiz",
            "media_url": "https://t.me/demo_observers/2502",
            **inline_rows("appearances", []),
            **fields,
        }
    )
    return client.post(ADD, data)


def test_a_date_without_its_precision_is_refused_where_the_editor_is(login):
    client = login("editor")
    response = new_record(client, filmed_on="2020-10-10", filmed_on_precision="")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find("select", attrs={"name": "filmed_on_precision"}).find_parent(
        class_="w-field"
    )
    assert SAY_PRECISION in field.get_text(" ", strip=True)
    # What the editor typed is still there.
    assert soup.find("input", attrs={"name": "filmed_on"})["value"] == "2020-10-10"
    assert not Evidence.objects.filter(title="Convoy in Horadiz").exists()


def test_a_record_and_an_appearance_without_a_date_save_with_no_precision_asked(login):
    client = login("editor")
    response = new_record(
        client,
        filmed_on="",
        filmed_on_precision="",
        **inline_rows(
            "appearances",
            [
                {
                    "platform": "telegram",
                    "account": "A channel",
                    "url": "https://t.me/demo_observers/2502",
                    "first_seen": "",
                    "first_seen_precision": "",
                    "archive_urls": "",
                    "note": "",
                },
                {
                    "platform": "x",
                    "account": "Relay",
                    "url": "https://x.com/someone/status/1",
                    "first_seen": "2020-10-12",
                    "first_seen_precision": "approximate",
                    "archive_urls": "",
                    "note": "",
                },
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get(title="Convoy in Horadiz")
    assert evidence.filmed_on is None
    assert evidence.filmed_on_precision == DatePrecision.EXACT  # the model's default
    appearances = {a.account: a for a in evidence.appearances.all()}
    assert appearances["A channel"].first_seen is None
    assert appearances["Relay"].first_seen_precision == DatePrecision.APPROXIMATE


def test_an_appearance_with_a_date_but_no_precision_is_refused(login):
    client = login("editor")
    response = new_record(
        client,
        **inline_rows(
            "appearances",
            [
                {
                    "platform": "telegram",
                    "account": "A channel",
                    "url": "https://t.me/demo_observers/2502",
                    "first_seen": "2020-10-12",
                    "first_seen_precision": "",
                    "archive_urls": "",
                    "note": "",
                }
            ],
        ),
    )
    assert response.status_code == 200
    assert SAY_PRECISION in response.content.decode()
    assert not Evidence.objects.filter(title="Convoy in Horadiz").exists()


def block_definitions(response):
    """The article body's block definitions, as the page editor's script reads them."""
    node = soup_of(response).find(attrs={"data-w-block-data-value": True})
    return json.loads(node["data-w-block-data-value"])


def list_blocks(definition):
    """(name, the child's definition) of every list block in the definitions."""
    if isinstance(definition, dict):
        if definition.get("_type") == "wagtail.blocks.ListBlock":
            name, child, *_rest = definition["_args"]
            yield name, child
        for value in definition.values():
            yield from list_blocks(value)
    elif isinstance(definition, list):
        for value in definition:
            yield from list_blocks(value)


def test_a_claims_evidence_rows_are_labelled(login):
    """Each evidence row of a claim names what it holds (a list's child has no
    name to take a label from)."""
    article = make_article([])
    response = login("editor").get(
        reverse("wagtailadmin_pages:edit", args=[article.pk])
    )
    children = dict(list_blocks(block_definitions(response)))
    name, _widget, meta = children["evidence"]["_args"]
    assert meta["label"] == "Evidence record"
