"""What the Content Credentials (C2PA manifest) of an attached file say.

Read (media/credentials.py) once, when the file is attached, and read again
only when that file changes or the site's trust list does: never per render.
A plain ForeignKey, not a child of the record's revisions, so that reverting
or publishing an older revision never erases what a file says about itself.

The credentials inform the desk; they never set a facet or a verdict.
"""

import logging

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string

from wagtail_evidence.media import credentials as reading
from wagtail_evidence.media.credentials import (
    FILE_FIELDS,
    MAX_TEXT,
    CredentialsFile,
    CredentialsState,
    file_version,
)
from wagtail_evidence.reader.render_cache import renew_render_token


logger = logging.getLogger(__name__)


class ContentCredentials(models.Model):
    """One file's credentials, as read. A record may hold several rows for one
    of its files (``file``): its live version's and its draft's may differ;
    readers and the admin each take the row of the file they show."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="content_credentials",
        verbose_name=_("evidence"),
    )
    file = models.CharField(_("file"), max_length=16, choices=CredentialsFile.choices)
    # The document or image read; its deletion takes the row with it.
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The version of that document or image read (its file hash, else its
    # file's name): a file replaced since is read again.
    file_version = models.CharField(max_length=255)
    trust_list = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=CredentialsState.choices
    )
    # Validation status codes of the failures: [{"code": ..., "explanation": ...}].
    failures = models.JSONField(_("validation failures"), default=list, blank=True)
    signer_issuer = models.CharField(
        _("certificate issuer"), max_length=255, blank=True
    )
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    claim_generator = models.CharField(_("made with"), max_length=255, blank=True)
    # [{"action": "c2pa.edited", "when": ..., "software_agent": ...,
    #   "digital_source_type": ...}], as the manifest lists them.
    actions = models.JSONField(_("actions"), default=list, blank=True)
    # The IPTC digital source type naming generative AI, if an action has one.
    ai_source_type = models.CharField(max_length=64, blank=True)
    # None: the site configures no trust list, so nobody checked.
    trusted = models.BooleanField(_("signer on the trust list"), null=True)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        indexes = [
            models.Index(fields=["evidence", "file"], name="evidence_credentials_idx")
        ]
        verbose_name = _("content credentials")
        verbose_name_plural = _("content credentials")

    def __str__(self):
        return f"{self.evidence_id} {self.file}: {self.state}"

    @property
    def attached(self):
        """The document or image read."""
        return self.document if self.document_id else self.image

    @property
    def present(self):
        return self.state != CredentialsState.ABSENT

    @property
    def validates(self):
        return self.state == CredentialsState.VALID

    @property
    def ai_generated(self):
        return bool(self.ai_source_type)

    @property
    def edited(self):
        return any(action["action"] not in STARTING_ACTIONS for action in self.actions)

    @property
    def edited_with(self):
        """The tools the manifest names for its edits, in order, once each."""
        tools = [
            action.get("software_agent") or ""
            for action in self.actions
            if action["action"] not in STARTING_ACTIONS
        ]
        return list(dict.fromkeys(tool for tool in tools if tool))


STARTING_ACTIONS = {"c2pa.created", "c2pa.opened"}


# Keeping the rows in step with the record's files


def evidence_model():
    return ContentCredentials._meta.get_field("evidence").related_model


def refresh_content_credentials(evidence):
    """Read the files of ``evidence`` that have not been read as they are now:
    after Evidence.save(). No query for a record without files, one for a
    record whose files were read already. Returns how many files it read."""
    attached = {
        slot: getattr(evidence, f"{slot}_id")
        for slot in FILE_FIELDS
        if getattr(evidence, f"{slot}_id")
    }
    if not attached or evidence.pk is None or not reading.is_available():
        return 0
    anchors = reading.trust_list()
    read = {
        (row.file, row.document_id or row.image_id)
        for row in ContentCredentials.objects.filter(
            evidence=evidence, file__in=attached, trust_list=anchors.digest
        ).only("file", "document", "image")
    }
    changed = 0
    for slot, pk in attached.items():
        if (slot, pk) not in read:
            store_reading(evidence.pk, slot, getattr(evidence, slot), anchors)
            changed += 1
    if changed:
        renew_render_token(type(evidence).objects.filter(pk=evidence.pk))
    return changed


def store_reading(evidence_id, slot, attached, anchors):
    """Read ``attached`` (the record's ``slot``) and keep what it says, in
    place of what an earlier version of the same document or image said."""
    field = FILE_FIELDS[slot]
    try:
        with attached.open_file() as handle:
            facts = reading.read_credentials(handle, attached.file.name, anchors)
    except OSError as error:  # a file missing from the storage
        logger.warning("Content Credentials: cannot open %s: %s", attached, error)
        facts = {
            "state": CredentialsState.UNREADABLE,
            "failures": [{"code": "file.unavailable", "explanation": str(error)}],
            "trust_list": anchors.digest,
            "read_at": timezone.now(),
        }
    ContentCredentials.objects.filter(
        evidence_id=evidence_id, file=slot, **{field: attached}
    ).delete()
    return ContentCredentials.objects.create(
        evidence_id=evidence_id,
        file=slot,
        file_version=file_version(attached)[:MAX_TEXT],
        **{field: attached},
        **facts,
    )


def reread_replaced_file(sender, instance, raw=False, **kwargs):
    """A document or image replaced in place (same id, new file): post_save."""
    if raw or not reading.is_available():
        return
    field = "image" if hasattr(instance, "get_rendition") else "document"
    stale = list(
        ContentCredentials.objects.filter(**{field: instance})
        .exclude(file_version=file_version(instance)[:MAX_TEXT])
        .values_list("evidence_id", "file")
        .distinct()
    )
    if not stale:
        return
    anchors = reading.trust_list()
    for evidence_id, slot in stale:
        store_reading(evidence_id, slot, instance, anchors)
    renew_render_token(evidence_model().objects.filter(pk__in={pk for pk, _ in stale}))
