"""Imported values, cleaned by the admin's own form fields.

The Evidence form (and its appearance and credit rows) checks more than the
model does: Django's form ``CharField`` refuses null characters, for one, and a
project may add checks to the form. Running each imported value through the
field the admin edits it with means a file can hold nothing the form would
refuse, with the form's own messages. The model's checks (``full_clean``) still
follow, as they follow the form in the admin.
"""

import functools

from django.core.validators import EMPTY_VALUES

from wagtail_evidence.models import Evidence


@functools.cache
def admin_form_fields(model):
    """{field name: form field} of the admin's form for ``model``: Evidence, or
    one of its inline children (Appearance, Credit)."""
    form_class = Evidence.snippet_viewset.get_edit_handler().get_form_class()
    if model is Evidence:
        return dict(form_class.base_fields)
    for formset in form_class.formsets.values():
        if formset.model is model:
            return dict(formset.form.base_fields)
    raise LookupError(f"The Evidence form has no rows of {model.__name__}.")


def clean_as_admin(model, name, value):
    """``value`` cleaned by the admin form's field for ``name``; raises
    ValidationError. An empty value is left to the model, which says what it
    requires (and a column left out of the file is not cleaned at all)."""
    field = admin_form_fields(model).get(name)
    if field is None or value in EMPTY_VALUES:
        return value
    return field.clean(value)


def quoted_tags(names):
    """Tag names as the admin's tag field reads them: comma-separated, quoted."""
    return ", ".join('"' + name + '"' for name in names)
