"""Perceptual hashes of a record's media, and the records they look like.

Computed from files (models/near_duplicates.py), so kept beside the record with
a plain ForeignKey, never in its revisions: reverting a record or publishing an
older revision cannot bring back a hash of media it no longer has, nor erase
one of media it has. Deleting a record deletes its rows, and the flags it
raised on others.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaSource(models.TextChoices):
    POSTER = "poster", _("poster")
    ORIGINAL_FILE = "original_file", _("original file")
    VIDEO_FILE = "video_file", _("self-hosted video file")


# The 256-bit PDQ hash in 16 chunks of 16 bits, each in an indexed column, for
# multi-index hashing (models/near_duplicates.py explains the arithmetic).
CHUNKS = 16
CHUNK_BITS = 256 // CHUNKS
CHUNK_FIELDS = tuple(f"chunk_{index:02d}" for index in range(CHUNKS))


def chunk_field():
    return models.IntegerField(db_index=True, editable=False)


class MediaFingerprint(models.Model):
    """The PDQ hash of one image, or of one key frame of a video, of a record."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="fingerprints",
        verbose_name=_("evidence"),
    )
    source = models.CharField(
        _("hashed from"), max_length=16, choices=MediaSource.choices
    )
    # The image or document and its file ("image:12:<file hash>"): a file
    # replaced under the same document is hashed again.
    source_key = models.CharField(max_length=255)
    # Which key frame of a video, in order; None for an image.
    frame = models.PositiveSmallIntegerField(_("key frame"), null=True, blank=True)
    pdq = models.CharField(_("PDQ hash"), max_length=64)
    # PDQ's own measure (0-100) of how much there is to compare: a flat or
    # nearly blank picture scores low, and is never matched (its hash says little).
    quality = models.PositiveSmallIntegerField(_("quality"))
    created_at = models.DateTimeField(_("hashed at"), auto_now_add=True)
    chunk_00 = chunk_field()
    chunk_01 = chunk_field()
    chunk_02 = chunk_field()
    chunk_03 = chunk_field()
    chunk_04 = chunk_field()
    chunk_05 = chunk_field()
    chunk_06 = chunk_field()
    chunk_07 = chunk_field()
    chunk_08 = chunk_field()
    chunk_09 = chunk_field()
    chunk_10 = chunk_field()
    chunk_11 = chunk_field()
    chunk_12 = chunk_field()
    chunk_13 = chunk_field()
    chunk_14 = chunk_field()
    chunk_15 = chunk_field()

    class Meta:
        verbose_name = _("media fingerprint")
        verbose_name_plural = _("media fingerprints")

    def __str__(self):
        frame = "" if self.frame is None else f" frame {self.frame}"
        return f"{self.evidence_id} {self.source}{frame}: {self.pdq}"


class NearDuplicate(models.Model):
    """``evidence`` has media within the threshold of ``other``'s; each pair is
    stored both ways, so that a record's flags are one indexed lookup."""

    evidence = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="near_duplicates",
        verbose_name=_("evidence"),
    )
    other = models.ForeignKey(
        "wagtail_evidence.Evidence",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("looks like"),
    )
    # The smallest Hamming distance between their fingerprints, out of 256 bits.
    distance = models.PositiveSmallIntegerField(_("distance"))
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "other"], name="wagtail_evidence_one_near_duplicate"
            )
        ]
        verbose_name = _("near-duplicate")
        verbose_name_plural = _("near-duplicates")

    def __str__(self):
        return f"{self.evidence_id} looks like {self.other_id} ({self.distance})"
