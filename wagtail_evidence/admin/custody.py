"""The Evidence form's part in the chain of custody (models.custody): the
verification desk's choice to replace a hash Bellingcat's auto-archiver
recorded with the hash of a file attached later, and the history entry that
keeps both.

The refusal itself is the model's (Evidence.clean and save), so that it holds
on every path; the form only carries the desk's choice to it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_evidence.archives.log_actions import ARCHIVER_HASH_REPLACED
from wagtail_evidence.editorial.verification import can_verify
from wagtail_evidence.models.custody import standing_archiver_hash


REPLACE_FIELD = "replace_archiver_hash"


def replace_archiver_hash_field():
    return forms.BooleanField(
        label=_("Replace the auto-archiver's SHA-256 with this file's"),
        required=False,
        help_text=_(
            "Only when the file attached is not the one the archiver captured "
            "(the source's original, say). The history keeps both hashes."
        ),
    )


class ArchiverHashForm:
    """Offers REPLACE_FIELD (declared on the form, as its panel needs) to the
    verification desk on a record whose archiver's hash stands, and hands the
    choice to the record before the model validates it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = can_verify(self.for_user) and standing_archiver_hash(self.instance)
        if not offered:
            self.fields.pop(REPLACE_FIELD, None)

    def clean(self):
        cleaned_data = super().clean()
        self.instance.replace_archiver_hash = bool(cleaned_data.get(REPLACE_FIELD))
        return cleaned_data


def log_replaced_archiver_hash(request, instance):
    """After an admin save: the history says whose file replaced the archiver's
    hash, with both hashes."""
    replaced = getattr(instance, "_archiver_hash_replaced", None)
    if replaced:
        archived, attached = replaced
        log(
            instance,
            ARCHIVER_HASH_REPLACED,
            user=request.user,
            data={"archived": archived, "file": attached},
        )
        instance._archiver_hash_replaced = None
