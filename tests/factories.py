"""Small builders for tests that need records without going through the admin."""

from wagtail.models import Page, Site

from newsroom.models import ArticlePage, HomePage
from wagtail_evidence.models import Appearance, Credit, Evidence


def make_evidence(publish=True, **fields):
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
    evidence = Evidence(live=publish, **values)  # Wagtail's models start live
    evidence.credits = [Credit(name="Obretix", role="geolocation")]
    evidence.appearances = [Appearance(platform="telegram", account="A channel")]
    evidence.full_clean()
    evidence.save()
    if publish:
        evidence.save_revision().publish()
    return evidence


def home_page():
    """The site's home page, made the default site's root on first use."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="home-test"))
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()  # not update(): saving clears Wagtail's cache of site roots
    return home


def make_article(body, publish=True, **fields):
    article = ArticlePage(title=fields.pop("title", "An article"), body=body, live=False, **fields)
    home_page().add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def evidence_block(evidence, **value):
    return {"type": "evidence", "value": {"evidence": evidence.pk, "heading": "", "caption": "", "display": "", **value}}


def make_article_workflow():
    """The demo's workflow for the home page's articles: the evidence check by
    the verification desk, then Wagtail's approval by the moderators."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from wagtail_evidence.models import EvidenceCheckTask
    from wagtail_evidence.roles import MODERATORS, VERIFICATION_DESK

    workflow = Workflow.objects.create(name="Articles")
    steps = [(EvidenceCheckTask, "Evidence check", VERIFICATION_DESK), (GroupApprovalTask, "Final approval", MODERATORS)]
    for order, (task_class, name, group_name) in enumerate(steps):
        task = task_class.objects.create(name=name)
        task.groups.set([Group.objects.get(name=group_name)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.create(workflow=workflow, page=home_page())
    return workflow
