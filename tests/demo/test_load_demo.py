"""`load_demo` builds the whole story, one user per role, and is idempotent."""

import io
import re
import sys

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from newsroom.models import ArticlePage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Task, Workflow

from wagtail_evidence.blocks import ClaimBlock, EvidenceBlock, iter_page_block_values
from wagtail_evidence.editorial.evidence_check import check_object
from wagtail_evidence.models import ContentCredentials, Evidence


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


# The desk's capture, with Content Credentials

CALL = "Fighters call on others to join them"


def test_the_desks_capture_carries_content_credentials_the_panel_shows(client, demo):
    pytest.importorskip("c2pa", reason='needs "wagtail-evidence[c2pa]"')
    call = Evidence.objects.get(title=CALL)
    assert call.original_file.title == f"Desk capture: {CALL}"
    assert len(call.original_file_sha256) == 64  # kept, as the desk's files are

    # Only the desk's capture carries credentials; no other file of the demo.
    signed = ContentCredentials.objects.exclude(state="absent")
    assert [(row.evidence.title, row.file) for row in signed] == [
        (CALL, "original_file")
    ]
    row = signed.get()
    assert (row.state, row.signer_name, row.signer_issuer) == (
        "valid",
        "Observers desk",
        "Demo newsroom",
    )
    assert row.claim_generator == "Desk capture 1.0"
    assert [action["digital_source_type"] for action in row.actions] == [
        "screenCapture"
    ]
    assert row.trusted is None and not row.ai_generated

    # The desk sees it on the record's form, over HTTP.
    client.force_login(get_user_model().objects.get(username="verifier"))
    form = client.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[call.pk])
    )
    panel = BeautifulSoup(form.content, "html.parser").select_one(
        ".evidence-content-credentials"
    )
    shown = re.sub(r"\s+", " ", panel.get_text())
    assert f"Original file: Desk capture: {CALL}" in shown
    assert "Observers desk (issuer: Demo newsroom)" in shown
    assert "Desk capture 1.0" in shown and "screenCapture" in shown
    assert "Not checked: this site configures no trust list." in shown


def test_the_desks_capture_says_the_same_on_every_run():
    """The chain's keys are remade from its names, so every run signs with the
    same keys and names; what a reading of the capture finds is the same too."""
    pytest.importorskip("c2pa", reason='needs "wagtail-evidence[c2pa]"')
    from cryptography import x509
    from newsroom import desk_capture, stills

    from wagtail_evidence.media.credentials import read_credentials

    first, second = desk_capture.make_chain(), desk_capture.make_chain()
    assert first.signer_key_pem == second.signer_key_pem
    roots = [x509.load_pem_x509_certificate(c.root_pem) for c in (first, second)]
    assert roots[0].public_key() == roots[1].public_key()
    assert roots[0].subject == roots[1].subject
    still = stills.still("call")

    def facts():
        signed = desk_capture.signed_capture(still, "desk-capture-call.jpg")
        found = read_credentials(io.BytesIO(signed), "desk-capture-call.jpg")
        del found["read_at"]
        return found

    assert facts() == facts()


def test_without_the_c2pa_extra_the_demo_loads_and_the_capture_has_none(
    client, monkeypatch
):
    monkeypatch.setitem(sys.modules, "c2pa", None)  # the import fails, as without it
    run(password="pw-without-c2pa")

    call = Evidence.objects.get(title=CALL)
    assert Evidence.objects.count() == 9
    with call.original_file.open_file() as capture:
        assert b"c2pa" not in capture.read()  # the same still, unsigned
    assert not ContentCredentials.objects.exists()
    article = ArticlePage.objects.get(slug="syrian-fighters-nagorno-karabakh")
    assert "Content Credentials" not in client.get(article.url).content.decode()
