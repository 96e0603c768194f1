"""Editing an Evidence record: a save from a stale form is refused, never merged
over the record in silence.

Wagtail's own editor warns when a newer version exists and, for autosave,
refuses; a plain Save or Publish from a form loaded before someone else's save
would still write the older values back, and the history would credit this user
with undoing what they never saw. For Evidence that is the verification record
itself, so every stale save is refused, whatever it touches: a lost note on a
method is a wrong record too. The form comes back with the user's input, with
what the others changed (and the user did not) brought up to date, and a
message naming who changed what: saving again then writes only the user's own
changes.
"""

from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.snippets.views.snippets import EditView

from wagtail_evidence.admin.views.sources import header_buttons as sources_buttons
from wagtail_evidence.i18n import join_labels


# What a form may hold beside the record's own fields.
CHILD_RELATIONS = ("appearances", "credits")
# The revision the form's own autosave wrote, posted with a full save.
AUTOSAVED_REVISION = "autosaved_revision_id"


class EvidenceEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        # "Sources and archives": archive now, check sources (views/sources.py).
        return [
            *super().header_more_buttons,
            *sources_buttons(self.request, self.object),
        ]

    def is_valid(self, form):
        valid = super().is_valid(form)
        if self.expects_json_response or not self.is_out_of_date:
            return valid  # autosave: Wagtail already refuses a stale one
        newer = list(self.revisions_since_loaded())
        if not newer or self.only_its_own_autosave(newer):
            return valid
        self.up_to_date_form = self.bring_up_to_date(form, newer)
        self.produced_error_code = "stale"
        self.produced_error_message = _(
            "The evidence was not saved: it changed since you opened it."
        )
        return False

    def only_its_own_autosave(self, newer):
        """Whether all that changed since the form was loaded is the form's own
        autosave: the revision this tab's autosave wrote, which only this tab
        learns (static/.../admin-autosave.js), by this user."""
        posted = self.request.POST.get(AUTOSAVED_REVISION, "")
        return (
            posted.isdigit()
            and [revision.pk for revision in newer] == [int(posted)]
            and newer[0].user_id == self.request.user.pk
        )

    def form_invalid(self, form):
        return super().form_invalid(getattr(self, "up_to_date_form", form))

    def revisions_since_loaded(self):
        revisions = self.object.revisions.order_by("created_at", "pk")
        loaded_at = parse_datetime(
            self.request.POST.get("loaded_revision_created_at", "")
        )
        if loaded_at is not None:
            return revisions.filter(created_at__gt=loaded_at).select_related("user")
        return revisions.filter(pk__gt=self.loaded_revision_id())

    def loaded_revision_id(self):
        """The revision the form was loaded from, or the user's own autosave."""
        posted = self.request.POST.get(
            "overwrite_revision_id"
        ) or self.request.POST.get("loaded_revision_id", "")
        return int(posted) if posted.isdigit() else 0

    def bring_up_to_date(self, form, newer):
        """A new form: the user's input, with what others changed since the form
        was loaded and the user left alone taken from the latest version."""
        loaded = self.object.revisions.filter(pk=self.loaded_revision_id()).first()
        base = loaded.as_object() if loaded is not None else None
        latest = newer[-1].as_object()
        changed = changed_fields(form, base, latest)
        data = self.request.POST.copy()
        current_form = type(form)(instance=latest, for_user=self.request.user)
        kept = []
        for name in changed:
            if name in CHILD_RELATIONS or name == "tags":
                kept.append(name)  # rows and tags are not merged: the user checks them
            elif name not in form.fields:
                continue  # not theirs to edit: the form keeps the current value
            elif base is not None and not changed_by_user(form, base, name):
                data.setlist(name, post_values(current_form[name].value()))
            else:
                kept.append(name)
        self.object = self.get_object()
        fresh = type(form)(
            data, self.request.FILES, instance=self.object, for_user=self.request.user
        )
        fresh.is_valid()
        fresh.add_error(None, stale_message(newer, changed, kept, form))
        return fresh


def changed_fields(form, base, latest):
    """The names of the record's fields (and child lists) that differ between
    the version the form was loaded from and the latest one."""
    if base is None:
        return [name for name in form.fields if hasattr(latest, name)]
    names = [
        field.name
        for field in latest._meta.concrete_fields
        if field.editable
        and field.value_from_object(base) != field.value_from_object(latest)
    ]
    for relation in CHILD_RELATIONS:
        if child_rows(base, relation) != child_rows(latest, relation):
            names.append(relation)
    if sorted(tag.name for tag in base.tags.all()) != sorted(
        tag.name for tag in latest.tags.all()
    ):
        names.append("tags")
    return names


def changed_by_user(form, base, name):
    """Whether the user's input for a field differs from the version they loaded;
    input that did not validate counts as changed, so it is kept."""
    cleaned = getattr(form, "cleaned_data", {})
    return name not in cleaned or cleaned[name] != getattr(base, name)


def child_rows(instance, relation):
    rows = getattr(instance, relation).all()
    return [
        {
            field.attname: getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != "evidence"
        }
        for row in rows
    ]


def post_values(value):
    """A field's value as the browser would post it."""
    if value is None:
        return [""]
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


def field_label(form, name):
    model = form._meta.model
    if name in CHILD_RELATIONS:
        return capfirst(
            model._meta.get_field(name).related_model._meta.verbose_name_plural
        )
    return capfirst(model._meta.get_field(name).verbose_name)


def stale_message(newer, changed, kept, form):
    people = join_labels(
        dict.fromkeys(
            (revision.user.get_full_name() or revision.user.get_username())
            if revision.user
            else _("someone")
            for revision in newer
        ),
        html=False,
    )
    message = _("Since you opened this form, %(people)s changed: %(fields)s.") % {
        "people": people,
        "fields": join_labels(
            (field_label(form, name) for name in changed), html=False
        ),
    }
    if kept:
        message += " " + _(
            "The form now shows their version of everything else, but still shows "
            "yours of: %(fields)s. Check those before saving again."
        ) % {
            "fields": join_labels(
                (field_label(form, name) for name in kept), html=False
            )
        }
    else:
        message += " " + _(
            "The form now shows their version of those, and your own changes. Check "
            "it and save again."
        )
    return message
