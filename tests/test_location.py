"""Where an item was filmed, as readers get it: the precision in words and
numbers, the coordinates to that precision, a locator map and links to a map
service; and the desk's switch that withholds the coordinates from the page,
the API and the structured data, which nobody else can turn."""

import csv
import importlib
import io
import json
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from tests.json_ld_rules import graph
from tests.reading import facets, item, read, read_api, shown, text
from tests.test_exchange import run_export
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Evidence, StoredRender


pytestmark = pytest.mark.django_db

HAWAR_KILIS = {"latitude": "36.545123", "longitude": "37.055456"}


def where(section):
    row = next(
        row for row in section.select(".evidence-facet") if text(row.dt) == "Location"
    )
    return row.dd


def located(**fields):
    return make_evidence(**{**HAWAR_KILIS, "location_precision": "vicinity", **fields})


def article_of(evidence):
    return make_article([evidence_block(evidence)])


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


# What readers read


@pytest.mark.parametrize(
    ("precision", "words", "coordinates"),
    [
        ("exact", "exact spot, ±10 m", "36.54512° N, 37.05546° E"),
        ("vicinity", "vicinity, ±500 m", "36.545° N, 37.055° E"),
        ("locality", "locality, ±5 km", "36.55° N, 37.06° E"),
    ],
)
def test_readers_get_the_precision_and_coordinates_to_that_precision(
    client, precision, words, coordinates
):
    evidence = located(location_precision=precision)
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    assert f"Precision: {words}" in text(dd)
    shown_coordinates = dd.select_one(".evidence-location__coordinates")
    assert shown_coordinates["dir"] == "ltr"  # the same order in every language
    assert text(shown_coordinates) == coordinates
    # Never more decimals than the precision carries, anywhere on the page.
    if precision != "exact":
        assert "36.5451" not in str(dd)


def test_the_map_links_open_the_shown_coordinates_only_on_a_click(client):
    evidence = located()
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    maps = dd.select_one("details.evidence-location__maps")
    links = {text(link): link["href"] for link in maps.select("a")}
    assert list(links) == ["OpenStreetMap", "Google Maps", "Apple Maps"]
    assert links["OpenStreetMap"] == (
        "https://www.openstreetmap.org/?mlat=36.545&mlon=37.055#map=15/36.545/37.055"
    )
    assert all("36.545" in url and "37.055" in url for url in links.values())
    for link in maps.select("a"):
        assert "noreferrer" in link["rel"]
    # Links, not resources: nothing of a map service is loaded with the page.
    page = str(read(client, article_of(evidence)))
    for host in ("openstreetmap", "google", "apple"):
        assert not re.search(rf'(src|srcset|data)="[^"]*{host}', page)


def test_the_locator_map_is_drawn_inline_and_named(client):
    evidence = located()
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    svg = dd.select_one("figure.evidence-map-figure svg")
    assert svg["role"] == "img"
    title_id, description_id = svg["aria-labelledby"].split()
    assert text(svg.find(id=title_id)) == "Locator map: Hawar Kilis, Syria"
    assert "36.545° N, 37.055° E" in text(svg.find(id=description_id))
    assert svg.select(".evidence-map__land")  # Syria and its neighbours are drawn
    assert not svg.find(attrs={"style": True})  # the CSP forbids inline styles
    caption = text(dd.select_one(".evidence-map-figure__caption"))
    # ±500 m is a dot at a regional scale: the caption says the ring is not to scale.
    assert caption == "The ring is drawn larger than scale. Boundaries: Natural Earth."


def test_the_locator_map_can_be_turned_off(client, settings):
    settings.WAGTAIL_EVIDENCE = {"LOCATOR_MAP": False}
    evidence = located()
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    assert dd.select_one("svg") is None
    assert dd.select_one(".evidence-location__coordinates") is not None


def test_a_place_without_coordinates_still_says_how_precise_it_is(client):
    evidence = make_evidence(location_precision="locality")
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    assert text(dd).startswith("Confirmed: Hawar Kilis, Syria")
    assert "Precision: locality, ±5 km" in text(dd)
    assert dd.select_one(".evidence-location__coordinates") is None
    assert dd.select_one("svg") is None and dd.select_one("details a") is None
    assert "withheld" not in text(dd)


def test_an_unchecked_location_shows_nothing_of_where(client):
    evidence = located(location_status="unchecked")
    soup = read(client, article_of(evidence))
    assert soup.select_one(".evidence-location") is None
    assert "36.545" not in str(soup)


def test_a_map_service_that_is_not_a_strict_web_address_is_left_out(client, settings):
    settings.WAGTAIL_EVIDENCE = {
        "MAP_SERVICES": [
            {"name": "Evil", "url": "javascript:alert({latitude})"},
            {
                "name": "Own maps",
                "url": "https://maps.example.org/@{latitude},{longitude},{zoom}z",
            },
        ]
    }
    evidence = located()
    dd = where(item(read(client, article_of(evidence)), evidence.title))
    assert [link["href"] for link in dd.select("details a")] == [
        "https://maps.example.org/@36.545,37.055,15z"
    ]
    settings.WAGTAIL_EVIDENCE = {"MAP_SERVICES": ["https://maps.example.org"]}
    with pytest.raises(ImproperlyConfigured, match="MAP_SERVICES"):
        read(client, article_of(located(title="Another")))


def test_arabic_readers_get_the_coordinates_left_to_right(client, settings):
    from django.utils import translation

    evidence = located()
    article = article_of(evidence)
    with translation.override("ar"):
        response = client.get(article.url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    coordinates = re.search(
        r'<bdi class="evidence-location__coordinates" dir="ltr">([^<]*)</bdi>', html
    )
    assert coordinates is not None
    assert coordinates.group(1).startswith("36.545°")


# The API and the structured data


def test_the_api_gives_the_location_with_its_precision(client):
    evidence = located()
    data = read_api(client, article_of(evidence), fields="body")
    location = facets(shown(data, evidence.title))["where"]["location"]
    assert location == {
        "precision": {
            "value": "vicinity",
            "label": "Vicinity (within a few hundred metres, ±500 m)",
            "radius_metres": 500,
            "text": "vicinity, ±500 m",
        },
        "coordinates_withheld": False,
        "latitude": 36.545,
        "longitude": 37.055,
        "coordinates_text": "36.545° N, 37.055° E",
    }


def test_the_json_ld_places_a_confirmed_location(client, settings):
    evidence = located(
        authenticity_category="OriginalMediaContent", authenticity_status="confirmed"
    )
    html = client.get(article_of(evidence).url).content.decode()
    [review] = graph(html, "MediaReview")
    media = review["itemReviewed"]["mediaItemAppearance"][0]
    assert media["contentLocation"] == {
        "@type": "Place",
        "name": "Hawar Kilis, Syria",
        "geo": {"@type": "GeoCoordinates", "latitude": 36.545, "longitude": 37.055},
    }
    Evidence.objects.filter(pk=evidence.pk).update(location_status="disputed")
    evidence.refresh_from_db()
    evidence.save()  # a new render token: the page is rendered again
    html = client.get(article_of(evidence).url).content.decode()
    [review] = graph(html, "MediaReview")
    assert "contentLocation" not in review["itemReviewed"]["mediaItemAppearance"][0]


# Withheld coordinates


def test_withheld_coordinates_reach_no_reader_path(client):
    evidence = located(
        withhold_coordinates=True,
        authenticity_category="OriginalMediaContent",
        authenticity_status="confirmed",
    )
    article = article_of(evidence)
    html = client.get(article.url).content.decode()
    api = json.dumps(read_api(client, article, fields="body"))
    for shown_to_readers in (html, api):
        for digits in ("36.54", "37.05", "36.55", "37.06"):
            assert digits not in shown_to_readers
    dd = where(item(read(client, article), evidence.title))
    assert "Coordinates withheld to protect people on the ground." in text(dd)
    assert "Precision: vicinity, ±500 m" in text(dd)
    assert dd.select_one("svg") is None and dd.select_one("details a") is None
    [review] = graph(html, "MediaReview")
    place = review["itemReviewed"]["mediaItemAppearance"][0]["contentLocation"]
    assert place == {"@type": "Place", "name": "Hawar Kilis, Syria"}
    location = facets(shown(read_api(client, article), evidence.title))["where"][
        "location"
    ]
    assert location["coordinates_withheld"] is True
    assert location["latitude"] is None and location["longitude"] is None


def test_the_desk_withholds_coordinates_and_readers_see_it_at_once(client, users):
    evidence = located()
    article = article_of(evidence)
    assert "36.545" in client.get(article.url).content.decode()  # cached now
    assert StoredRender.objects.filter(html__contains="36.545").exists()
    change_verification(
        evidence,
        users["verifier"],
        reason="A source asked us",
        withhold_coordinates=True,
    )
    assert "36.545" not in client.get(article.url).content.decode()
    # Nor kept in the rows behind the render cache (reader.stored_renders).
    assert not StoredRender.objects.filter(html__contains="36.545").exists()
    entry = ModelLogEntry.objects.filter(
        action="wagtail_evidence.withhold_coordinates", object_id=str(evidence.pk)
    ).get()
    assert (entry.data["before"], entry.data["after"]) == (False, True)
    assert entry.data["reason"] == "A source asked us"


def test_only_the_desk_may_withhold_or_release_from_code(users):
    evidence = located(withhold_coordinates=True)
    with pytest.raises(PermissionDenied, match="withheld"):
        change_verification(evidence, users["editor"], withhold_coordinates=False)
    assert Evidence.objects.get(pk=evidence.pk).withhold_coordinates is True


def test_an_editor_sees_the_switch_read_only_and_cannot_post_it(login):
    evidence = located(withhold_coordinates=True)
    editor = login("editor")
    response = editor.get(edit_url(evidence))
    assert response.status_code == 200
    data = form_data(response)
    assert "withhold_coordinates" not in data  # not in the editor's form at all
    assert "Withhold the coordinates" in response.content.decode()
    data.pop("withhold_coordinates", None)  # an unticked box posts nothing
    data["description"] = "An editor's change."
    response = editor.post(edit_url(evidence), data)
    assert response.status_code in (200, 302)
    latest = Evidence.objects.get(pk=evidence.pk).get_latest_revision_as_object()
    assert latest.description == "An editor's change."
    assert latest.withhold_coordinates is True


def test_an_editor_cannot_restore_a_revision_that_showed_the_coordinates(login, users):
    evidence = located()
    shown_revision = evidence.latest_revision
    change_verification(evidence, users["verifier"], withhold_coordinates=True)
    editor = login("editor")
    revert = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[evidence.pk, shown_revision.pk],
    )
    data = form_data(editor.get(revert))
    response = editor.post(revert, data)
    assert response.status_code == 200
    assert "withholds the coordinates where the current one" in (
        response.content.decode()
    )
    current = Evidence.objects.get(pk=evidence.pk)
    assert current.withhold_coordinates is True
    assert current.get_latest_revision_as_object().withhold_coordinates is True


def test_the_desk_sets_the_switch_in_the_form(login):
    evidence = located()
    desk = login("verifier")
    data = form_data(desk.get(edit_url(evidence)))
    data["withhold_coordinates"] = "on"
    data["verification_reason"] = "People on the ground"
    data["action-publish"] = "action-publish"
    response = desk.post(edit_url(evidence), data)
    assert response.status_code == 302
    assert Evidence.objects.get(pk=evidence.pk).withhold_coordinates is True
    history = login("verifier").get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[evidence.pk])
    )
    assert "Coordinates withheld: no → yes" in history.content.decode()


def test_a_copy_keeps_the_coordinates_withheld(login):
    evidence = located(withhold_coordinates=True)
    editor = login("editor")
    copy_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:copy", args=[evidence.pk]
    )
    data = form_data(editor.get(copy_url))
    data["title"] = "A copy"
    data["media_url"] = "https://t.me/demo_observers/9999"
    response = editor.post(copy_url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    copy = Evidence.objects.get(title="A copy")
    assert copy.latitude is not None and copy.withhold_coordinates is True


# Imports and exports: the desk's files carry the switch; only the desk turns it


def test_the_export_says_yes_or_no_and_the_import_reads_it(users, tmp_path):
    withheld = located(withhold_coordinates=True)
    shown_ = located(title="Shown", media_url="https://t.me/demo_observers/2502")
    out, _err = run_export("--format", "csv")
    rows = {
        row["media_url"]: row
        for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    }
    assert rows[withheld.media_url]["withhold_coordinates"] == "yes"
    assert rows[shown_.media_url]["withhold_coordinates"] == "no"
    out, _err = run_export("--format", "json")
    records = {row["media_url"]: row for row in json.loads(out)}
    assert records[withheld.media_url]["withhold_coordinates"] is True
    assert records[shown_.media_url]["withhold_coordinates"] is False


def import_file(tmp_path, content, user):
    """import_evidence's stderr: "" when every row was imported."""
    path = tmp_path / "evidence.csv"
    path.write_text(content, encoding="utf-8")
    err = io.StringIO()
    try:
        call_command(
            "import_evidence",
            str(path),
            "--user",
            user,
            stdout=io.StringIO(),
            stderr=err,
        )
    except CommandError:
        assert err.getvalue(), "the import failed and said nothing"
    return err.getvalue()


def test_the_desk_imports_the_switch_and_a_bad_answer_is_named(users, tmp_path):
    evidence = located()
    header = "media_url,withhold_coordinates\n"
    err = import_file(tmp_path, header + f"{evidence.media_url},perhaps\n", "verifier")
    assert "line 2: withhold_coordinates: Enter yes or no." in err
    assert Evidence.objects.get(pk=evidence.pk).withhold_coordinates is False
    err = import_file(tmp_path, header + f"{evidence.media_url},yes\n", "verifier")
    assert err == ""
    latest = Evidence.objects.get(pk=evidence.pk).get_latest_revision_as_object()
    assert latest.withhold_coordinates is True


def test_an_editors_import_cannot_release_the_coordinates(users, tmp_path):
    evidence = located(withhold_coordinates=True)
    header = "media_url,withhold_coordinates\n"
    err = import_file(tmp_path, header + f"{evidence.media_url},no\n", "editor")
    assert (
        "line 2: withhold_coordinates: Only the verification desk can withhold or "
        "release the coordinates." in err
    )
    latest = Evidence.objects.get(pk=evidence.pk).get_latest_revision_as_object()
    assert latest.withhold_coordinates is True


# The upgrade


def test_the_upgrade_withholds_coordinates_no_reader_was_ever_shown(db):
    """Before this release no coordinates reached readers: the migration keeps
    it so for records that have them, in their rows and in every revision."""
    migration = importlib.import_module(
        "wagtail_evidence.migrations.0007_withhold_coordinates"
    )
    with_coordinates = located()
    draft = with_coordinates.save_revision()  # a pending draft
    without = make_evidence(title="No coordinates")
    # As the release before wrote them: no such field in the row or revisions.
    Evidence.objects.update(withhold_coordinates=False)
    for revision in Revision.objects.all():
        revision.content.pop("withhold_coordinates", None)
        revision.save(update_fields=["content"])

    migration.withhold_existing_coordinates(django_apps, None)

    assert Evidence.objects.get(pk=with_coordinates.pk).withhold_coordinates is True
    assert Evidence.objects.get(pk=without.pk).withhold_coordinates is False
    revisions = Revision.objects.filter(object_id=str(with_coordinates.pk))
    assert revisions.count() == 2 and draft in revisions
    assert all(revision.content["withhold_coordinates"] for revision in revisions)
    for revision in Revision.objects.filter(object_id=str(without.pk)):
        assert "withhold_coordinates" not in revision.content


def test_withholding_in_a_draft_takes_effect_at_once_releasing_waits(client, login):
    evidence = located()
    article = article_of(evidence)
    assert "36.545" in client.get(article.url).content.decode()
    desk = login("verifier")
    data = form_data(desk.get(edit_url(evidence)))
    data["withhold_coordinates"] = "on"
    data["verification_reason"] = "A source on the ground asked us"
    assert desk.post(edit_url(evidence), data).status_code == 302  # saved as a draft
    record = Evidence.objects.get(pk=evidence.pk)
    assert record.has_unpublished_changes and record.withhold_coordinates
    assert "36.545" not in client.get(article.url).content.decode()
    # Publishing, then releasing in a draft: readers keep what is published.
    record.get_latest_revision().publish()
    data = form_data(desk.get(edit_url(evidence)))
    data.pop("withhold_coordinates", None)  # unticked
    assert desk.post(edit_url(evidence), data).status_code == 302
    assert Evidence.objects.get(pk=evidence.pk).withhold_coordinates is True
    assert "36.545" not in client.get(article.url).content.decode()


def test_the_map_tag_without_the_blocks_id_still_gives_ids_of_its_own(db):
    """An override of blocks/evidence.html that draws the map with the tag and
    no dom_id (docs/reference/template-tags.md) still gets unique ids."""
    from django.template import engines

    evidence = located()
    html = (
        engines["django"]
        .from_string(
            "{% load wagtail_evidence_tags %}"
            "{% evidence_locator_map item location None as locator %}{{ locator.svg }}"
        )
        .render({"item": evidence, "location": evidence.facets[0].location})
    )
    assert f'id="evidence-{evidence.pk}-map-title"' in html
    assert f'aria-labelledby="evidence-{evidence.pk}-map-title' in html


def test_a_blank_withhold_cell_is_refused_not_read_as_no(users, tmp_path):
    evidence = located(withhold_coordinates=True)
    header = "media_url,withhold_coordinates\n"
    err = import_file(tmp_path, header + f"{evidence.media_url},\n", "verifier")
    assert "line 2: withhold_coordinates: Enter yes or no." in err
    assert Evidence.objects.get(pk=evidence.pk).withhold_coordinates is True
