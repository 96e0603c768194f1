"""A save from an Evidence form loaded before someone else's save is refused,
names who changed what, keeps the user's input, and never lets the history
credit the user with undoing a change they never saw."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.admin_forms import client_for, form_data
from tests.factories import make_evidence
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def edit_url(evidence):
    return reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])


def latest(evidence):
    return Evidence.objects.get(pk=evidence.pk).latest_revision.as_object()


@pytest.fixture
def record(users):
    users["verifier"].first_name, users["verifier"].last_name = "Vera", "Desk"
    users["verifier"].save()
    evidence = make_evidence(verdict="verified", location_method="", date_method="")
    evidence.save_revision(user=users["admin"]).publish()
    return Evidence.objects.get(pk=evidence.pk)


def test_a_stale_desk_form_cannot_undo_a_downgraded_verdict(users, record):
    stale_desk = client_for(users["admin"])
    stale_data = form_data(stale_desk.get(edit_url(record)))  # verdict: verified
    desk = client_for(users["verifier"])
    desk.post(
        edit_url(record),
        {
            **form_data(desk.get(edit_url(record))),
            "verdict": "misleading",
            "verification_reason": "Older footage.",
        },
    )
    assert latest(record).verdict == "misleading"
    revisions = record.revisions.count()

    response = stale_desk.post(
        edit_url(record), {**stale_data, "location_method": "Matched the minaret."}
    )

    assert response.status_code == 200  # the form again, not a redirect
    assert latest(record).verdict == "misleading"
    assert record.revisions.count() == revisions
    page = response.content.decode()
    assert "Since you opened this form, Vera Desk changed: Verdict." in page
    assert "Matched the minaret." in page  # the user's input is still there
    # Nothing in the history says the stale user changed the verdict.
    assert not ModelLogEntry.objects.filter(
        action="wagtail_evidence.verdict", user=users["admin"]
    ).exists()


def test_saving_again_keeps_the_others_change_and_adds_only_the_users_own(
    users, record
):
    stale_desk = client_for(users["admin"])
    stale_data = form_data(stale_desk.get(edit_url(record)))
    desk = client_for(users["verifier"])
    desk.post(
        edit_url(record),
        {**form_data(desk.get(edit_url(record))), "verdict": "misleading"},
    )

    refused = stale_desk.post(
        edit_url(record), {**stale_data, "location_method": "Matched the minaret."}
    )
    # The form it gets back carries the current verdict and the user's note.
    again = form_data(refused)
    # (.strip(): the HTML parser keeps the newline that opens a textarea; browsers drop it.)
    assert (again["verdict"], again["location_method"].strip()) == (
        "misleading",
        "Matched the minaret.",
    )
    response = stale_desk.post(edit_url(record), again)

    assert response.status_code == 302
    draft = latest(record)
    assert (draft.verdict, draft.location_method) == (
        "misleading",
        "Matched the minaret.",
    )
    assert not ModelLogEntry.objects.filter(
        action="wagtail_evidence.verdict", user=users["admin"]
    ).exists()


def test_two_editors_the_second_save_is_refused_not_lost(users, record):
    first, second = client_for(users["editor"]), client_for(users["moderator"])
    first_data = form_data(first.get(edit_url(record)))
    second_data = form_data(second.get(edit_url(record)))

    assert (
        first.post(
            edit_url(record),
            {**first_data, "description": "Men train at a camp; a flag is visible."},
        ).status_code
        == 302
    )
    response = second.post(
        edit_url(record), {**second_data, "place": "Near Hawar Kilis"}
    )

    assert response.status_code == 200
    assert (
        "Since you opened this form, editor changed: Safe description."
        in response.content.decode()
    )
    draft = latest(record)
    assert (draft.description, draft.place) == (
        "Men train at a camp; a flag is visible.",
        "Hawar Kilis",
    )
    # Their input comes back; the first editor's description is brought in.
    again = form_data(response)
    assert (again["place"], again["description"].strip()) == (
        "Near Hawar Kilis",
        "Men train at a camp; a flag is visible.",
    )


def test_when_both_changed_the_same_field_the_users_version_is_kept_and_named(
    users, record
):
    first, second = client_for(users["editor"]), client_for(users["moderator"])
    first_data = form_data(first.get(edit_url(record)))
    second_data = form_data(second.get(edit_url(record)))
    first.post(edit_url(record), {**first_data, "description": "First wording."})

    response = second.post(
        edit_url(record), {**second_data, "description": "Second wording."}
    )

    page = response.content.decode()
    assert "still shows yours of: Safe description" in page
    assert form_data(response)["description"].strip() == "Second wording."
    assert latest(record).description == "First wording."


def test_an_up_to_date_form_saves_as_before(users, record):
    client = client_for(users["editor"])
    response = client.post(
        edit_url(record),
        {**form_data(client.get(edit_url(record))), "place": "Hawar Kilis camp"},
    )
    assert response.status_code == 302
    assert latest(record).place == "Hawar Kilis camp"


def test_a_stale_revert_is_refused_too(users, record):
    """Reverting is the edit form loaded from an old revision: the same rule holds."""
    old_revision = record.latest_revision
    url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[record.pk, old_revision.pk],
    )
    stale_admin = client_for(users["admin"])
    stale_data = form_data(stale_admin.get(url))
    desk = client_for(users["verifier"])
    desk.post(
        edit_url(record),
        {**form_data(desk.get(edit_url(record))), "verdict": "misleading"},
    )

    response = stale_admin.post(url, stale_data)

    assert response.status_code == 200
    assert latest(record).verdict == "misleading"


def test_a_stale_form_cannot_drop_a_verification_credit_the_desk_added(users, record):
    stale_editor = client_for(users["editor"])
    stale_data = form_data(stale_editor.get(edit_url(record)))
    desk = client_for(users["verifier"])
    desk_data = form_data(desk.get(edit_url(record)))
    rows = int(desk_data["credits-TOTAL_FORMS"])
    desk_data.update(
        {
            "credits-TOTAL_FORMS": str(rows + 1),
            f"credits-{rows}-name": "Afrin Post",
            f"credits-{rows}-role": "verification",
            f"credits-{rows}-ORDER": str(rows + 1),
            f"credits-{rows}-DELETE": "",
            f"credits-{rows}-id": "",
        }
    )
    assert desk.post(edit_url(record), desk_data).status_code == 302
    assert latest(record).credits.filter(role="verification").count() == 1

    response = stale_editor.post(
        edit_url(record), {**stale_data, "place": "Hawar Kilis, north"}
    )
    assert response.status_code == 200
    assert "still shows yours of: Credits" in response.content.decode()
    # Saving the form it got back would still drop the credit: the desk's guard refuses that.
    again = stale_editor.post(edit_url(record), form_data(response))
    assert again.status_code == 200
    assert latest(record).credits.filter(role="verification").count() == 1
    assert latest(record).place == "Hawar Kilis"


def test_the_history_of_a_revert_says_what_changed_from_the_current_version(
    users, record
):
    """A revert starts from an older revision's values: the history compares with
    the record as it stood, so the desk's restoring a verdict is logged."""
    verified_revision = record.latest_revision
    desk = client_for(users["verifier"])
    desk.post(
        edit_url(record),
        {**form_data(desk.get(edit_url(record))), "verdict": "misleading"},
    )
    url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:revisions_revert",
        args=[record.pk, verified_revision.pk],
    )

    response = desk.post(
        url,
        {
            **form_data(desk.get(url)),
            "verification_reason": "The older footage claim was wrong.",
        },
    )

    assert response.status_code == 302
    assert latest(record).verdict == "verified"
    entries = ModelLogEntry.objects.filter(action="wagtail_evidence.verdict").order_by(
        "pk"
    )
    assert [(e.user, e.data["before"], e.data["after"]) for e in entries] == [
        (users["verifier"], "verified", "misleading"),
        (users["verifier"], "misleading", "verified"),
    ]


def test_an_editor_is_told_of_the_desks_verdict_but_has_nothing_to_check(users, record):
    """The verdict is not in an editor's form: it follows the record, so it is
    named as changed but not as something the form still shows their way."""
    stale_editor = client_for(users["editor"])
    stale_data = form_data(stale_editor.get(edit_url(record)))
    desk = client_for(users["verifier"])
    desk.post(
        edit_url(record),
        {**form_data(desk.get(edit_url(record))), "verdict": "misleading"},
    )

    response = stale_editor.post(
        edit_url(record), {**stale_data, "place": "Hawar Kilis, north"}
    )

    page = response.content.decode()
    assert "Vera Desk changed: Verdict." in page
    assert "still shows yours" not in page
    assert stale_editor.post(edit_url(record), form_data(response)).status_code == 302
    assert (latest(record).verdict, latest(record).place) == (
        "misleading",
        "Hawar Kilis, north",
    )


AUTOSAVE = {"accept": "application/json"}


def autosave(client, evidence, data):
    answer = client.post(edit_url(evidence), data, headers=AUTOSAVE).json()
    assert answer["success"] is True
    return str(answer["revision_id"])


def test_the_forms_own_autosave_does_not_make_it_stale(users, record):
    """The page posts the revision its own autosave wrote
    (static/wagtail_evidence/js/admin-autosave.js)."""
    editor = client_for(users["editor"])
    data = form_data(editor.get(edit_url(record)))
    own = autosave(editor, record, {**data, "description": "Trucks in the square."})

    response = editor.post(
        edit_url(record),
        {
            **data,
            "description": "Trucks in the square at dawn.",
            "autosaved_revision_id": own,
        },
    )

    assert response.status_code == 302
    assert latest(record).description == "Trucks in the square at dawn."


def test_another_tabs_autosave_still_makes_the_form_stale(users, record):
    editor = client_for(users["editor"])
    first_tab = form_data(editor.get(edit_url(record)))
    second_tab = form_data(editor.get(edit_url(record)))
    autosave(editor, record, {**first_tab, "description": "Typed in the first tab."})

    response = editor.post(
        edit_url(record), {**second_tab, "location_method": "Typed in the second."}
    )

    assert response.status_code == 200
    assert "it changed since you opened it" in response.content.decode()
    assert latest(record).description == "Typed in the first tab."


@pytest.mark.parametrize("whose", ["someone else's", "own, then someone else's"])
def test_an_autosave_id_never_hides_someone_elses_save(users, record, whose):
    editor = client_for(users["editor"])
    data = form_data(editor.get(edit_url(record)))
    desk = client_for(users["verifier"])
    if whose == "someone else's":
        own = None
    else:
        own = autosave(editor, record, {**data, "description": "Mine."})
    desk.post(
        edit_url(record),
        {**form_data(desk.get(edit_url(record))), "location_method": "The desk's."},
    )
    claimed = own or str(Evidence.objects.get(pk=record.pk).latest_revision_id)

    response = editor.post(
        edit_url(record),
        {**data, "description": "Mine, again.", "autosaved_revision_id": claimed},
    )

    assert response.status_code == 200
    assert "Vera Desk changed: " in response.content.decode()
    assert latest(record).location_method == "The desk's."
