"""The demo article without its evidence blocks, the page the evidence article's
reader throughput is compared against.

Built at the start of the load test in its own database (never in the demo's
fixtures): the same title, standfirst, warning, headings, paragraphs and
claims, and, in place of each evidence block, one paragraph holding the text
that block shows readers on the evidence article, so that both pages carry the
same words. Claims keep their text and lose their links to evidence.
"""

import html
import json
import re


SECTION = re.compile(rb'<section class="evidence[ "].*?</section>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
HEAD_AND_SCRIPTS = re.compile(
    r"<(head|script|style|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE
)


def shown_text(section):
    """What a reader reads in an evidence block: its text, tags left out."""
    text = html.unescape(TAG.sub(" ", section.decode()))
    return " ".join(text.split())


def text_length(page):
    """How many characters of text a page shows (whitespace collapsed), to
    show that both articles carry the same words."""
    return len(shown_text(HEAD_AND_SCRIPTS.sub(" ", page.decode()).encode()))


def build(article, rendered):
    """Publish the plain twin of ``article`` beside it and return its path;
    ``rendered`` is the evidence article's page, as readers get it."""
    from newsroom.models import ArticlePage

    sections = [shown_text(section) for section in SECTION.findall(rendered)]
    blocks = article.body.get_prep_value()
    evidence_blocks = [block for block in blocks if block["type"] == "evidence"]
    if not sections or len(sections) != len(evidence_blocks):
        raise RuntimeError(
            f"the article shows {len(sections)} evidence blocks, its body has "
            f"{len(evidence_blocks)}: cannot build the article without them"
        )
    texts = iter(sections)
    body = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "evidence":
            body.append(
                {"type": "paragraph", "value": f"<p>{html.escape(next(texts))}</p>"}
            )
        elif kind == "claim":
            body.append({"type": kind, "value": {**value, "evidence": []}})
        else:
            body.append({"type": kind, "value": value})
    fields = {
        field.attname: getattr(article, field.attname)
        for field in ArticlePage._meta.local_concrete_fields
        if not field.primary_key and field.name != "body"
    }
    plain = ArticlePage(
        **fields,
        title=f"{article.title} (without evidence blocks)",
        slug=f"{article.slug}-plain",
        body=json.dumps(body),
        owner=article.owner,
    )
    article.get_parent().add_child(instance=plain)
    # Published by the load test, not by a member of the newsroom: no
    # permission to check, no workflow to go through.
    plain.save_revision().publish()
    return plain.url
