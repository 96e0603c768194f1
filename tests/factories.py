"""Small builders for tests that need records without going through the admin."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from tests.testapp.models import ArticlePage, HomePage
from wagtail_evidence.models import Appearance, Credit, Evidence


def in_order(items):
    """Inline rows numbered as the admin's form numbers them: assigning a list
    leaves sort_order empty, and rows that tie come back in any order."""
    items = list(items)
    for index, item in enumerate(items):
        item.sort_order = index
    return items


def make_evidence(publish=True, appearances=None, **fields):
    values = {
        "title": "Training camp near Hawar Kilis",
        "media_url": "https://t.me/demo_observers/2501",
        "description": "Young men train at an outdoor camp.",
        "place": "Hawar Kilis",
        "country": "Syria",
        "location_status": "confirmed",
        "date_status": "not_established",
        "verdict": "verified",
        **fields,
    }
    evidence = Evidence(live=publish, **values)
    # Numbered: rows a test adds after these sort after them on every database
    # (PostgreSQL puts an empty sort_order last, SQLite first).
    evidence.credits = in_order([Credit(name="Obretix", role="geolocation")])
    evidence.appearances = in_order(
        appearances or [Appearance(platform="telegram", account="A channel")]
    )
    evidence.full_clean()
    evidence.save()
    if publish:
        evidence.save_revision().publish()
    return evidence


def home_page():
    """The site's home page, made the default site's root on first use."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Home", slug="home-test")
        )
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()  # not update(): saving clears Wagtail's cache of site roots
    return home


def make_article(body, publish=True, **fields):
    article = ArticlePage(
        title=fields.pop("title", "An article"), body=body, live=False, **fields
    )
    home_page().add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def evidence_block(evidence, **value):
    return {
        "type": "evidence",
        "value": {
            "evidence": evidence.pk,
            "heading": "",
            "caption": "",
            "display": "",
            **value,
        },
    }


def make_citing_articles(evidence, count):
    """``count`` live articles, "Article 0", "Article 1"…, each citing ``evidence``."""
    return [
        make_article(
            [evidence_block(evidence)], title=f"Article {n}", slug=f"article-{n}"
        )
        for n in range(count)
    ]


def make_article_workflow():
    """The workflow of the home page's articles, as load_demo sets it up: the
    evidence check by the verification desk, then Wagtail's approval by the
    moderators."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from wagtail_evidence.editorial.roles import MODERATORS, VERIFICATION_DESK
    from wagtail_evidence.models import EvidenceCheckTask

    workflow = Workflow.objects.create(name="Articles")
    steps = [
        (EvidenceCheckTask, "Evidence check", VERIFICATION_DESK),
        (GroupApprovalTask, "Final approval", MODERATORS),
    ]
    for order, (task_class, name, group_name) in enumerate(steps):
        task = task_class.objects.create(name=name)
        task.groups.set([Group.objects.get(name=group_name)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.create(workflow=workflow, page=home_page())
    return workflow


def claim_block(*evidence, **value):
    """A claim block: a ministry's denial, assessed as contradicted, set
    against ``evidence``; ``value`` changes any of its fields."""
    return {
        "type": "claim",
        "value": {
            "stance": "denial",
            "statement": "No.",
            "claimant": "A ministry",
            "claimant_kind": "",
            "claimed_on": None,
            "source_url": "",
            "figures": [],
            "assessment": "contradicted",
            "assessment_note": "",
            "evidence": [record.pk for record in evidence],
            **value,
        },
    }


def make_poster(title="Poster"):
    """A plain still of our own, made with Pillow as load_demo makes its posters."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 180), (61, 74, 58)).save(buffer, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(buffer, name="poster.png"))
    image.save()
    return image


def make_showcase_article(**fields):
    """A published article with one item of each kind a reader meets: a player
    that waits for consent, with our own poster; an item covered by its warning;
    a graphic item shown as a link only; and a claim set against all three,
    after a heading and a paragraph. Its content is harmless."""
    player = make_evidence(
        title="Fighters on the front line",
        media_url="https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
        poster=make_poster(),
    )
    covered = make_evidence(
        title="Under fire",
        media_url="https://t.me/demo_observers/2610",
        description="A young fighter films himself as shrapnel falls near him.",
        warning_level="disturbing",
        warning_categories=["distress"],
    )
    link_only = make_evidence(
        title="Bodies near a village",
        media_url="https://x.com/demo_observers/status/1315024660000000000",
        description="A fighter walks among the bodies of dead soldiers.",
        display="link",
        warning_level="graphic",
        warning_categories=["violence", "dead_or_injured"],
    )
    body = [
        {"type": "heading", "value": "What the videos show"},
        {"type": "paragraph", "value": "<p>Three videos, <b>checked</b> by us.</p>"},
        evidence_block(player, caption="Published on 12 October."),
        evidence_block(covered),
        evidence_block(link_only),
        claim_block(
            player,
            covered,
            link_only,
            claimant_kind="government",
            claimed_on="2020-10-18",
            source_url="https://ministry.example/statement",
            figures=[{"figure": "134", "label": "fighters killed"}],
        ),
    ]
    values = {
        "title": "Videos from the front",
        "slug": "videos-from-the-front",
        "standfirst": "Footage shared online shows fighters on their way to the front.",
        "content_warning_text": "some images described in this article may shock.",
        **fields,
    }
    return make_article(body, **values)
