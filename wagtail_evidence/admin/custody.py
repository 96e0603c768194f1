"""Chain of custody on the Evidence form: a file attached to a record whose
SHA-256 an import took from Bellingcat's auto-archiver.

The archiver hashed the file it captured. A file attached later is hashed in
turn, and its hash would silently take the place of the archiver's. When the
two differ they are not the same file, so the form refuses the file unless the
editor says the new hash should stand; the history then keeps both.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_evidence.archives.log_actions import ARCHIVER_HASH_REPLACED
from wagtail_evidence.models.evidence import HASHED_BY_ARCHIVER, sha256_of


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


def archiver_hash(instance):
    """The SHA-256 the archiver recorded that still stands, or ""."""
    if instance.original_file_hashed_from == HASHED_BY_ARCHIVER:
        return instance.original_file_sha256
    return ""


class ArchiverHashForm:
    """The Evidence form's part: refuses a file whose hash is not the
    archiver's, unless REPLACE_FIELD (declared on the form, as its panel
    needs) is ticked. The field is offered only on a record that has such a
    hash."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not archiver_hash(self.instance):
            self.fields.pop(REPLACE_FIELD, None)

    def clean(self):
        cleaned_data = super().clean()
        archived = archiver_hash(self.instance)
        document = cleaned_data.get("original_file")
        if not archived or document is None:
            return cleaned_data
        attached = sha256_of(document)
        if attached == archived:
            return cleaned_data
        if cleaned_data.get(REPLACE_FIELD):
            self.instance._archiver_hash_replaced = (archived, attached)
            return cleaned_data
        self.add_error(
            "original_file",
            _(
                "This file's SHA-256 is %(file)s; the auto-archiver recorded "
                "%(archived)s for the file it captured, so they are not the same "
                "file. Attach the file the archiver captured, or tick “%(replace)s”."
            )
            % {
                "file": attached,
                "archived": archived,
                "replace": self.fields[REPLACE_FIELD].label,
            },
        )
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
