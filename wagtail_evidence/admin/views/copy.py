"""Copying an Evidence record: a new draft that starts where the desk has not been.

Wagtail's copy view hands its form the original record, on POST as well as GET,
so the form would save over the original. Here the form always gets a new,
unsaved record built from the original: what editors wrote is kept, while the
desk's findings (facet statuses, the verdict and its note, verification credits)
start at their defaults, because they were findings about the original media,
and the copy exists to describe another one. A POST to the copy URL can
therefore only ever insert a row, and one form only one (views/create.py).
"""

from wagtail.snippets.views.snippets import CopyView

from wagtail_evidence.admin.views.create import OneRecordPerCreateForm
from wagtail_evidence.choices import CreditRole, FacetStatus, Verdict
from wagtail_evidence.facets import FACET_STATUS_FIELDS


# Where the record stands in Wagtail's publishing and locking: the copy's own.
STATE_FIELDS = {
    "live": False,
    "has_unpublished_changes": True,
    "first_published_at": None,
    "last_published_at": None,
    "live_revision": None,
    "latest_revision": None,
    "go_live_at": None,
    "expire_at": None,
    "expired": False,
    "locked": False,
    "locked_at": None,
    "locked_by": None,
    "render_token": "",
}


def copy_as_new_draft(evidence):
    """A new, unsaved draft record with the original's media, sources, notes and
    tags, and none of the desk's findings."""
    copy = type(evidence)(
        **{
            field.attname: field.value_from_object(evidence)
            for field in evidence._meta.concrete_fields
            if not field.primary_key
        }
    )
    for name, value in STATE_FIELDS.items():
        setattr(copy, name, value)
    for name in FACET_STATUS_FIELDS:
        setattr(copy, name, FacetStatus.UNCHECKED)
    copy.verdict = Verdict.PENDING
    copy.verdict_note = ""
    copy.appearances = [unsaved_copy(row) for row in evidence.appearances.all()]
    copy.credits = [
        unsaved_copy(credit)
        for credit in evidence.credits.all()
        if credit.role != CreditRole.VERIFICATION
    ]
    copy.tags.add(*evidence.tags.all())
    return copy


def unsaved_copy(row):
    """A child row's values on a new row of its own, for the copy to own."""
    return type(row)(
        **{
            field.attname: field.value_from_object(row)
            for field in row._meta.concrete_fields
            if not field.primary_key and field.name != "evidence"
        }
    )


class EvidenceCopyView(OneRecordPerCreateForm, CopyView):
    def get_initial_form_instance(self):
        # Checks the user may see the original (Wagtail's own rule), then copies it.
        return copy_as_new_draft(self.get_object())
