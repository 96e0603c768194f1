"""Creating an Evidence record, a copy of one, or a page: one create form makes one.

Wagtail autosaves a create form. Its first autosave creates the record or page,
and the form posts to its edit view only once that answer is back; Save draft
or Publish pressed in between posted the same form to the create view again.
A second record with the same title appeared (an article's chooser then picked
the empty one); a second page was refused for its slug, and what the editor
typed since was not saved. So each create form carries a key of its own
(formfields.py). The first save of the form claims the key in the database, in
the transaction that creates the record or page, and notes what the autosave's
answer would have told the form (the ids of the rows it saved). A later post
of the same form, even one running at the same moment, finds the key taken and
is saved as an edit of what the form made, through the edit view and all its
checks (who may edit, a lock, publishing, the gate, a stale record form or
autosave).
"""

import json

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.urls import get_script_prefix, resolve, reverse
from wagtail.snippets.views.snippets import CreateView

from wagtail_evidence.admin.views.serial_saves import view_again
from wagtail_evidence.formfields import (
    CREATE_FORM_KEY,
    CreateFormKeyField,
    create_forms_bound,
)
from wagtail_evidence.models import CreateFormKey


class FormAlreadySaved(Exception):
    def __init__(self, claim):
        super().__init__(claim.key)
        self.claim = claim


def claim_key(key, user):
    """The key, claimed for this save; a save of the same form running at the
    same moment waits here for this one's transaction to end, then finds it taken."""
    CreateFormKey.forget_old()
    try:
        with transaction.atomic():
            return CreateFormKey.objects.create(key=key, user=user)
    except IntegrityError:
        raise FormAlreadySaved(CreateFormKey.objects.get(key=key)) from None


def note_the_save(claim, form, instance):
    claim.revision = instance.latest_revision
    # Wagtail 7.4's forms may predate autosave, and with it these updates.
    updates = getattr(form, "get_field_updates_for_resave", None)
    claim.field_updates = dict(updates()) if updates else {}


def post_as_an_edit(request, claim, made):
    """Turn the request's POST into an edit of what the claim's form made."""
    if claim.user_id != request.user.pk or made is None:
        raise PermissionDenied
    data = request.POST.copy()
    data.pop(CREATE_FORM_KEY, None)
    for name, value in claim.field_updates.items():
        data[name] = value  # the rows the first save made are edited, not added
    if claim.revision is not None:
        # The form was filled in from that version: a change someone else made
        # since is not overwritten where the edit view checks for one.
        data["loaded_revision_id"] = str(claim.revision.pk)
        data["loaded_revision_created_at"] = claim.revision.created_at.isoformat()
    request.POST = data


def hand_to_the_edit_view(request, claim, made, edit_url):
    """Save the request's POST as an edit of what the claim's form made."""
    post_as_an_edit(request, claim, made)
    edit = resolve("/" + edit_url.removeprefix(get_script_prefix()))
    request.resolver_match = edit  # for the edit view's hooks (serial_saves.py)
    response = edit.func(request, *edit.args, **edit.kwargs)
    return answered_as_the_create_view(response, claim, edit_url)


def answered_as_the_create_view(response, claim, edit_url):
    """An autosave of a create form expects the create view's answer: where the
    form posts from now on, where the editor now is, and the ids of every row
    saved so far, which the edit view's answer gives only for rows it added."""
    if response.status_code != 200 or response.get("Content-Type") != (
        "application/json"
    ):
        return response
    answer = json.loads(response.content)
    if not answer.get("success"):
        return response
    # For a post of the form still to come: what it was made from by now.
    claim.field_updates = {**claim.field_updates, **answer.get("field_updates", {})}
    claim.revision_id = answer.get("revision_id", claim.revision_id)
    claim.save(update_fields=["field_updates", "revision"])
    answer["field_updates"] = claim.field_updates
    answer.setdefault("url", edit_url)
    answer.setdefault("hydrate_url", f"{edit_url}?_w_hydrate_create_view=1")
    return JsonResponse(answer)


class OneRecordPerCreateForm:
    """For a create view: a form posted again edits the record it made."""

    def save_instance(self):
        key = self.form.cleaned_data.get(CREATE_FORM_KEY)
        if not key:
            return super().save_instance()
        claim = claim_key(key, self.request.user)
        instance = super().save_instance()
        claim.evidence = instance
        note_the_save(claim, self.form, instance)
        claim.save(update_fields=["evidence", "revision", "field_updates"])
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FormAlreadySaved as saved:
            claim = saved.claim
            return hand_to_the_edit_view(
                self.request,
                claim,
                claim.evidence_id,
                reverse(self.edit_url_name, args=[claim.evidence_id]),
            )


class EvidenceCreateView(OneRecordPerCreateForm, CreateView):
    pass


# Pages: Wagtail's page create view has no method to extend, only hooks, and no
# transaction. So the before_create_page hook claims the key and runs the create
# view again inside the claim's transaction, then reads what the bound form
# saved (formfields.create_forms_bound). Registered first, so that every other
# before_create_page hook runs once, in that second run.
CLAIM = "_wagtail_evidence_create_form_claim"


def one_page_per_create_form(request, parent_page, page_class):
    """before_create_page: a create form posted again edits the page it made."""
    if request.method != "POST" or hasattr(request, CLAIM):
        return None
    key = CreateFormKeyField().clean(request.POST.get(CREATE_FORM_KEY, ""))
    if not key or request.resolver_match is None:
        return None  # a form without a key (a script's post) creates, as in Wagtail
    try:
        with transaction.atomic():
            claim = claim_key(key, request.user)
            setattr(request, CLAIM, claim)
            bound = []
            noting = create_forms_bound.set(bound)
            try:
                response = view_again(request)
            finally:
                create_forms_bound.reset(noting)
            page = bound[-1].instance if bound else None
            if page is None or page.pk is None:
                claim.delete()  # the form was refused: it may be posted again
            else:
                claim.page = page
                note_the_save(claim, bound[-1], page)
                claim.save(update_fields=["page", "revision", "field_updates"])
            return response
    except FormAlreadySaved as saved:
        claim = saved.claim
        return hand_to_the_edit_view(
            request,
            claim,
            claim.page_id,
            reverse("wagtailadmin_pages:edit", args=[claim.page_id]),
        )
