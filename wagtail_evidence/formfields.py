"""Form fields that models, blocks and the admin's forms share: a strict web
address, sanitized markup, a create form's own key."""

import re
import secrets
from contextvars import ContextVar

from django import forms

from wagtail_evidence.media.weburls import validate_web_url
from wagtail_evidence.sanitize import sanitize_html


class WebURLFormField(forms.CharField):
    """A web address, checked by wagtail_evidence.media.weburls and nothing laxer.

    Unlike Django's URLField it never guesses a scheme, so what the editor typed
    is what is checked and stored.
    """

    widget = forms.URLInput
    default_validators = [validate_web_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(strip=True, **kwargs)


class SanitizedMarkupFormField(forms.CharField):
    """Rich text from a form, sanitized as it is cleaned, so that a preview of
    unsaved input is as safe as what gets stored."""

    def clean(self, value):
        return sanitize_html(super().clean(value))


# A create form's own key: one create form makes one record or one page
# (admin/views/create.py).
CREATE_FORM_KEY = "create_form_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class CreateFormKeyField(forms.CharField):
    """A key of the form's own, posted with every save of it. A malformed one is
    ignored, not an error: the editor could do nothing about a hidden field."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False, initial=lambda: secrets.token_urlsafe(32))

    def clean(self, value):
        value = super().clean(value)
        return value if KEY_PATTERN.fullmatch(value) else ""


# The page create forms bound while admin/views/create.py runs Wagtail's page
# create view under a claimed key: Wagtail's view gives its hooks the page, not
# the form, and the claim needs the form's field updates (the ids of what it saved).
create_forms_bound = ContextVar("create_forms_bound", default=None)


def note_create_form(form):
    bound = create_forms_bound.get()
    if bound is not None and form.is_bound:
        bound.append(form)
