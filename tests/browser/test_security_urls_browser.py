"""The bypass path read by Chromium itself: hostile addresses written by code and
raw StreamField JSON (tests/test_security_urls.py), on one published reader page.

The browser's own URL parser decides what each link, player and cited source
would open: no scheme but http(s), no player outside the providers' player hosts,
and no "… on <host>" label naming another host than the link opens.
"""

import pytest

from tests.test_security_urls import (
    CONTROL,
    all_cases,
    player_hosts,
    write_bypass_article,
)
from wagtail_evidence.media.providers import get_providers


# Every element in the page and in every <template> (players wait there until
# the reader asks), read with the browser's URL parser.
READ_PAGE = """
([playerHosts, providerHosts]) => {
  const problems = [];
  const seen = {links: 0, players: 0, hrefs: []};
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const template of roots[i].querySelectorAll("template")) roots.push(template.content);
  }
  const parse = (value) => {
    try { return new URL(value, document.baseURI); } catch (error) { return null; }
  };
  for (const root of roots) {
    for (const element of root.querySelectorAll("a[href], area[href], blockquote[cite], q[cite], form[action]")) {
      const value = element.getAttribute("href") ?? element.getAttribute("cite") ?? element.getAttribute("action");
      const url = parse(value);
      if (!url || !["http:", "https:"].includes(url.protocol)) {
        problems.push(`<${element.localName}> ${JSON.stringify(value)} runs as ${url && url.protocol}`);
        continue;
      }
      if (element.localName !== "a") continue;
      seen.links += 1;
      seen.hrefs.push(url.href);
      const label = element.textContent.replace(/\\s+/g, " ").trim().match(/\\bon (.+)$/);
      if (!label) continue;
      const shown = label[1];
      const honest = shown in providerHosts
        ? providerHosts[shown].includes(url.hostname)
        : url.hostname === shown || url.hostname === "www." + shown;
      if (!honest) problems.push(`${JSON.stringify(value)} says "on ${shown}" but opens ${url.hostname}`);
    }
    for (const element of root.querySelectorAll("iframe, video, audio, source, embed, object, frame")) {
      const value = element.getAttribute("src") ?? element.getAttribute("data");
      if (value === null) continue;
      const url = parse(value);
      if (!url || !["http:", "https:"].includes(url.protocol)) {
        problems.push(`<${element.localName}> ${JSON.stringify(value)} runs as ${url && url.protocol}`);
      } else if (["iframe", "embed", "object", "frame"].includes(element.localName)) {
        seen.players += 1;
        if (!playerHosts.includes(url.hostname)) problems.push(`player on ${url.hostname}: ${value}`);
      }
    }
  }
  return {problems, seen};
}
"""


@pytest.fixture
def hostile_page(article_url, live_server):
    cases = all_cases()
    article = write_bypass_article(cases, title="Hostile addresses in a browser")[0]
    return live_server.url + article.url, cases


def test_hostile_addresses_written_by_code_open_nothing_but_web_pages_in_a_browser(
    open_reader, hostile_page
):
    url, cases = hostile_page
    reader = open_reader(url)
    provider_hosts = {
        str(provider.label): sorted(provider.hosts) for provider in get_providers()
    }
    found = reader.page.evaluate(READ_PAGE, [sorted(player_hosts()), provider_hosts])

    assert found["problems"] == []
    # The page was read: the control record's player (waiting in its template) is
    # the only player, the raw ids get none, and the control's links are there.
    assert found["seen"]["players"] == 1
    assert {
        CONTROL["appearance"],
        CONTROL["archive"],
        CONTROL["credit"],
        CONTROL["source"],
    } <= set(found["seen"]["hrefs"])
    assert reader.page.locator("section.claim").count() == len(cases) + 1
    assert reader.third_party() == []  # nothing loads before the reader asks
