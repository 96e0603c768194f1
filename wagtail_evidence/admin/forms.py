"""The Evidence record's admin form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from wagtail_evidence.admin.custody import ArchiverHashForm, replace_archiver_hash_field
from wagtail_evidence.admin.warned_media import WarnedImageChooser, known_level
from wagtail_evidence.choices import CreditRole, DatePrecision, most_severe_warning
from wagtail_evidence.editorial.verification import (
    VERIFICATION_FIELDS,
    audited_values,
    can_verify,
    changes_between,
    touches_verification_credit,
    verification_credits,
)
from wagtail_evidence.formfields import CREATE_FORM_KEY, CreateFormKeyField


class PrecisionFollowsItsDate:
    """A date's precision asked for with its date, never preset without one.

    With no date the select reads "No date given" instead of a preset "Exact
    day"; a date needs its precision. The model keeps its default for a record
    with no date, which readers, the API and exports never show."""

    precision_of = {}  # precision field -> the date field it qualifies

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for precision, date in self.precision_of.items():
            field = self.fields.get(precision)
            if field is None:
                continue
            field.required = False
            field.choices = [("", _("No date given")), *DatePrecision.choices]
            if getattr(self.instance, date) is None:
                self.initial[precision] = ""

    def clean(self):
        cleaned_data = super().clean()
        for precision, date in self.precision_of.items():
            if precision not in self.fields:
                continue
            if cleaned_data.get(date) is None:
                cleaned_data[precision] = DatePrecision.EXACT
            elif not cleaned_data.get(precision):
                self.add_error(
                    precision,
                    _("Say how precise the date is: a day, around a day or a month."),
                )
        return cleaned_data


class EvidenceAdminForm(
    ArchiverHashForm, PrecisionFollowsItsDate, WagtailAdminModelForm
):
    """The Evidence form: notes which audited fields this save changes, so that
    the history records each change once (autosave included), with its reason."""

    precision_of = {"filmed_on_precision": "filmed_on"}

    verification_reason = forms.CharField(
        label=_("Reason for these changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept in the record's history beside any change of a status, the verdict or the warning."
        ),
    )

    replace_archiver_hash = replace_archiver_hash_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # creating, or copying
            self.fields[CREATE_FORM_KEY] = CreateFormKeyField()
        # Before the rows are built (BaseFormSet.forms is built when first read).
        appearances = self.formsets.get("appearances")
        if appearances is not None:
            appearances.form = appearance_form(appearances.form)
        credits = self.formsets.get("credits")
        if credits is not None and not can_verify(self.for_user):
            credits.form = credit_form_outside_the_desk(credits.form)
        poster = self.fields.get("poster")
        if poster is not None:
            poster.widget = WarnedImageChooser(
                level=self.warning_shown(),
                user=self.for_user,
                attrs=poster.widget.attrs,
                choose_one_text=_("Choose a poster image"),
                choose_another_text=_("Choose another poster image"),
            )

    def warning_shown(self):
        """The level that covers the poster: the stricter of the record's and the
        one posted, so a form sent back with errors covers what it now warns of."""
        levels = [known_level(self.instance.warning_level)]
        if self.is_bound:
            levels.append(known_level(self.data.get(self.add_prefix("warning_level"))))
        return most_severe_warning(levels)

    def _post_clean(self):
        refused_address = self.has_error("media_url")
        super()._post_clean()
        if refused_address:
            # The address was refused with its own message; the model then saw no
            # address, and "give the media's address" would contradict it.
            errors = self._errors["media_url"]
            errors.data[:] = [
                error for error in errors.as_data() if error.code != "missing_media"
            ]

    def is_valid(self):
        # After the credit rows are cleaned, which the form's own clean() precedes.
        valid = super().is_valid()
        if valid and not can_verify(self.for_user):
            for message in self.verification_changes_refused():
                self.add_error(None, message)
                valid = False
        return valid

    def verification_changes_refused(self):
        """Why this save would change what only the desk may change, from someone
        outside it. The statuses and the verdict are not in their form, but
        restoring an older revision brings that revision's values with it."""
        credits = self.formsets.get("credits")
        credit_forms = credits.forms if credits is not None else []
        if any(touches_verification_credit(form) for form in credit_forms):
            yield _(
                "Only the verification desk can add, change or remove a credit whose role is Verification."
            )
            return
        if self.instance.pk is None:
            return
        current = self.current_version()
        if any(
            getattr(self.instance, name) != getattr(current, name)
            for name in VERIFICATION_FIELDS
        ):
            yield _(
                "This version has other facet statuses or another verdict than the "
                "current one. Only the verification desk can restore it."
            )
        if self.instance.withhold_coordinates != current.withhold_coordinates:
            yield _(
                "This version withholds the coordinates where the current one "
                "shows them, or the other way round. Only the verification desk "
                "can restore it."
            )
        kept = [
            form.cleaned_data
            for form in credit_forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if credits is not None and verification_credits(kept) != verification_credits(
            current.credits.all()
        ):
            yield _(
                "This version has other verification credits than the current one. "
                "Only the verification desk can restore it."
            )

    def current_version(self):
        """The record as it stands now (its latest revision), or None for a new one."""
        if self.instance.pk is None:
            return None
        return (
            type(self.instance)
            .objects.get(pk=self.instance.pk)
            .get_latest_revision_as_object()
        )

    def save(self, commit=True):
        # Against the record as it stands, not the form's initial values: a revert
        # starts from an older revision, and the history must say what changed now.
        # A new record's changes are what differs from the defaults.
        current = self.current_version() or type(self.instance)()
        self.instance._audit_changes = changes_between(
            audited_values(current), audited_values(self.instance)
        )
        self.instance._audit_reason = self.cleaned_data.get("verification_reason", "")
        return super().save(commit=commit)


def appearance_form(form_class):
    """The appearance row: its "online since" precision follows its date."""
    return type(
        "AppearanceForm",
        (PrecisionFollowsItsDate, form_class),
        {"precision_of": {"first_seen_precision": "first_seen"}},
    )


def credit_form_outside_the_desk(form_class):
    """The credit row for someone outside the verification desk: the role
    Verification is not offered, and a verification credit already on the
    record is shown but cannot be edited. A row posted with that role anyway
    reaches the refusal in EvidenceAdminForm.is_valid()."""

    class CreditForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            role = self.fields.get("role")
            if role is None:
                return
            if self.instance.pk and self.instance.role == CreditRole.VERIFICATION:
                # The formset adds its own fields (id, order, delete) after this.
                for field in self.fields.values():
                    field.disabled = True
                role.help_text = _("Only the verification desk can change this.")
                return
            # The widget's choices only: the field still accepts the value, so a
            # forged row gets the desk's refusal, not "not a valid choice".
            role.widget.choices = [
                choice
                for choice in role.choices
                if choice[0] != CreditRole.VERIFICATION
            ]

    return CreditForm
