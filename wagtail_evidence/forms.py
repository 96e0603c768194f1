from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

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


class EvidenceAdminForm(WagtailAdminModelForm):
    """The Evidence form: notes which audited fields this save changes, so that
    the history records each change once (autosave included), with its reason."""

    verification_reason = forms.CharField(
        label=_("Reason for these changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the record's history beside any change of a status, the verdict or the warning."),
    )

    def is_valid(self):
        # After the credit rows are cleaned, which the form's own clean() precedes.
        valid = super().is_valid()
        from wagtail_evidence.verification import can_verify, touches_verification_credit

        credits = self.formsets.get("credits")
        if credits is not None and not can_verify(self.for_user):
            if any(touches_verification_credit(form) for form in credits.forms):
                self.add_error(
                    None,
                    _(
                        "Only the verification desk can add, change or remove a "
                        "credit whose role is Verification."
                    ),
                )
                return False
        return valid

    def save(self, commit=True):
        from wagtail_evidence.verification import AUDITED_FIELDS

        self.instance._audit_changes = {
            name: (self.initial.get(name), self.cleaned_data.get(name))
            for name in self.changed_data
            if name in AUDITED_FIELDS and self.initial.get(name) != self.cleaned_data.get(name)
        }
        self.instance._audit_reason = self.cleaned_data.get("verification_reason", "")
        return super().save(commit=commit)


class EvidenceArticleForm(WagtailAdminPageForm):
    """Page form for articles: the publish button meets the evidence gate here,
    as a form error, before anything is saved."""

    def clean(self):
        cleaned_data = super().clean()
        if "action-publish" in self.data:
            from wagtail_evidence.blocks import stream_field_names
            from wagtail_evidence.gate import gate_messages

            names = stream_field_names(self._meta.model)
            streams = [cleaned_data[name] for name in names if cleaned_data.get(name) is not None]
            for message in gate_messages(streams):
                self.add_error(None, message)
        return cleaned_data
