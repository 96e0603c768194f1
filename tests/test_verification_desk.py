"""Only the verification desk changes what the badge is derived from; every
change of a status, the verdict or the warning leaves a readable trail."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.admin_forms import form_data
from tests.factories import make_evidence
from wagtail_evidence.editorial.verification import change_verification
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db

STATUS_FIELDS = [
    "location_status",
    "date_status",
    "identity_status",
    "authenticity_status",
    "verdict",
]


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def test_editors_see_statuses_and_the_verdict_read_only(login):
    evidence = make_evidence()
    page = login("editor").get(edit_url(evidence)).content.decode()
    for field in STATUS_FIELDS:
        assert f'name="{field}"' not in page
    assert "Location status" in page and "Confirmed" in page  # shown, not editable
    desk_page = login("verifier").get(edit_url(evidence)).content.decode()
    for field in STATUS_FIELDS:
        assert f'name="{field}"' in desk_page


def test_an_editor_cannot_change_a_status_or_the_verdict_by_posting_it(login):
    evidence = make_evidence(
        verdict="pending", location_status="not_established", place=""
    )
    editor = login("editor")
    data = {
        **form_data(editor.get(edit_url(evidence))),
        "location_status": "confirmed",
        "place": "Horadiz",
        "verdict": "verified",
    }
    editor.post(edit_url(evidence), data)
    draft = Evidence.objects.get(pk=evidence.pk).latest_revision.as_object()
    assert draft.place == "Horadiz"  # an editor's own fields are saved
    assert (draft.location_status, draft.verdict) == ("not_established", "pending")


def test_the_desk_changes_them_and_the_history_says_who_what_and_why(login):
    evidence = make_evidence(verdict="pending", date_status="not_established")
    desk = login("verifier")
    data = {
        **form_data(desk.get(edit_url(evidence))),
        "verdict": "verified",
        "warning_level": "disturbing",
        "warning_categories": "distress",
        "verification_reason": "Geolocation checked twice.",
    }
    response = desk.post(edit_url(evidence), data)
    assert response.status_code == 302

    entries = ModelLogEntry.objects.filter(
        action__startswith="wagtail_evidence."
    ).order_by("pk")
    assert [(e.action, e.data["before"], e.data["after"]) for e in entries] == [
        ("wagtail_evidence.verdict", "pending", "verified"),
        ("wagtail_evidence.warning_level", "none", "disturbing"),
        ("wagtail_evidence.warning_categories", [], ["distress"]),
    ]
    assert {e.user.username for e in entries} == {"verifier"}
    history = desk.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:history", args=[evidence.pk])
    ).content.decode()
    assert "Verdict: Awaiting verification → Verified as described" in history
    assert "Content warning: No warning → Disturbing" in history
    assert "What the warning is for: none → Distress" in history
    assert "Geolocation checked twice." in history

    # Saving again without changes adds nothing to the trail.
    desk.post(edit_url(evidence), form_data(desk.get(edit_url(evidence))))
    assert (
        ModelLogEntry.objects.filter(action__startswith="wagtail_evidence.").count()
        == 3
    )


def test_code_goes_through_the_same_rule(users):
    evidence = make_evidence(verdict="pending")
    with pytest.raises(PermissionDenied):
        change_verification(evidence, users["editor"], verdict="verified")
    assert Evidence.objects.get(pk=evidence.pk).verdict == "pending"

    change_verification(
        evidence, users["verifier"], reason="Checked.", verdict="verified"
    )
    assert (
        Evidence.objects.get(pk=evidence.pk).verdict == "verified"
    )  # live record: published
    entry = ModelLogEntry.objects.get(action="wagtail_evidence.verdict")
    assert (entry.user, entry.data["reason"]) == (users["verifier"], "Checked.")

    # Warnings are not desk-only; an editor, who may not publish, leaves a draft.
    change_verification(evidence, users["editor"], warning_level="disturbing")
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert evidence.warning_level == "none"
    assert evidence.latest_revision.as_object().warning_level == "disturbing"


def test_the_roles_command_sets_up_the_groups_and_can_run_again(db):
    out = io.StringIO()
    call_command("setup_evidence_roles", stdout=out)
    call_command("setup_evidence_roles", stdout=out)
    desk = Group.objects.get(name="Verification desk")
    assert desk.permissions.filter(codename="verify_evidence").count() == 1
    assert (
        not Group.objects.get(name="Editors")
        .permissions.filter(codename="verify_evidence")
        .exists()
    )
    assert "Verification desk" in out.getvalue()


def credit_rows(rows, initial=0):
    from tests.admin_forms import inline_rows

    data = inline_rows("credits", rows)
    data["credits-INITIAL_FORMS"] = str(initial)
    return data


def test_only_the_desk_adds_or_removes_a_verification_credit(login):
    evidence = make_evidence()  # has one geolocation credit, Obretix
    obretix = evidence.credits.get()
    existing = {
        "id": str(obretix.pk),
        "name": "Obretix",
        "organisation": "",
        "role": "geolocation",
        "url": "",
    }
    verification = {
        "name": "Afrin Post",
        "organisation": "",
        "role": "verification",
        "url": "",
    }

    editor = login("editor")
    data = form_data(editor.get(edit_url(evidence)))
    response = editor.post(
        edit_url(evidence), {**data, **credit_rows([existing, verification], initial=1)}
    )
    assert response.status_code == 200
    assert (
        "Only the verification desk can add, change or remove a credit whose role is Verification."
        in response.content.decode()
    )

    other = {
        "name": "A translator",
        "organisation": "",
        "role": "translation",
        "url": "",
    }
    assert (
        editor.post(
            edit_url(evidence), {**data, **credit_rows([existing, other], initial=1)}
        ).status_code
        == 302
    )

    desk = login("verifier")
    data = form_data(desk.get(edit_url(evidence)))
    assert (
        desk.post(
            edit_url(evidence),
            {**data, **credit_rows([existing, verification], initial=1)},
        ).status_code
        == 302
    )
    roles = [
        credit.role
        for credit in Evidence.objects.get(pk=evidence.pk)
        .latest_revision.as_object()
        .credits.all()
    ]
    assert "verification" in roles


def revert(client, evidence, revision):
    url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[evidence.pk, revision.pk],
    )
    return client.post(url, form_data(client.get(url)))


def test_an_editor_cannot_restore_an_older_verdict(login, users):
    evidence = make_evidence(verdict="pending")
    old_revision = evidence.latest_revision
    change_verification(evidence, users["verifier"], verdict="verified")

    response = revert(login("editor"), evidence, old_revision)
    assert response.status_code == 200
    assert (
        "This version has other facet statuses or another verdict than the current one."
        in response.content.decode()
    )
    assert (
        Evidence.objects.get(pk=evidence.pk).latest_revision.as_object().verdict
        == "verified"
    )

    assert revert(login("verifier"), evidence, old_revision).status_code == 302
    assert (
        Evidence.objects.get(pk=evidence.pk).latest_revision.as_object().verdict
        == "pending"
    )


def test_an_editor_cannot_restore_older_verification_credits(login, users):
    evidence = make_evidence()
    old_revision = evidence.latest_revision
    Credit.objects.create(evidence=evidence, name="Afrin Post", role="verification")
    evidence = Evidence.objects.get(pk=evidence.pk)
    evidence.save_revision(user=users["verifier"]).publish(user=users["verifier"])

    response = revert(login("editor"), evidence, old_revision)
    assert (
        "This version has other verification credits than the current one."
        in response.content.decode()
    )
    credits = (
        Evidence.objects.get(pk=evidence.pk).latest_revision.as_object().credits.all()
    )
    assert "Afrin Post" in [credit.name for credit in credits]
