"""Playwright driving Debian's Chromium against a site on a live server: the
``browser`` and ``open_reader`` fixtures and what the browser tests share.

The browser tests' conftest files import the fixtures; each gives the
``article_url`` that ``open_reader`` opens (its site's article). Where no
Chromium is found the browser tests skip, loudly; under CI (CI=true) they fail
instead, so a missing install step cannot pass unnoticed.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Collects layout shifts and Content-Security-Policy violations from the first
# byte. Injected by the browser, not by the page, so the page's CSP allows it.
OBSERVERS = """
window.__evidence = {shifts: [], sources: [], csp: []};
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__evidence.shifts.push(entry.value);
    for (const source of entry.sources || []) {
      const node = source.node;
      window.__evidence.sources.push(
        (node && node.nodeType === 1 ? node.tagName + "." + node.className : String(node)) +
        " at " + Math.round(entry.startTime) + "ms"
      );
    }
  }
}).observe({type: "layout-shift", buffered: true});
document.addEventListener("securitypolicyviolation", event => {
  window.__evidence.csp.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def chromium_path():
    return (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        message = "NO CHROMIUM FOUND: browser tests need Debian's chromium package (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls happen outside it, in fixtures.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def admin_tab(browser, base_url, username, password, **context_options):
    """A new browser tab logged into the admin as ``username``. Nothing in the
    admin needs another site: requests to one are refused. So is releasing the
    editing session when the tab closes, after the test's rows are gone: that
    request is not the test's to make."""
    from django.urls import reverse

    context = browser.new_context(**context_options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else route.abort()
        ),
    )
    context.route("**/editing-sessions/release/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(base_url + reverse("wagtailadmin_login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + reverse("wagtailadmin_home"))
    return page


# Served in place of a provider's player when a test asks for it: the network is
# never reached, and pressing its button grows its content, as a player starting
# to play does. What the tests prove with it is that nothing outside moves.
STAND_IN_PLAYER = """<!doctype html><html lang="en"><title>Stand-in player</title>
<button id="play">Play</button><div id="video"></div>
<script>document.getElementById("play").onclick = () => {
  document.getElementById("video").style.height = "2000px"; document.body.append("playing");
};</script></html>"""


class Reader:
    """One reader's browser tab, with every request it tried recorded.

    Requests to other origins are recorded, then aborted (or, with
    ``stand_in_players``, answered by STAND_IN_PLAYER): the tests prove what the
    page asks for without ever reaching the network.
    """

    def __init__(self, browser, base_url, stand_in_players=False, **context_options):
        self.stand_in_players = stand_in_players
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.context = browser.new_context(
            viewport={"width": 1000, "height": 900}, **context_options
        )
        self.context.add_init_script(OBSERVERS)
        self.requests = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin):
            route.continue_()
        elif self.stand_in_players and route.request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html", body=STAND_IN_PLAYER)
        else:
            route.abort()

    def third_party(self):
        return [
            url
            for url in self.requests
            if not url.startswith(self.origin) and not url.startswith("data:")
        ]

    def layout_shift(self):
        return self.page.evaluate("window.__evidence.shifts.reduce((a, b) => a + b, 0)")

    def shifted(self):
        """What moved, and when: for the failure message."""
        return self.page.evaluate("window.__evidence.sources")

    def csp_violations(self):
        return self.page.evaluate("window.__evidence.csp")

    def close(self):
        self.context.close()


@pytest.fixture
def open_reader(browser, article_url):
    readers = []

    def open_reader(url=None, stand_in_players=False, **context_options):
        reader = Reader(browser, article_url, stand_in_players, **context_options)
        readers.append(reader)
        reader.page.goto(url or article_url)
        reader.page.wait_for_load_state("networkidle")
        return reader

    yield open_reader
    for reader in readers:
        reader.close()


def assert_accessible_before_and_after_reveal(reader, covered, loadable):
    """axe finds no violation before the reader reveals anything, nor after the
    ``covered`` item is shown and the ``loadable`` one's player is loaded (each a
    locator of an evidence section); and no Content Security Policy complains."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    before = axe.run(reader.page)
    assert before.violations_count == 0, before.generate_report()
    covered.locator("[data-evidence-action=show]").click()
    loadable.locator("[data-evidence-action=load]").click()
    after = axe.run(reader.page)
    assert after.violations_count == 0, after.generate_report()
    assert reader.csp_violations() == []


def tab_to(page, target, presses=200, what="the control"):
    """Press Tab until ``target`` (a locator) has focus, as a keyboard user
    would; fail if it cannot be reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{what} cannot be reached with Tab")


def hover_and_focus(page, selector):
    """Hover and focus every element ``selector`` matches, then give the page a
    moment: what a reader's pointer and keyboard do before any decision."""
    for locator in page.locator(selector).all():
        locator.hover()
        locator.evaluate("el => el.focus && el.focus()")
    page.wait_for_timeout(300)
