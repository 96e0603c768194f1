"""The sanitizer, both backends, against known bypasses, the shared XSS corpus and
hypothesis; and the fields and blocks that store markup, on every path that writes."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.rich_text import RichText

from tests.factories import home_page, make_article
from tests.html_sinks import load_corpus, sinks
from tests.paths import SECURITY_DATA_ABSENT
from wagtail_evidence.sanitize import ALLOWED_TAGS, sanitize_html, url_scheme


BACKENDS = ["bleach", "nh3"]
XSS_CORPUS = load_corpus("xss-payloads.jsonl")

# Cases of our own, one per bypass class the allowlist is meant to shut out.
BYPASSES = [
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="\x01 javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="https://example.org/" onclick="alert(1)">x</a>',
    '<a linktype="page" id="3" onmouseover="alert(1)">x</a>',
    '<a id="defaultView">clobber</a>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.mark.parametrize("payload", BYPASSES)
def test_known_bypass_classes_come_out_inert(backend, payload):
    cleaned = sanitize_html(payload, backend=backend)
    assert sinks(cleaned, ALLOWED_TAGS) == []
    assert "javascript" not in cleaned.lower() or "href" not in cleaned


@pytest.mark.parametrize(
    "markup",
    [
        '<p data-block-key="a1b2">Read <b>this</b> and <i>that</i>.</p>',
        '<p data-block-key="k">See <a href="https://www.bellingcat.com/">Bellingcat</a>.</p>',
        '<p data-block-key="k"><a linktype="page" id="42">Our earlier story</a></p>',
        '<ul><li data-block-key="x">one</li><li data-block-key="y">two</li></ul>',
        '<p data-block-key="k"><a href="mailto:desk@example.org">Write to us</a></p>',
        '<h2 data-block-key="h">A heading</h2><hr>',
    ],
)
def test_what_wagtails_editor_writes_is_kept(backend, markup):
    assert sanitize_html(markup, backend=backend) == markup


def test_unsafe_links_lose_their_address_but_keep_their_words(backend):
    cleaned = sanitize_html(
        '<p>A <a href="javascript:alert(1)">link</a> here</p>', backend=backend
    )
    assert cleaned == "<p>A <a>link</a> here</p>"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org", "https"),
        ("  \x00JaVa\tScRi\npt:alert(1)", "javascript"),
        ("/relative/path", ""),
        ("#fragment", ""),
        ("1http://x", ""),
    ],
)
def test_schemes_are_read_as_browsers_read_them(url, scheme):
    assert url_scheme(url) == scheme


def test_the_setting_chooses_the_backend(settings):
    # bleach keeps the text of a stripped <script>, nh3 drops it with the element:
    # the output tells which one ran.
    payload = "<script>alert(1)</script>"
    settings.WAGTAIL_EVIDENCE = {"SANITIZER": "nh3"}
    assert sanitize_html(payload) == ""
    settings.WAGTAIL_EVIDENCE = {"SANITIZER": "bleach"}
    assert sanitize_html(payload) == "alert(1)"


def test_an_unknown_backend_is_a_configuration_error(settings):
    settings.WAGTAIL_EVIDENCE = {"SANITIZER": "html.parser"}
    with pytest.raises(ImproperlyConfigured, match="bleach, nh3"):
        sanitize_html("<p>x</p>")


@pytest.mark.skipif(XSS_CORPUS is None, reason=SECURITY_DATA_ABSENT)
def test_no_payload_of_the_corpus_survives_either_backend():
    tried = survived = 0
    failures = []
    for row in XSS_CORPUS:
        for name in BACKENDS:
            tried += 1
            cleaned = sanitize_html(row["payload"], backend=name)
            found = sinks(cleaned, ALLOWED_TAGS)
            if found or sanitize_html(cleaned, backend=name) != cleaned:
                survived += 1
                failures.append((row["id"], name, found))
    print(f"\nsanitizer corpus: {tried} payload runs, {survived} got through")
    assert tried == 2 * len(XSS_CORPUS) == 840
    assert failures == []


# Text with the characters that matter to HTML, tags from the allowlist and from
# outside it, and attributes a payload would use.
TAGS = sorted(ALLOWED_TAGS) + [
    "script",
    "svg",
    "math",
    "style",
    "img",
    "iframe",
    "noscript",
    "template",
    "textarea",
]
ATTRIBUTES = [
    "href",
    "onclick",
    "onerror",
    "style",
    "linktype",
    "id",
    "data-block-key",
    "src",
    "srcdoc",
    "formaction",
]
VALUES = st.sampled_from(
    [
        "javascript:alert(1)",
        "java\tscript:x",
        "https://example.org/",
        "page",
        "12",
        " data:text/html,x",
        '"><script>',
    ]
) | st.text(max_size=12)


@st.composite
def markup(draw):
    pieces = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["open", "close", "text", "comment"]))
        tag = draw(st.sampled_from(TAGS))
        if kind == "open":
            attributes = "".join(
                f' {draw(st.sampled_from(ATTRIBUTES))}="{draw(VALUES)}"'
                for _ in range(draw(st.integers(0, 2)))
            )
            pieces.append(f"<{tag}{attributes}>")
        elif kind == "close":
            pieces.append(f"</{tag}>")
        elif kind == "comment":
            pieces.append(f"<!--{draw(st.text(max_size=8))}-->")
        else:
            pieces.append(draw(st.text(max_size=12)))
    return "".join(pieces)


@pytest.mark.parametrize("name", BACKENDS)
@hypothesis_settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(html=markup() | st.text())
@example(html="0\x0c<!---->0")  # a form feed left between letters by a comment
@example(html="</a>\ufeff")  # a byte order mark that a removed tag leaves first
def test_sanitizing_is_total_idempotent_and_leaves_no_sink(name, html):
    cleaned = sanitize_html(html, backend=name)  # never raises
    assert sanitize_html(cleaned, backend=name) == cleaned
    assert sinks(cleaned, ALLOWED_TAGS) == []


HOSTILE = '<p>Intro <a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)></p><script>alert(2)</script>'


def assert_clean(stored):
    assert sinks(stored, ALLOWED_TAGS) == []
    assert "Intro" in stored


@pytest.mark.django_db
class TestSanitizedRichTextField:
    """HomePage.intro in the test site is a SanitizedRichTextField."""

    def stored(self, page):
        from tests.testapp.models import HomePage

        return HomePage.objects.filter(pk=page.pk).values_list("intro", flat=True).get()

    def test_save_from_code(self):
        page = home_page()
        page.intro = HOSTILE
        page.save()
        assert_clean(self.stored(page))
        assert_clean(page.intro)  # the instance in hand too

    def test_queryset_update(self):
        from tests.testapp.models import HomePage

        page = home_page()
        HomePage.objects.filter(pk=page.pk).update(intro=HOSTILE)
        assert_clean(self.stored(page))

    def test_revision(self):
        page = home_page()
        page.intro = HOSTILE
        revision = page.save_revision()
        assert_clean(revision.content["intro"])

    def test_admin_form(self, client, users):
        page = home_page()
        client.force_login(users["admin"])
        url = f"/admin/pages/{page.pk}/edit/"
        from tests.admin_forms import form_data

        data = form_data(client.get(url))
        link = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "javascript:alert(1)"},
        }
        data["intro"] = json.dumps(
            {
                "blocks": [
                    {
                        "key": "a1b2c",
                        "type": "unstyled",
                        "depth": 0,
                        "text": "Intro link <script>",
                        "inlineStyleRanges": [],
                        "entityRanges": [{"offset": 6, "length": 4, "key": 0}],
                        "data": {},
                    }
                ],
                "entityMap": {"0": link},
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.content[:2000]
        page.refresh_from_db()
        latest = page.get_latest_revision().content["intro"]
        assert_clean(latest)
        assert "&lt;script&gt;" in latest  # what the editor typed is kept, as text


@pytest.mark.django_db
class TestSanitizedRichTextBlock:
    """The example article's paragraphs are SanitizedRichTextBlocks."""

    def stored_paragraph(self, page):
        from django.db import connection

        # Read past StreamField, which would parse the data again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT body FROM testapp_articlepage WHERE page_ptr_id = %s",
                [page.pk],
            )
            raw = cursor.fetchone()[0]
        raw = json.loads(raw) if isinstance(raw, str) else raw
        return [block["value"] for block in raw if block["type"] == "paragraph"][0]

    def test_save_from_code(self):
        page = make_article([("paragraph", RichText(HOSTILE))])
        assert_clean(self.stored_paragraph(page))

    def test_raw_stream_json(self):
        page = make_article([])
        page.body = json.dumps([{"type": "paragraph", "value": HOSTILE}])
        page.save()
        assert_clean(self.stored_paragraph(page))

    def test_raw_stream_json_in_a_revision(self):
        page = make_article([])
        page.body = json.dumps([{"type": "paragraph", "value": HOSTILE}])
        revision = page.save_revision()
        body = revision.content["body"]
        body = json.loads(body) if isinstance(body, str) else body
        assert_clean(body[0]["value"])

    def test_rendering_does_not_sanitize(self, monkeypatch, client):
        page = make_article([("paragraph", RichText("<p>Intro, already clean</p>"))])
        calls = []
        import wagtail_evidence.sanitize as sanitize

        monkeypatch.setattr(sanitize, "get_backend", lambda name: calls.append(name))
        assert client.get(page.url).status_code == 200
        assert calls == []
