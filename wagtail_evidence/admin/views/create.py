"""Creating an Evidence record, or a copy of one: one create form makes one record.

Wagtail autosaves a create form. Its first autosave creates the record, and the
form posts to the record's edit view only once that answer is back; Save draft
or Publish pressed in between posted the same form to the create view again,
and a second record with the same title appeared (an article's chooser then
picked the empty one). So each create form carries a key of its own
(admin/forms.py). The first save of the form claims the key in the database,
in the transaction that creates the record; a later post of the same form, even
one running at the same moment, finds the key taken and is saved as an edit of
the record the form made, through the edit view and all its checks (who may
edit, a stale form, publishing).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from wagtail.snippets.views.snippets import CreateView

from wagtail_evidence.admin.forms import CREATE_FORM_KEY
from wagtail_evidence.models import CreateFormKey


class FormAlreadySaved(Exception):
    def __init__(self, claim):
        super().__init__(claim.key)
        self.claim = claim


class OneRecordPerCreateForm:
    """For a create view: a form posted again edits the record it made."""

    edit_view_function = None  # the viewset's edit view

    def save_instance(self):
        key = self.form.cleaned_data.get(CREATE_FORM_KEY)
        if not key:
            return super().save_instance()
        claim = self.claim(key)
        instance = super().save_instance()
        claim.evidence = instance
        claim.revision = instance.latest_revision
        claim.save(update_fields=["evidence", "revision"])
        return instance

    def claim(self, key):
        """The key, claimed for this save; a save of the same form running at
        the same moment waits here for this one to end, then finds it taken."""
        CreateFormKey.forget_old()
        try:
            with transaction.atomic():
                return CreateFormKey.objects.create(key=key, user=self.request.user)
        except IntegrityError:
            raise FormAlreadySaved(CreateFormKey.objects.get(key=key)) from None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FormAlreadySaved as saved:
            return self.edit_the_record_made(saved.claim)

    def edit_the_record_made(self, claim):
        if claim.user_id != self.request.user.pk or claim.evidence_id is None:
            raise PermissionDenied
        data = self.request.POST.copy()
        data.pop(CREATE_FORM_KEY, None)
        if claim.revision is not None:
            # The form was filled in from that version: a change someone else
            # made since is shown to the editor, not overwritten.
            data["loaded_revision_id"] = str(claim.revision.pk)
            data["loaded_revision_created_at"] = claim.revision.created_at.isoformat()
        self.request.POST = data
        return self.edit_view_function(self.request, pk=str(claim.evidence_id))


class EvidenceCreateView(OneRecordPerCreateForm, CreateView):
    pass
