from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from wagtail_evidence.sanitize import sanitize_html
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


class SanitizedMarkupFormField(forms.CharField):
    """Rich text from a form, sanitized as it is cleaned, so that a preview of
    unsaved input is as safe as what gets stored."""

    def clean(self, value):
        return sanitize_html(super().clean(value))


class EvidenceAdminForm(WagtailAdminModelForm):
    """The Evidence form: notes which audited fields this save changes, so that
    the history records each change once (autosave included), with its reason."""

    verification_reason = forms.CharField(
        label=_("Reason for these changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the record's history beside any change of a status, the verdict or the warning."),
    )

    def _post_clean(self):
        refused_address = self.has_error("media_url")
        super()._post_clean()
        if refused_address:
            # The address was refused with its own message; the model then saw no
            # address, and "give the media's address" would contradict it.
            errors = self._errors["media_url"]
            errors.data[:] = [error for error in errors.as_data() if error.code != "missing_media"]

    def is_valid(self):
        # After the credit rows are cleaned, which the form's own clean() precedes.
        valid = super().is_valid()
        from wagtail_evidence.verification import can_verify

        if valid and not can_verify(self.for_user):
            for message in self.verification_changes_refused():
                self.add_error(None, message)
                valid = False
        return valid

    def verification_changes_refused(self):
        """Why this save would change what only the desk may change, from someone
        outside it. The statuses and the verdict are not in their form, but
        restoring an older revision brings that revision's values with it."""
        from wagtail_evidence.verification import (
            VERIFICATION_FIELDS,
            touches_verification_credit,
            verification_credits,
        )

        credits = self.formsets.get("credits")
        credit_forms = credits.forms if credits is not None else []
        if any(touches_verification_credit(form) for form in credit_forms):
            yield _("Only the verification desk can add, change or remove a credit whose role is Verification.")
            return
        if self.instance.pk is None:
            return
        current = self.current_version()
        if any(getattr(self.instance, name) != getattr(current, name) for name in VERIFICATION_FIELDS):
            yield _(
                "This version has other facet statuses or another verdict than the "
                "current one. Only the verification desk can restore it."
            )
        kept = [form.cleaned_data for form in credit_forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if credits is not None and verification_credits(kept) != verification_credits(current.credits.all()):
            yield _(
                "This version has other verification credits than the current one. "
                "Only the verification desk can restore it."
            )

    def current_version(self):
        """The record as it stands now (its latest revision), or None for a new one."""
        if self.instance.pk is None:
            return None
        return type(self.instance).objects.get(pk=self.instance.pk).get_latest_revision_as_object()

    def save(self, commit=True):
        from wagtail_evidence.verification import audited_values, changes_between

        # Against the record as it stands, not the form's initial values: a revert
        # starts from an older revision, and the history must say what changed now.
        # A new record's changes are what differs from the defaults.
        current = self.current_version() or type(self.instance)()
        self.instance._audit_changes = changes_between(
            audited_values(current), audited_values(self.instance)
        )
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
