"""In Chromium, on the demo: the correction notice a reader meets after the
desk changes a verdict, and the warnings that travel with the article (its
preview tags and its feed), as a browser and a feed reader receive them."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup


# The demo record whose authenticity the desk confirmed: it has a MediaReview.
RECRUITMENT = "Recruitment speech in Shaykh al-Hadid"
WARNING = "Warning: some images and videos described in this article may shock."


def test_a_verdict_change_is_a_notice_near_the_top_that_leads_to_the_item(
    open_reader, article_url
):
    from django.contrib.auth import get_user_model

    from wagtail_evidence.editorial.verification import change_verification
    from wagtail_evidence.models import Evidence

    desk = get_user_model().objects.get(username="verifier")
    recruitment = Evidence.objects.get(title=RECRUITMENT)
    change_verification(recruitment, desk, reason="Older footage", verdict="misleading")

    reader = open_reader()
    page = reader.page
    notice = page.locator("aside.evidence-corrections")
    assert notice.is_visible()
    line = notice.locator("li")
    assert line.count() == 1
    assert (
        "Our desk now rates “Recruitment speech in Shaykh al-Hadid” False or misleading"
        in (line.inner_text())
    )
    # Near the top: above the article's body, in the first screenful.
    top = notice.evaluate("el => el.getBoundingClientRect().top")
    body = page.locator("#article-body").evaluate(
        "el => el.getBoundingClientRect().top"
    )
    assert top < body and top < page.viewport_size["height"]
    line.get_by_role("link", name="See the item").click()
    assert page.evaluate("location.hash") == f"#evidence-{recruitment.pk}"
    item = page.locator(f"#evidence-{recruitment.pk}")
    assert item.evaluate("el => el.getBoundingClientRect().top < innerHeight")
    assert "False or misleading" in item.locator(".evidence-badge__pill").inner_text()
    # Search engines are told too, in the same page, where it has a review
    # of the item (a MediaReview, for records whose authenticity is confirmed).
    graph = [
        node
        for script in page.locator("script[type='application/ld+json']").all()
        for node in json.loads(script.text_content()).get("@graph", [])
    ]
    [review] = [
        node
        for node in graph
        if node.get("@type") == "MediaReview" and "correction" in node
    ]
    assert RECRUITMENT in review["correction"][0]["text"]
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    assert reader.third_party() == []


def test_the_preview_tags_and_the_feed_carry_the_warning_never_a_warned_image(
    open_reader, article_url
):
    from wagtail_evidence.models import Evidence

    reader = open_reader()
    page = reader.page
    description = page.locator("meta[property='og:description']").get_attribute(
        "content"
    )
    assert description.startswith(WARNING)
    image = page.locator("meta[property='og:image']").get_attribute("content")
    warned_posters = [
        record.poster.file.name.rsplit("/", 1)[-1].split(".")[0]
        for record in Evidence.objects.filter(poster__isnull=False)
        if record.is_warned
    ]
    assert warned_posters  # the demo has a warned record with a poster
    assert not any(name in image for name in warned_posters), image
    assert page.locator("meta[name='twitter:card']").count() == 1

    feed = page.request.get(urljoin(article_url, "/feed/"))
    assert feed.ok
    channel = ET.fromstring(feed.body()).find("channel")  # noqa: S314 - our own feed
    title = page.locator("h1").inner_text()
    [entry] = [e for e in channel.findall("item") if e.findtext("title") == title]
    html = entry.findtext("description")
    assert WARNING in " ".join(BeautifulSoup(html, "html.parser").get_text().split())
    for media in ("<img", "<iframe", "<video", "/media/"):
        assert media not in html, media
