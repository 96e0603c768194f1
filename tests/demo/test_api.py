"""What a headless front end reads of the demo article over Wagtail API v2: the
story that `load_demo` tells, as data.

What the API promises of any article is tested on the suite's own site
(tests/test_api.py).
"""

import json

import pytest
from bs4 import BeautifulSoup

from tests.reading import claim_by, facets, read_api, shown, values
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def test_the_pages_endpoint_lists_the_article_with_its_body_and_warning(client, demo):
    response = client.get(
        "/api/v2/pages/",
        {"type": "newsroom.ArticlePage", "fields": "body,content_warning"},
    )
    assert response.status_code == 200
    [page] = response.json()["items"]
    assert page["id"] == demo.pk
    assert page["content_warning"]["level"] == {"value": "graphic", "label": "Graphic"}
    assert [child["type"] for child in page["body"]].count("evidence") == 8

    only_body = read_api(client, demo, fields="-content_warning,-standfirst")
    assert "content_warning" not in only_body and "standfirst" not in only_body
    assert only_body["body"] == page["body"]


def test_the_article_warning_is_data_in_the_editors_words(client, demo):
    warning = read_api(client, demo)["content_warning"]
    assert warning == {
        "level": {"value": "graphic", "label": "Graphic"},
        "style": {"value": "notice", "label": "A notice; the article stays readable"},
        "text": "some images and videos described in this article may shock.",
        # derived from the graphic and the disturbing items, in WarningCategory order
        "categories": [
            {"value": "violence", "label": "Violence"},
            {"value": "dead_or_injured", "label": "Dead or injured people"},
            {"value": "distress", "label": "Distress"},
        ],
    }


def test_the_badge_breakdown_shows_only_the_checked_facets_with_their_credits(
    client, demo
):
    data = read_api(client, demo)
    camp = shown(data, "Training camp near Hawar Kilis")
    badge = camp["evidence"]["badge"]
    assert (badge["value"], badge["label"]) == (
        "partially_verified",
        "Partially verified",
    )
    assert list(facets(camp)) == [
        "where",
        "when",
        "who",
    ]  # authenticity was not checked
    where = facets(camp)["where"]
    assert where["label"] == "Location"
    assert where["status"] == {"value": "confirmed", "label": "Confirmed"}
    assert where["summary"] == "Hawar Kilis, Northern Aleppo, Syria"
    assert where["credit_phrase"] == "geolocated by"
    assert [credit["name"] for credit in where["credits"]] == ["Obretix"]
    assert where["method"].startswith("Matched buildings and terrain")
    assert facets(camp)["when"]["status"]["value"] == "not_established"
    assert (
        facets(camp)["when"]["credits"] == []
        and facets(camp)["when"]["credit_phrase"] == ""
    )

    recruitment = shown(data, "Recruitment speech in Shaykh al-Hadid")
    assert recruitment["evidence"]["badge"]["value"] == "verified"
    assert (
        facets(recruitment)["authenticity"]["summary"] == "Original media, not edited"
    )
    assert facets(recruitment)["authenticity"]["credit_phrase"] == "verified by"

    frontline = shown(data, "Fighters on the front line, 12 October")
    assert frontline["evidence"]["badge"] == {
        "value": "unverified",
        "label": "Unverified",
        "summary": "Not checked: place, date, who appears and authenticity",
        "facets": [],
    }
    assert camp["evidence"]["badge"]["summary"] == (
        "Confirmed: place and who appears; not established: date; "
        "not checked: authenticity"
    )


def test_the_block_gives_the_articles_words_credits_and_appearances(client, demo):
    camp = shown(read_api(client, demo), "Training camp near Hawar Kilis")
    assert camp["withdrawn"] is False
    assert camp["caption"] == "Recruits prepare to leave for Azerbaijan."
    assert camp["disclosure"].startswith("We do not know when it was filmed")
    record = camp["evidence"]
    assert (
        record["id"] == Evidence.objects.get(title="Training camp near Hawar Kilis").pk
    )
    assert record["title"] == "Training camp near Hawar Kilis"
    assert (
        record["description"]
        == "Young men in fatigues train and talk at an outdoor camp."
    )
    assert record["warning"] is None
    assert record["credits"] == [
        {
            "name": "Obretix",
            "organisation": "",
            "role": {"value": "geolocation", "label": "Geolocation"},
            "url": None,
        },
        {
            "name": "Local Syrian journalists",
            "organisation": "",
            "role": {"value": "identification", "label": "Identification"},
            "url": None,
        },
    ]
    assert record["appearances"] == [
        {
            "platform": {"value": "telegram", "label": "Telegram"},
            "account": "Telegram channels",
            "url": "https://t.me/demo_observers/2501",
            "first_seen": {
                "date": "2020-09-25",
                "precision": {"value": "exact", "label": "Exact day"},
                "text": "25 September 2020",
            },
            "note": "",
            "archive_urls": [],
        }
    ]
    assert record["history"] == []

    bodies = shown(read_api(client, demo), "Bodies of soldiers near Marjan")["evidence"]
    [mckeever] = bodies["credits"]
    assert (mckeever["name"], mckeever["organisation"], mckeever["url"]) == (
        "Alexander McKeever",
        "Bellingcat",
        "https://www.bellingcat.com/",
    )
    assert facets({"evidence": bodies})["when"]["summary"] == "around 3 October 2020"
    qanti = shown(read_api(client, demo), "Mustapha Qanti under fire")["evidence"]
    assert qanti["appearances"][0]["first_seen"]["text"] == "October 2020"
    assert qanti["appearances"][0]["first_seen"]["precision"]["value"] == "month"


def test_the_player_is_data_to_load_after_consent_never_html(client, demo):
    data = read_api(client, demo)
    media = shown(data, "Training camp near Hawar Kilis")["evidence"]["media"]
    assert media["display"] == {
        "value": "embed",
        "label": "Embed after the reader consents",
    }
    assert media["link_only"] is False
    assert media["provider"] == {"value": "telegram", "label": "Telegram"}
    assert media["aspect_ratio"] == "4-5"
    assert media["player"] == {
        "kind": "iframe",
        "url": "https://t.me/demo_observers/2501?embed=1",
        "origin": "https://t.me",
        "title": "Telegram player: Training camp near Hawar Kilis",
        "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation",
        "allow": "encrypted-media; picture-in-picture; fullscreen",
        "referrer_policy": "strict-origin-when-cross-origin",
    }
    assert media["poster"]["url"].startswith("/media/images/") and media["poster"][
        "full_url"
    ].startswith("http://")
    assert (media["poster"]["width"], media["poster"]["height"]) == (960, 540)
    assert (
        media["poster"]["alt"]
        == "Young men in fatigues train and talk at an outdoor camp."
    )
    assert media["outbound"] == {
        "url": "https://t.me/demo_observers/2501",
        "label": "View the original on Telegram",
    }
    assert "<iframe" not in json.dumps(data)

    # The same players, and only those, as the reader page builds after consent.
    soup = BeautifulSoup(client.get(demo.url).content, "html.parser")
    html_players = sorted(
        (frame["src"], frame["title"])
        for template in soup.select("template[data-evidence-player]")
        for frame in BeautifulSoup(template.decode_contents(), "html.parser").select(
            "iframe"
        )
    )
    api_players = sorted(
        (
            value["evidence"]["media"]["player"]["url"],
            value["evidence"]["media"]["player"]["title"],
        )
        for value in values(data, "evidence")
        if value["evidence"]["media"]["player"]
    )
    assert api_players == html_players and len(api_players) == 6


def test_a_link_only_graphic_item_gives_its_warning_and_a_link_never_a_player_or_picture(
    client, demo
):
    bodies = shown(read_api(client, demo), "Bodies of soldiers near Marjan")["evidence"]
    assert bodies["warning"] == {
        "level": {"value": "graphic", "label": "Graphic"},
        "categories": [
            {"value": "violence", "label": "Violence"},
            {"value": "dead_or_injured", "label": "Dead or injured people"},
        ],
        "photosensitive": False,
    }
    media = bodies["media"]
    assert media["link_only"] is True and media["display"]["value"] == "link"
    assert media["player"] is None and media["poster"] is None
    assert media["provider"]["value"] == "x"
    assert media["outbound"]["url"] == "https://x.com/i/status/1315024660000000000"


def test_claims_give_stance_assessment_figures_and_the_evidence_set_against(
    client, demo
):
    data = read_api(client, demo)
    denial = claim_by(data, "The defence ministers of Azerbaijan and Turkey")
    assert denial["stance"] == {"value": "denial", "label": "Denial"}
    assert denial["assessment"] == {
        "value": "contradicted",
        "label": "Contradicted by evidence",
    }
    assert [item["title"] for item in denial["evidence"]] == [
        "Training camp near Hawar Kilis",
        "Convoy in Horadiz",
        "Fighters call on others to join them",
        "Bodies of soldiers near Marjan",
    ]
    assert denial["evidence"][0] == {
        "id": Evidence.objects.get(title="Training camp near Hawar Kilis").pk,
        "title": "Training camp near Hawar Kilis",
        "badge": {"value": "partially_verified", "label": "Partially verified"},
    }
    sohr = claim_by(data, "Syrian Observatory for Human Rights (SOHR)")
    assert sohr["claimed_on"] == "2020-10-18"
    assert [figure["figure"] for figure in sohr["figures"]] == ["134", "92", "2,050"]
    assert sohr["assessment"]["label"] == "Not independently verified"
    assert sohr["evidence"] == [] and sohr["source_url"] is None
    # Readers read it after the name; the API gives it as a choice.
    assert sohr["claimant_kind"] == {
        "value": "ngo",
        "label": "An NGO or monitoring group",
    }
