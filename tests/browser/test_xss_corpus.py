"""Hostile input typed into every field an editor can write, then the reader pages
and the admin views rendered in Chromium.

Every payload of the shared security corpus's ``xss-payloads.jsonl`` (kept beside
the checkout: see ``tests/paths.py``) and our own cases, which carry markers and
run where the corpus is absent, goes into every text field of an Evidence record,
its appearances and credits, its tags, and every text field of an article and of its
evidence, claim, heading and paragraph blocks: through the admin, as an editor's
browser posts it. Then, in Chromium, no script may run (no dialog, no console
marker, no request to a marker URL), and the HTML, parsed as a browser parses it,
may hold no event handler, executable URL or element that the same view does not
already have with harmless content.
"""

import html
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.admin_forms import (
    body_data,
    form_data,
    inline_rows,
    new_records_form,
    rich_text,
)
from tests.factories import make_showcase_article
from tests.html_sinks import load_corpus, sinks


pytestmark = pytest.mark.corpus

MARKER = "xss-marker"
OWN_CASES = [
    f"<img src=x onerror=\"console.log('{MARKER}')\">",
    f'<script>console.log("{MARKER}")</script>',
    f'"><svg onload="fetch(\'/{MARKER}\')">',
    f"'><img src='/{MARKER}.png'>",
    f'</textarea></script><img src="/{MARKER}-2.png">',
    f'javascript:console.log("{MARKER}")',
    f'{{{{ 7|add:"{MARKER}" }}}}{{% now "Y" %}}',  # template syntax stays text
    f"<a href=\"javascript:console.log('{MARKER}')\">link</a>",
    f"\u202e<b onmouseover=\"console.log('{MARKER}')\">RTL override</b>",
    '"};console.log("' + MARKER + '");//',  # a breakout of JSON inside a script
]
CORPUS = load_corpus("xss-payloads.jsonl")
PAYLOADS = OWN_CASES + [row["payload"] for row in CORPUS or []]
# Few enough payloads per article that its form stays under Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000).
PAYLOADS_PER_ARTICLE = 15
EVIDENCE_ADD = reverse("wagtailsnippets_wagtail_evidence_evidence:add")


def evidence_edit(pk):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[pk])


class Tally:
    """Per field: how many payloads were stored (and so rendered) and how many the
    form refused with a message (too long, a null character, not a web address)."""

    def __init__(self):
        self.stored, self.refused = {}, {}

    def count(self, field, refused):
        bucket = self.refused if refused else self.stored
        bucket[field] = bucket.get(field, 0) + 1

    def report(self):
        fields = sorted(set(self.stored) | set(self.refused))
        return "\n".join(
            f"  {name:36} stored {self.stored.get(name, 0):4}  refused {self.refused.get(name, 0):4}"
            for name in fields
        )


def text_fields(blank_form_html):
    """The names of the text inputs and text areas an editor types into."""
    soup = BeautifulSoup(blank_form_html, "html.parser")
    names = [
        field["name"]
        for field in soup.select(
            "input[type=text], input[type=url], input:not([type]), textarea"
        )
    ]
    return [
        name
        for name in names
        if "__prefix__" not in name
        and not name.startswith(("appearances-", "credits-"))
    ]


def field_errors(response):
    """Field name -> message, for every field the re-rendered form flags."""
    if response.status_code == 302:
        return {}
    form = response.context["form"]
    errors = dict(form.errors)
    for formset in form.formsets.values():
        for index, row in enumerate(formset.errors):
            errors.update(
                {
                    f"{formset.prefix}-{index}-{name}": message
                    for name, message in row.items()
                }
            )
    return errors


def post_until_saved(client, url, data, payload_fields, tally, fallback):
    """Post as an editor would, then correct whatever the form refuses (each
    refused field counts as refused) and post again, until it saves."""
    for _attempt in range(4):
        response = client.post(url, data)
        errors = field_errors(response)
        if not errors:
            assert response.status_code == 302, response.content[:3000]
            for field in payload_fields:
                tally.count(field, refused=False)
            return response
        assert response.status_code == 200
        unknown = set(errors) - set(payload_fields)
        assert not unknown, (
            f"the form refused fields it was not given a payload in: {errors}"
        )
        for field in errors:
            payload_fields.remove(field)
            tally.count(field, refused=True)
            data[field] = fallback(field)
    raise AssertionError(f"still refused after corrections: {errors}")


def make_evidence(client, blank, fields, payload, tally):
    data = dict(blank)
    payload_fields = list(fields)
    for field in fields:
        data[field] = payload
    data["media_url"] = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    payload_fields.remove("media_url")
    data.update(
        inline_rows(
            "appearances",
            [
                {
                    "platform": "x",
                    "account": payload,
                    "url": payload,
                    "first_seen": "",
                    "first_seen_precision": "exact",
                    "archive_urls": payload,
                    "note": payload,
                }
            ],
        )
    )
    data.update(
        inline_rows(
            "credits",
            [
                {
                    "name": payload,
                    "organisation": payload,
                    "role": "geolocation",
                    "url": payload,
                }
            ],
        )
    )
    payload_fields += [
        f"appearances-0-{name}" for name in ("account", "url", "archive_urls", "note")
    ]
    payload_fields += [f"credits-0-{name}" for name in ("name", "organisation", "url")]
    data["action-publish"] = "action-publish"

    def fallback(field):
        return "Refused input" if field in ("title", "credits-0-name") else ""

    post_until_saved(client, EVIDENCE_ADD, data, payload_fields, tally, fallback)


def make_article(client, parent, index, payloads, evidence_ids, tally):
    url = reverse("wagtailadmin_pages:add", args=["testapp", "articlepage", parent.pk])
    data = form_data(client.get(url))
    # Django refuses a null character in any text field, with a message; those
    # payloads are counted as refused by every article field.
    refused = [payload for payload in payloads if "\x00" in payload]
    typed = [
        (payload, pk)
        for payload, pk in zip(payloads, evidence_ids, strict=True)
        if "\x00" not in payload
    ]
    payloads = [payload for payload, _pk in typed]
    fields = (
        "heading block",
        "paragraph block",
        "evidence block heading, caption, disclosure",
        "claim block statement, claimant, note, figure",
        "title",
        "standfirst",
        "content_warning_text",
    )
    for field in fields:
        for _payload in refused:
            tally.count(f"article {field}", refused=True)
    blocks = []
    for payload, evidence_id in typed:
        blocks += [
            {"type": "heading", "value": payload},
            {"type": "paragraph", "value": rich_text(f"<p>{html.escape(payload)}</p>")},
            {
                "type": "evidence",
                "value": {
                    "evidence": str(evidence_id),
                    "heading": payload[:255],
                    "caption": payload,
                    "disclosure": payload,
                    "display": "",
                },
            },
            {
                "type": "claim",
                "value": {
                    "stance": "denial",
                    "statement": payload,
                    "claimant": payload[:255],
                    "claimant_kind": "government",
                    "claimed_on": "",
                    "source_url": "",
                    "assessment": "not_verified",
                    "assessment_note": payload,
                    "figures": [{"figure": payload[:64], "label": payload[:255]}],
                    "evidence": [str(evidence_id)],
                },
            },
        ]
    data.update(body_data(blocks))
    data.update(
        title=payloads[0][:255] or "Untitled",
        slug=f"corpus-{index}",
        # The chunk's payloads one per line: each is typed into these fields too.
        standfirst="\n".join(payloads),
        content_warning_text="\n".join(reversed(payloads)),
        **{"action-publish": "action-publish"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        field_errors(response) if response.status_code == 200 else response.status_code
    )
    # Each payload goes into every block field and, one per line, into the
    # standfirst and the warning's wording; the title takes the first.
    for field in fields[:4] + fields[5:]:
        for _payload in payloads:
            tally.count(f"article {field}", refused=False)
    tally.count("article title", refused=False)


def watch(page):
    """Record what would show that a payload ran: dialogs, console markers and
    requests to marker URLs."""
    seen = []
    page.on(
        "dialog",
        lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    page.on(
        "console",
        lambda message: (
            MARKER in message.text and seen.append(f"console: {message.text}")
        ),
    )
    page.on(
        "request",
        lambda request: (
            MARKER in request.url and seen.append(f"request: {request.url}")
        ),
    )
    return seen


def signatures(markup, fragment=False):
    return set(sinks(markup, fragment=fragment))


@pytest.fixture
def site(live_server, migrated_database, users):
    """A client logged in as the admin, and the address of an article with
    harmless content of every kind on the live server (what the payloads'
    pages are compared with). The live server reads committed rows, hence a
    transactional database."""
    client = Client()
    client.force_login(users["admin"])
    return client, live_server.url + make_showcase_article().url


# In parts, one for each of the three workers of a parallel run (noxfile.py).
PARTS = 3


@pytest.mark.parametrize("part", range(PARTS))
def test_no_payload_runs_in_the_reader_pages_or_the_admin(site, browser, part):
    from tests.testapp.models import ArticlePage, HomePage
    from wagtail_evidence.models import Evidence

    client, baseline_url = site
    payloads = PAYLOADS[part::PARTS]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(baseline_url))
    blank = new_records_form(client.get(EVIDENCE_ADD))
    fields = [
        name for name in text_fields(client.get(EVIDENCE_ADD).content) if name in blank
    ]
    assert {
        "title",
        "description",
        "place",
        "identified",
        "tags",
        "verdict_note",
        "media_url",
    } <= set(fields)

    # Baselines: what the same views show with harmless content.
    reader_baseline = signatures(
        client.get(baseline_url.replace(origin, "")).content.decode()
    )
    existing = Evidence.objects.order_by("pk").first()
    admin_baselines = {
        "edit": signatures(client.get(evidence_edit(existing.pk)).content.decode())
    }

    tally = Tally()
    first_new = Evidence.objects.order_by("-pk").values_list("pk", flat=True).first()
    for payload in payloads:
        make_evidence(client, blank, fields, payload, tally)
    new_ids = list(
        Evidence.objects.filter(pk__gt=first_new)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(new_ids) == len(payloads)

    parent = HomePage.objects.get()
    starts = range(0, len(payloads), PAYLOADS_PER_ARTICLE)
    for index, start in enumerate(starts):
        chunk = slice(start, start + PAYLOADS_PER_ARTICLE)
        make_article(
            client, parent, f"{part}-{index}", payloads[chunk], new_ids[chunk], tally
        )
    articles = list(ArticlePage.objects.live().filter(slug__startswith="corpus-"))
    assert len(articles) == len(starts)

    parsed = []
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(origin) else route.abort()
        ),
    )
    session = client.cookies["sessionid"].value
    page = context.new_page()
    seen = watch(page)
    page.goto(baseline_url)
    page.wait_for_load_state("networkidle")
    dom_baseline = set(dom_sinks(page))

    # Reader pages, as a reader who reveals every covered item.
    for article in articles:
        response = client.get(article.url)
        assert response.status_code == 200
        parsed += [
            (article.url, found)
            for found in signatures(response.content.decode()) - reader_baseline
        ]
        page.goto(origin + article.url)
        page.wait_for_load_state("networkidle")
        for button in page.locator("[data-evidence-action=show]:visible").all():
            button.click()
        parsed += [
            (article.url, found) for found in set(dom_sinks(page)) - dom_baseline
        ]

    # The admin views, logged in as the admin.
    context.add_cookies([{"name": "sessionid", "value": session, "url": origin}])
    admin_views = [
        reverse("wagtailsnippets_wagtail_evidence_evidence:list") + f"?p={number}"
        for number in range(1, len(new_ids) // 50 + 2)
    ]
    # The page editor holds every block's values as JSON in the page: a third of
    # the articles, each with all four kinds of block, keep the run short.
    admin_views += [
        reverse("wagtailadmin_pages:edit", args=[article.pk])
        for article in articles[::3]
    ]
    admin_views += [
        reverse("wagtailsnippets_wagtail_evidence_evidence:inspect", args=[pk])
        for pk in new_ids[::50]
    ]
    admin_views += [reverse("wagtailadmin_home"), reverse("wagtail_evidence:register")]
    for url in admin_views:
        page.goto(origin + url)
        page.wait_for_load_state("networkidle")
        assert "/login/" not in page.url
    # Every payload's edit form goes through the same widgets: one in sixteen of
    # them parsed, and some of those opened in the browser, keep the run short.
    for number, pk in enumerate(new_ids[::16]):
        markup = client.get(evidence_edit(pk)).content.decode()
        parsed += [
            (evidence_edit(pk), found)
            for found in signatures(markup) - admin_baselines["edit"]
        ]
        if number % 8 == 0:
            page.goto(origin + evidence_edit(pk))
            page.wait_for_load_state("networkidle")
    context.close()

    print(
        f"\nXSS corpus, part {part + 1} of {PARTS}: {len(payloads)} of {len(PAYLOADS)} payloads into every field:\n{tally.report()}"
    )
    print(f"  ran in Chromium: {len(seen)}; sinks found by parsing: {len(parsed)}")
    assert seen == []
    assert parsed == []


def dom_sinks(page):
    """What the live DOM holds that could run script, beyond the package's own script."""
    return page.evaluate(
        """() => {
        const found = [];
        const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"];
        for (const el of document.querySelectorAll("*")) {
            const tag = el.localName;
            if (["iframe", "object", "embed", "base", "svg", "math", "frame", "noscript", "template", "form"].includes(tag)) found.push("<" + tag + ">");
            if (tag === "script" && !(el.src || "").includes("/static/wagtail_evidence/")) found.push("<script src=" + el.getAttribute("src") + " type=" + el.getAttribute("type") + ">");
            for (const attribute of el.attributes) {
                const name = attribute.name.toLowerCase();
                if (name.startsWith("on")) found.push("<" + tag + " " + name + ">");
                if (urlAttributes.includes(name) && /^\\s*(javascript|vbscript|data):/i.test(attribute.value.replace(/[\\t\\n\\r]/g, ""))) found.push("<" + tag + " " + name + ">");
            }
        }
        return found;
    }"""
    )
