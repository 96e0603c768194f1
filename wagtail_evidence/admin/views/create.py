"""Creating an Evidence record, a copy of one, or a page: one create form makes one.

Wagtail autosaves a create form. Its first autosave creates the record or page,
and the form posts to its edit view only once that answer is back; Save draft
or Publish pressed in between posted the same form to the create view again.
A second record with the same title appeared (an article's chooser then picked
the empty one); a second page was refused for its slug, and what the editor
typed since was not saved. So each create form carries a key of its own
(formfields.py). The first save of the form claims the key in the database, in
the transaction that creates the record or page; a later post of the same
form, even one running at the same moment, finds the key taken and is saved as
an edit of what the form made, through the edit view and all its checks (who
may edit, a stale form, publishing, the gate).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse
from wagtail.snippets.views.snippets import CreateView

from wagtail_evidence.formfields import CREATE_FORM_KEY, CreateFormKeyField
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


def post_as_an_edit(request, claim, made):
    """Turn the request's POST into an edit of what the claim's form made."""
    if claim.user_id != request.user.pk or made is None:
        raise PermissionDenied
    data = request.POST.copy()
    data.pop(CREATE_FORM_KEY, None)
    if claim.revision is not None:
        # The form was filled in from that version: a change someone else made
        # since is shown to the editor, not overwritten.
        data["loaded_revision_id"] = str(claim.revision.pk)
        data["loaded_revision_created_at"] = claim.revision.created_at.isoformat()
    request.POST = data


class OneRecordPerCreateForm:
    """For a create view: a form posted again edits the record it made."""

    edit_view_function = None  # the viewset's edit view

    def save_instance(self):
        key = self.form.cleaned_data.get(CREATE_FORM_KEY)
        if not key:
            return super().save_instance()
        claim = claim_key(key, self.request.user)
        instance = super().save_instance()
        claim.evidence = instance
        claim.revision = instance.latest_revision
        claim.save(update_fields=["evidence", "revision"])
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FormAlreadySaved as saved:
            return self.edit_the_record_made(saved.claim)

    def edit_the_record_made(self, claim):
        post_as_an_edit(self.request, claim, claim.evidence_id)
        return self.edit_view_function(self.request, pk=str(claim.evidence_id))


class EvidenceCreateView(OneRecordPerCreateForm, CreateView):
    pass


# Pages: Wagtail's page create view has no method to extend, only hooks, and
# no transaction. So the before_create_page hook claims the key and runs the
# create view again inside the claim's transaction; after_create_page (and
# before_publish_page, which a publish meets first) records the page made.
CLAIM = "_wagtail_evidence_create_form_claim"


def one_page_per_create_form(request, parent_page, page_class):
    """before_create_page: a create form posted again edits the page it made."""
    if request.method != "POST" or hasattr(request, CLAIM):
        return None
    key = CreateFormKeyField().clean(request.POST.get(CREATE_FORM_KEY, ""))
    match = request.resolver_match  # None where a view called the create view
    if not key or match is None:
        return None  # a form without a key (a script's post) creates, as in Wagtail
    try:
        with transaction.atomic():
            claim = claim_key(key, request.user)
            setattr(request, CLAIM, claim)
            response = match.func(request, *match.args, **match.kwargs)
            if claim.page_id is None:  # the form was refused: it may be posted again
                claim.delete()
            return response
    except FormAlreadySaved as saved:
        return edit_the_page_made(request, saved.claim)


def record_the_page_made(request, page):
    """after_create_page and before_publish_page: the page this form's key made."""
    claim = getattr(request, CLAIM, None)
    if claim is not None and claim.page_id is None and page.pk is not None:
        claim.page = page
        claim.revision = page.latest_revision
        claim.save(update_fields=["page", "revision"])


def edit_the_page_made(request, claim):
    post_as_an_edit(request, claim, claim.page_id)
    edit = resolve(reverse("wagtailadmin_pages:edit", args=[claim.page_id]))
    return edit.func(request, *edit.args, **edit.kwargs)
