"""What a reader of the demo article sees, read over HTTP: each element of the
story that `load_demo` tells (the table in docs/explanation/verification-model.md,
"The demo story") as its readers get it.

The reader templates' other promises are tested on the suite's own site
(tests/test_reader.py).
"""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.reading import facet, item, read, text
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def test_the_article_warns_before_the_body_with_the_editors_words(client, demo):
    soup = read(client, demo)
    warning = soup.select_one("aside.evidence-article-warning")
    assert warning is not None
    assert (
        "evidence-article-warning--graphic" in warning["class"]
    )  # derived from the graphic item
    assert "some images and videos described in this article may shock." in text(
        warning
    )
    assert "Violence" in text(warning) and "Dead or injured people" in text(warning)
    assert warning.find_next("div", class_="article__body") is not None
    assert (
        soup.h1 is not None and soup.h1.find_next("aside") is warning
    )  # headline first


def test_the_badge_says_exactly_what_was_verified_and_by_whom(client, demo):
    soup = read(client, demo)
    camp = item(soup, "Training camp near Hawar Kilis")
    assert text(camp.select_one(".evidence-badge__pill")) == "Partially verified"
    assert facet(camp, "Location").startswith(
        "Confirmed: Hawar Kilis, Northern Aleppo, Syria, geolocated by Obretix"
    )
    assert facet(camp, "Date filmed").startswith("Not established")
    assert "identified by Local Syrian journalists" in facet(camp, "Who appears")
    assert facet(camp, "Authenticity") is None  # not checked: not shown

    recruitment = item(soup, "Recruitment speech in Shaykh al-Hadid")
    assert text(recruitment.select_one(".evidence-badge__pill")) == "Verified"
    assert "verified by Afrin Post" in facet(recruitment, "Authenticity")

    frontline = item(soup, "Fighters on the front line, 12 October")
    assert text(frontline.select_one(".evidence-badge__pill")) == "Unverified"


def test_credits_appearances_and_dates_follow_their_precision(client, demo):
    soup = read(client, demo)
    bodies = item(soup, "Bodies of soldiers near Marjan")
    assert "Geolocation: Alexander McKeever (Bellingcat)" in text(
        bodies.select_one(".evidence-credits")
    )
    assert (
        bodies.select_one(".evidence-credits a")["href"]
        == "https://www.bellingcat.com/"
    )
    assert facet(bodies, "Date filmed").startswith("Confirmed: around 3 October 2020")
    assert "online since 10 October 2020" in text(
        bodies.select_one(".evidence-appearances")
    )
    qanti = item(soup, "Mustapha Qanti under fire")
    assert "online since October 2020" in text(
        qanti.select_one(".evidence-appearances")
    )


def test_link_only_graphic_media_shows_the_warning_and_a_safe_link_never_an_image(
    client, demo
):
    bodies = item(read(client, demo), "Bodies of soldiers near Marjan")
    media = bodies.select_one(".evidence-media")
    assert "evidence-media--link-only" in media["class"]
    assert "Warning: graphic content (Violence, Dead or injured people)" in text(media)
    assert "A fighter walks among the bodies" in text(media)
    assert media.find("img") is None and media.find("iframe") is None
    link = bodies.select_one(".evidence-media__outbound a")
    assert link["href"].startswith("https://x.com/")
    assert set(link["rel"]) >= {"noopener", "noreferrer", "nofollow"}


def test_posters_are_our_own_and_carry_the_safe_description(client, demo):
    camp = item(read(client, demo), "Training camp near Hawar Kilis")
    poster = camp.select_one("img.evidence-media__poster")
    assert poster["src"].startswith("/media/")
    assert poster["alt"] == "Young men in fatigues train and talk at an outdoor camp."
    assert poster["width"] and poster["height"]


def test_claims_carry_the_claimant_figures_and_our_assessment(client, demo):
    soup = read(client, demo)
    claims = {
        c.select_one(".claim__attribution bdi").get_text(): c
        for c in soup.select("section.claim")
    }
    denial = claims["The defence ministers of Azerbaijan and Turkey"]
    # Who made it, and what kind of claimant they are.
    assert text(denial.select_one(".claim__attribution")) == (
        "The defence ministers of Azerbaijan and Turkey (a government or ministry)"
    )
    assert text(claims["Armenian authorities"].select_one(".claim__attribution")) == (
        "Armenian authorities (a party to the conflict), 25 October 2020"
    )
    assert text(denial.select_one(".claim__stance")) == "Denial"
    assert "Contradicted by evidence" in text(denial.select_one(".claim__assessment"))
    assert len(denial.select(".claim__evidence li")) == 4
    sohr = claims["Syrian Observatory for Human Rights (SOHR)"]
    assert "Not independently verified" in text(sohr)
    assert [text(f) for f in sohr.select(".claim__figure")] == ["134", "92", "2,050"]
    assert sohr.select_one("time")["datetime"] == "2020-10-18"
    # "A 2019 report" and The Independent's interviews: the story gives no day
    # for either, and no link, so readers get the year and the source in words.
    assert text(claims["United Nations"].select_one(".claim__attribution")) == (
        "United Nations (an international organisation), 2019"
        " · a report on poverty in Syria"
    )
    assert text(claims["The Independent"].select_one(".claim__attribution")) == (
        "The Independent (a news outlet)"
        " · interviews with Syrian fighters who went to Azerbaijan"
    )


def test_withdrawn_evidence_is_never_shown_and_the_article_keeps_rendering(
    client, demo
):
    camp = Evidence.objects.get(title="Training camp near Hawar Kilis")
    camp.unpublish()
    soup = read(client, demo)
    assert "Training camp near Hawar Kilis" not in text(soup)
    assert "Young men in fatigues" not in str(soup)
    assert len(soup.select(".evidence--withdrawn")) == 1

    Evidence.objects.get(title="Convoy in Horadiz").delete()
    soup = read(client, demo)
    assert "Convoy in Horadiz" not in text(soup)
    assert len(soup.select(".evidence--withdrawn")) == 2
    assert "This item has been withdrawn." in text(soup)
    # the denial still lists what is left, without the withdrawn items
    denial = soup.select("section.claim")[0]
    assert len(denial.select(".claim__evidence li")) == 2


def test_the_demo_shares_its_warning_and_feeds_no_media(client, demo):
    """The demo mounts the feed and the preview tags (warnings that travel)."""
    head = read(client, demo).head
    description = head.find("meta", property="og:description")["content"]
    assert description.startswith(
        "Warning: some images and videos described in this article may shock."
    )
    # The preview picture is the poster of an item without a warning.
    image = head.find("meta", property="og:image")["content"]
    [record] = [
        record
        for record in Evidence.objects.filter(poster__isnull=False)
        if record.poster.file.name.rsplit("/", 1)[-1].split(".")[0] in image
    ]
    assert not record.is_warned
    feed = client.get("/feed/")
    assert feed.status_code == 200
    # Our own response, parsed as a feed reader would.
    channel = ET.fromstring(feed.content).find("channel")  # noqa: S314
    [entry] = [e for e in channel.findall("item") if e.findtext("title") == demo.title]
    description = entry.findtext("description")
    assert text(BeautifulSoup(description, "html.parser")).startswith(
        "Warning: some images and videos described in this article may shock."
    )
    for media in ("<img", "<iframe", "<video", "/media/"):
        assert media not in description, media
    assert client.get("/fr/feed/").status_code == 200


def test_the_desks_capture_shows_readers_its_content_credentials_alone(client, demo):
    pytest.importorskip("c2pa", reason='needs "wagtail-evidence[c2pa]"')
    soup = read(client, demo)

    call = item(soup, "Fighters call on others to join them")
    assert [text(line) for line in call.select(".evidence-credentials")] == [
        "Content Credentials (original file): signed by Observers desk (Demo "
        "newsroom), as named in their certificate (not checked against a trust "
        "list), made with Desk capture 1.0."
    ]
    # The other items' files carry none, and nothing is said of them.
    assert len(soup.select(".evidence-credentials")) == 1
