"""`load_demo` builds the whole story, one user per role, and is idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from newsroom.models import ArticlePage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Task, Workflow

from wagtail_evidence.blocks import ClaimBlock, EvidenceBlock, iter_page_block_values
from wagtail_evidence.editorial.evidence_check import check_object
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()


def counts():
    return {
        "users": get_user_model().objects.count(),
        "evidence": Evidence.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": Task.objects.count(),
        "passwords": sorted(
            get_user_model().objects.values_list("password", flat=True)
        ),
    }


def test_without_a_password_it_generates_one_prints_it_and_it_works(client):
    output = run()
    password = output.split("Password for all four: ")[1].strip()
    assert len(password) >= 12
    for username in ("admin", "editor", "verifier", "moderator"):
        assert client.login(username=username, password=password), username


def test_a_second_run_changes_nothing():
    run(password="first-password")
    before = counts()
    output = run()
    assert counts() == before
    assert "passwords are unchanged" in output
    run(password="first-password")
    assert counts() == before


def test_every_run_says_how_to_sign_in_and_a_second_how_to_reset(client):
    sign_in = "Sign in at /admin/ as admin, editor, verifier or moderator."
    assert sign_in in run()
    second = run()
    assert sign_in in second
    assert "their passwords are unchanged" in second
    assert "make demo PASSWORD=<new password>" in second
    assert "load_demo --password <new password>" in second
    # What the hint says works: every user takes the new password.
    assert "Password for all four: the one given" in run(password="a-new-one")
    for username in ("admin", "editor", "verifier", "moderator"):
        assert client.login(username=username, password="a-new-one"), username


def test_a_user_deleted_since_the_last_run_comes_back_with_a_printed_password(client):
    run(password="first-password")
    get_user_model().objects.get(username="moderator").delete()
    output = run()
    password = output.split("Password for the new users (moderator): ")[1].split()[0]
    assert client.login(username="moderator", password=password)
    assert client.login(username="editor", password="first-password")


def test_one_user_per_role_in_the_right_groups():
    run(password="pw-for-roles")
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    groups = {
        name: list(
            User.objects.get(username=name).groups.values_list("name", flat=True)
        )
        for name in ("editor", "verifier", "moderator")
    }
    assert groups == {
        "editor": ["Editors"],
        "verifier": ["Verification desk"],
        "moderator": ["Moderators"],
    }
    assert User.objects.get(username="verifier").has_perm(
        "wagtail_evidence.verify_evidence"
    )
    assert not User.objects.get(username="editor").has_perm(
        "wagtail_evidence.verify_evidence"
    )


def test_the_demo_article_carries_every_element_of_the_story():
    run(password="pw-for-story")
    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    assert article.live
    records = {e.title: e for e in Evidence.objects.all()}
    assert all(e.live for e in records.values())

    camp = records["Training camp near Hawar Kilis"]
    assert (
        camp.provider == "telegram"
        and str(camp.appearances.first().first_seen) == "2020-09-25"
    )
    assert {(c.name, c.role) for c in camp.credits.all()} >= {
        ("Obretix", "geolocation"),
        ("Local Syrian journalists", "identification"),
    }
    assert (camp.place, camp.region, camp.country) == (
        "Hawar Kilis",
        "Northern Aleppo",
        "Syria",
    )
    assert camp.latitude is not None and camp.longitude is not None

    convoy = records["Convoy in Horadiz"]
    assert convoy.date_status == "not_established" and convoy.filmed_on is None
    assert convoy.credits.filter(role="geolocation").count() == 2  # a collective credit

    call = records["Fighters call on others to join them"]
    assert (
        "Sultan Murad" in call.identified
        and call.credits.get().organisation == "Demo newsroom"
    )
    assert call.location_status == "not_established"

    bodies = records["Bodies of soldiers near Marjan"]
    assert (bodies.warning_level, bodies.display, bodies.filmed_on_precision) == (
        "graphic",
        "link",
        "approximate",
    )
    assert bodies.credits.get().organisation == "Bellingcat"

    assert (
        records["Mustapha Qanti under fire"].credits.get().name == "Elizabeth Tsurkov"
    )
    assert (
        records["Mustapha Qanti finds abandoned ammunition"]
        .credits.filter(name="Internet users", role="geolocation")
        .exists()
    )
    assert (
        records["Recruitment speech in Shaykh al-Hadid"].credits.get().role
        == "verification"
    )

    cited = [
        value.item.title for value in iter_page_block_values(article, EvidenceBlock)
    ]
    # Every record but the recycled repost, which the desk keeps to recognise
    # it (tests/demo/test_recycled.py), and no article cites.
    assert set(cited) == set(records) - {"Convoy video posted again as new, 2 November"}
    claims = list(iter_page_block_values(article, ClaimBlock))
    assert any(
        c["stance"] == "denial"
        and c["assessment"] == "contradicted"
        and len(c["evidence"]) == 4
        for c in claims
    )
    sohr = next(c for c in claims if "SOHR" in c["claimant"])
    assert sohr["assessment"] == "not_verified" and [
        f["figure"] for f in sohr["figures"]
    ] == ["134", "92", "2,050"]
    assert {c["claimant_kind"] for c in claims} >= {
        "government",
        "ngo",
        "media",
        "international",
        "party",
    }
    assert article.content_warning.level == "graphic"


def test_articles_go_through_the_evidence_check_and_the_demo_article_passes_it(demo):
    workflow = demo.get_workflow()
    assert [task.specific.__class__.__name__ for task in workflow.tasks] == [
        "EvidenceCheckTask",
        "GroupApprovalTask",
    ]
    assert [group.name for group in workflow.tasks[0].specific.groups.all()] == [
        "Verification desk"
    ]
    checklist = check_object(demo)
    assert len(checklist) == 8
    assert [item.title for item in checklist if not item.passed] == []
    assert sum(item.disclosure_needed for item in checklist) == 5
