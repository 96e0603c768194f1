from django import forms

from wagtail_evidence.weburls import validate_web_url


class WebURLFormField(forms.CharField):
    """A web address, checked by wagtail_evidence.weburls and nothing laxer.

    Unlike Django's URLField it never guesses a scheme, so what the editor typed
    is what is checked and stored.
    """

    widget = forms.URLInput
    default_validators = [validate_web_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(strip=True, **kwargs)
