"""Form fields that models and blocks share: a strict web address, sanitized markup."""

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
